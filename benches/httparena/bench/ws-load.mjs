// A WebSocket echo load generator for echo-ws (HttpArena uses gcannon --ws): `connections`
// clients of the `ws` package, each sending "hello" as a text frame and waiting for its echo
// before the next (one message in flight per connection), for `duration` seconds. Run as its own
// process pinned to core 1 by load(); prints JSON { messages, seconds, errors }.
//   node ws-load.mjs <url> <connections> <duration s>
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { has } from '../../lib/load.mjs';

const self = fileURLToPath(import.meta.url);

/** Runs the generator on core 1; resolves with the shape of load.mjs's parseWrk (no percentiles). */
export function wsLoad(url, { connections = 100, duration = 3 } = {}) {
  const argv = [...(has('taskset') ? ['taskset', '-c', '1'] : []), process.execPath, self, url, String(connections), String(duration)];
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: (duration + 30) * 1000, killSignal: 'SIGKILL' });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.once('close', () => {
      try {
        const r = JSON.parse(out.trim().split('\n').at(-1));
        resolve({ rps: r.messages / r.seconds, requests: r.messages, p50: NaN, p99: NaN, non2xx: 0, socketErrors: r.errors ? `${r.errors} errors` : '', raw: out });
      } catch {
        resolve({ rps: NaN, requests: NaN, p50: NaN, p99: NaN, non2xx: 0, socketErrors: 'ws load failed', raw: out });
      }
    });
  });
}

if (process.argv[1] === self) {
  const { WebSocket } = await import('ws');
  const [url, connections, duration] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  let messages = 0;
  let errors = 0;
  let running = true;
  const sockets = [];
  await Promise.all(Array.from({ length: connections }, () => new Promise((resolve) => {
    const socket = new WebSocket(url);
    sockets.push(socket);
    socket.on('open', () => {
      resolve();
      socket.send('hello');
    });
    socket.on('message', () => {
      messages++;
      if (running) socket.send('hello');
    });
    socket.on('error', () => {
      errors++;
      resolve();
    });
  })));
  const start = Date.now();
  const counted = messages;
  await new Promise((r) => setTimeout(r, duration * 1000));
  running = false;
  const seconds = (Date.now() - start) / 1000;
  console.log(JSON.stringify({ messages: messages - counted, seconds, errors }));
  for (const s of sockets) s.terminate();
  process.exit(0);
}
