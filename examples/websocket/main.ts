/**
 * A chat with rooms on WebSockets: `/rooms/:room` is a WebSocket endpoint whose handshake goes
 * through the app's middleware like any request (here: a nickname is required, 400 without
 * one); each message is sent to the other peers of the room. With REDIS_URL set, rooms span
 * every process that uses the same Redis (start it twice on two ports and chat across them).
 * `/` serves a page with a small browser client.
 *
 *   npx tsx examples/websocket/main.ts                     # then open http://127.0.0.1:3000
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=3001 npx tsx examples/websocket/main.ts
 *   npx wscat -c 'ws://127.0.0.1:3000/rooms/lobby?nick=ada'
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { BadRequestException, createApp } from '@armature/core';
import { websocket, RedisBroadcaster } from '@armature/websocket';

const redis = process.env.REDIS_URL === undefined ? null : new Redis(process.env.REDIS_URL);

export const app = createApp();
export const hub = websocket(app, {
  maxPayload: 64 * 1024, // chat lines, not files
  pingInterval: 20_000,
  broadcaster: redis === null ? undefined : new RedisBroadcaster({ client: redis, channel: 'example:chat' }),
});

interface Member {
  nick: string;
  room: string;
}

// the handshake is an ordinary GET: middleware, hooks and validation run before the upgrade
app.use(async (ctx, next) => {
  if (ctx.path.startsWith('/rooms/') && typeof ctx.query.nick !== 'string') throw new BadRequestException('Give a nickname: ?nick=…');
  return next();
});

app.get('/rooms/:room', hub.handler<Member>({
  open(peer) {
    peer.data = { nick: String(peer.ctx.query.nick).slice(0, 32), room: peer.ctx.params.room as string };
    peer.join(peer.data.room);
    hub.to(peer.data.room).json({ system: `${peer.data.nick} joined` });
  },
  message(peer, data, isBinary) {
    if (isBinary) return peer.close(1003, 'Text messages only');
    peer.to(peer.data.room).json({ from: peer.data.nick, text: String(data).slice(0, 2000) });
  },
  close(peer) {
    hub.to(peer.data.room).json({ system: `${peer.data.nick} left` });
  },
}));

app.get('/', (ctx) => {
  ctx.set('Content-Type', 'text/html; charset=utf-8');
  return PAGE;
});

const PAGE = `<!doctype html><meta charset="utf-8"><title>Armature chat</title>
<form id="join">room <input id="room" value="lobby"> nick <input id="nick" value="guest"> <button>join</button></form>
<pre id="log"></pre><form id="say"><input id="text" size="60"> <button>send</button></form>
<script>
let ws;
const log = (line) => (document.getElementById('log').textContent += line + '\\n');
document.getElementById('join').onsubmit = (e) => {
  e.preventDefault();
  ws?.close();
  const room = encodeURIComponent(document.getElementById('room').value);
  const nick = encodeURIComponent(document.getElementById('nick').value);
  ws = new WebSocket(\`ws://\${location.host}/rooms/\${room}?nick=\${nick}\`);
  ws.onmessage = (m) => { const d = JSON.parse(m.data); log(d.system ?? d.from + ': ' + d.text); };
  ws.onclose = (c) => log('(closed ' + c.code + ')');
};
document.getElementById('say').onsubmit = (e) => {
  e.preventDefault();
  const text = document.getElementById('text');
  ws?.send(text.value);
  log('me: ' + text.value);
  text.value = '';
};
</script>`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const address = await app.listen({ port, host: '127.0.0.1' });
  await hub.ready();
  console.log(`listening on http://127.0.0.1:${address.port}`);
  // app.close() sends every peer a close frame (1001) and waits for them, up to the timeout
  process.once('SIGTERM', () => void app.close({ timeout: 5000 }).then(() => redis?.quit()).then(() => process.exit(0)));
}
