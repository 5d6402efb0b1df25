// Server-Sent Events: framing, heartbeats, and closing from either side — over the engine and
// the node:http adapter, read with fetch. No timer may outlive its stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, EventStream } from '../src/index.js';
import { formatEvent } from '../src/app/sse.js';

test('event framing: fields, multi-line data split into data lines, JSON data, validation', () => {
  assert.equal(formatEvent('hello'), 'data: hello\n\n');
  assert.equal(formatEvent({ data: 'a\nb\r\nc\rd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
  assert.equal(formatEvent({ event: 'tick', id: 7, retry: 1000, data: { n: 1, s: 'x\ny' } }), 'event: tick\nid: 7\nretry: 1000\ndata: {"n":1,"s":"x\\ny"}\n\n');
  assert.equal(formatEvent({ id: 'only-id' }), 'id: only-id\n\n');
  assert.equal(formatEvent({ data: '' }), 'data: \n\n');
  assert.throws(() => formatEvent({ event: 'a\nb', data: 'x' }), /event name must not contain CR or LF/);
  assert.throws(() => formatEvent({ id: 'a\rb' }), /id must not contain/);
  assert.throws(() => formatEvent({ retry: -1 }), /retry must be a non-negative integer/);
});

/** Reads an event stream with fetch until `until` says enough; then cancels it (the client disconnects). */
async function readStream(url: string, until: (text: string) => boolean, timeoutMs = 3000): Promise<{ text: string; headers: Headers; status: number }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { text, headers: res.headers, status: res.status };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function sseApp() {
  const streams: EventStream[] = [];
  const closedBy: string[] = [];
  const app = createApp({ onError: () => {} });
  app.get('/events', (ctx) => {
    const stream = ctx.sse({ heartbeat: 30, retry: 2000 });
    streams.push(stream);
    stream.onClose(() => closedBy.push('closed'));
    stream.send({ event: 'greeting', id: 1, data: 'hello\nworld' });
    stream.send({ data: { n: 2 } });
    return stream;
  });
  app.get('/finite', (ctx) => {
    const stream = ctx.sse({ heartbeat: 0 });
    let n = 0;
    const timer = setInterval(() => {
      stream.send({ id: ++n, data: `event ${n}` });
      if (n === 3) {
        clearInterval(timer);
        stream.close();
      }
    }, 5);
    return stream;
  });
  return { app, streams, closedBy };
}

async function checkTransport(base: string, streams: EventStream[], closedBy: string[]): Promise<void> {
  const before = timers();
  const { text, headers, status } = await readStream(`${base}/events`, (t) => (t.match(/: heartbeat\n\n/g) ?? []).length >= 2);
  assert.equal(status, 200);
  assert.equal(headers.get('content-type'), 'text/event-stream');
  assert.equal(headers.get('cache-control'), 'no-cache');
  assert.ok(text.startsWith('retry: 2000\n\nevent: greeting\nid: 1\ndata: hello\ndata: world\n\ndata: {"n":2}\n\n: heartbeat\n\n'), JSON.stringify(text));
  // the client went away: the stream notices, closes, and its heartbeat timer is gone
  await waitFor(() => streams.length === 1 && streams[0]!.closed && closedBy.length === 1);
  await waitFor(() => timers() <= before);

  const finite = await readStream(`${base}/finite`, () => false);
  assert.equal(finite.text, ': open\n\nid: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\nid: 3\ndata: event 3\n\n');
}

test('SSE over the engine: framing, heartbeats, client disconnect stops the timer, server close ends it', async () => {
  const { app, streams, closedBy } = sseApp();
  const { port } = await app.listen({ port: 0 });
  try {
    await checkTransport(`http://127.0.0.1:${port}`, streams, closedBy);
    // app.close() ends the streams still open instead of waiting for its timeout
    const res = await fetch(`http://127.0.0.1:${port}/events`);
    const reading = res.text();
    await waitFor(() => streams.length === 2);
    const t0 = Date.now();
    await app.close({ timeout: 5000 });
    assert.ok(Date.now() - t0 < 1000, 'close() did not wait for the open stream');
    assert.match(await reading, /event: greeting/);
    assert.equal(streams[1]!.closed, true);
  } finally {
    await app.close({ timeout: 500 });
  }
});

test('SSE over the node:http adapter', async () => {
  const { app, streams, closedBy } = sseApp();
  const server = http.createServer(app.nodeListener());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await checkTransport(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, streams, closedBy);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('SSE through inject: events, close() ends the response, onResponse runs after it, signal aborts', async () => {
  const app = createApp();
  let stream: EventStream | undefined;
  const events: string[] = [];
  app.onResponse(() => void events.push('onResponse'));
  app.get('/', (ctx) => {
    stream = ctx.sse({ heartbeat: 0 });
    stream.signal.addEventListener('abort', () => events.push('aborted'));
    setTimeout(() => {
      stream!.send('one');
      stream!.comment('note');
      events.push('closing');
      stream!.close();
      stream!.close(); // twice is fine
      assert.equal(stream!.send('late'), false);
    }, 5);
    return stream;
  });
  const r = await app.inject('/');
  assert.equal(r.body, ': open\n\ndata: one\n\n: note\n\n');
  await new Promise((r2) => setImmediate(r2));
  assert.deepEqual(events, ['closing', 'aborted', 'onResponse']);
  assert.equal(stream!.closed, true);
});
