// A chat server in its own process for the cross-process room test: rooms on a Redis channel
// given by argv. Prints its port once the broadcaster is subscribed.
import { Redis } from 'ioredis';
import { createApp } from '@armature/core';
import { websocket, RedisBroadcaster } from '@armature/websocket';

const [url, channel] = process.argv.slice(2) as [string, string];
const client = new Redis(url, { maxRetriesPerRequest: 1 });
const app = createApp();
const hub = websocket(app, { broadcaster: new RedisBroadcaster({ client, channel }) });
hub.route('/rooms/:room', {
  open: (peer) => void peer.join(peer.ctx.params.room as string),
  message: (peer, data) => peer.to(peer.ctx.params.room as string).send(data),
});
app.get('/broadcast', (ctx) => {
  hub.broadcast(String(ctx.query.text));
  return 'sent';
});
const { port } = await app.listen({ port: 0 });
await hub.ready();
console.log(JSON.stringify({ port }));
process.on('SIGTERM', () => {
  void app.close({ timeout: 500 }).then(() => client.quit()).then(() => process.exit(0));
});
