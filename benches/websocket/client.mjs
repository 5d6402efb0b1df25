// The load generator of the WebSocket benchmark, in its own process (pinned by the runner):
//   node client.mjs echo <port> <connections> <seconds>   → {"roundTrips": n}
//   node client.mjs idle <port> <connections>              → opens them, prints {"open": n}, waits for stdin to close
// Echo: each connection sends a 32-byte text message and waits for it to come back, in a
// closed loop, for a bounded time.
import { WebSocket } from 'ws';

const [mode, port, count, seconds] = process.argv.slice(2);
const url = `ws://127.0.0.1:${port}/echo`;
const n = Number(count);
const payload = 'x'.repeat(32);

async function openAll() {
  const sockets = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    }));
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

const sockets = await openAll();
if (mode === 'echo') {
  let roundTrips = 0;
  let running = true;
  for (const ws of sockets) {
    ws.on('message', () => {
      roundTrips++;
      if (running) ws.send(payload);
    });
    ws.send(payload);
  }
  await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
  running = false;
  console.log(JSON.stringify({ roundTrips }));
  for (const ws of sockets) ws.terminate();
} else {
  console.log(JSON.stringify({ open: sockets.length }));
  process.stdin.resume();
  await new Promise((r) => process.stdin.once('end', r));
  for (const ws of sockets) ws.terminate();
}
process.exit(0);
