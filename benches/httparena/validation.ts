// HttpArena's validation (scripts/validate.sh, the source of truth where its pages are stale)
// as checks against a running entry, with the clients the script uses: curl for what it checks
// with curl (HTTP/2, TLS, compression, sizes), raw TCP writes with pauses for the fragmented
// requests, fetch for bodies. Each check throws an AssertionError that says what was expected.
// The test (benches/test/httparena.test.ts) runs them against every entry here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { WebSocket } from 'ws';
import { join } from 'node:path';
import type { Listener } from './profiles.js';
import { STATIC_NAMES } from './generate/static-files.js';
import { CACHE_TTL_MS } from './rules.js';

export interface Check {
  profile: string;
  name: string;
  /** Needs the items table in PostgreSQL. */
  database?: boolean;
  run(): Promise<void>;
}

interface CurlResult {
  status: number;
  version: string;
  headers: Record<string, string>;
  body: Buffer;
}

const HOST = '127.0.0.1';
const MARK = '\n@@armature-curl@@';

/** curl with `args`; the status, HTTP version, header fields (last response, lower-case names) and body. */
export function curl(args: string[], input?: Buffer): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    // %{header_json} (curl ≥ 7.83): the last response's fields, names in lower case, values in lists
    const child = execFile('curl', ['-s', '-k', '--max-time', '30', '-w', `${MARK}%{http_code} %{http_version} %{header_json}`, ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('curl is not installed'));
      const at = stdout.lastIndexOf(MARK);
      const trailer = stdout.subarray(at + MARK.length).toString('utf8');
      const [status = '0', version = '0'] = trailer.split(' ', 2);
      const fields = JSON.parse(trailer.slice(trailer.indexOf('{')) || '{}') as Record<string, string[]>;
      const headers: Record<string, string> = {};
      for (const [name, values] of Object.entries(fields)) headers[name] = values.join(', ');
      resolve({ status: Number(status), version, headers, body: stdout.subarray(0, at) });
    });
    child.stdin!.end(input);
  });
}

/** Sends `fragments` over one TCP connection (no Nagle), pausing `pauseMs` between them; the body of the answer. */
export function fragmented(port: number, fragments: string[], pauseMs = 30): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return resolve('');
      const head = text.slice(0, split).toLowerCase();
      let body = text.slice(split + 4);
      if (/\ntransfer-encoding: *chunked/.test(head)) {
        let decoded = '';
        for (;;) {
          const nl = body.indexOf('\r\n');
          const size = parseInt(body.slice(0, nl), 16);
          if (!(size > 0)) break;
          decoded += body.slice(nl + 2, nl + 2 + size);
          body = body.slice(nl + 4 + size);
        }
        body = decoded;
      } else {
        const length = /\ncontent-length: *(\d+)/.exec(head);
        if (length) body = body.slice(0, Number(length[1]));
      }
      resolve(body.trim());
    });
    socket.once('connect', async () => {
      for (let i = 0; i < fragments.length; i++) {
        socket.write(fragments[i]!, 'latin1');
        if (i < fragments.length - 1) await new Promise((r) => setTimeout(r, pauseMs));
      }
    });
  });
}

/** Sends `count` requests in one write; resolves with the whole answer once `count` answers ending in `tail` arrived. */
function pipelined(port: number, request: string, count: number, tail: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST, () => socket.write(request.repeat(count)));
    let text = '';
    socket.setTimeout(5000, () => socket.destroy(new Error(`only ${text.split('HTTP/1.1 ').length - 1} of ${count} answers within 5 s`)));
    socket.on('error', reject);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (text.split('HTTP/1.1 ').length - 1 === count && text.endsWith(tail)) {
        socket.destroy();
        resolve(text);
      }
    });
  });
}

const rand = (): number => 100 + Math.floor(Math.random() * 900);
const text = (r: CurlResult): string => r.body.toString('utf8').trim();
const json = (r: CurlResult): any => JSON.parse(r.body.toString('utf8'));

/** text/plain (bare or with parameters), as check_header accepts it. */
function assertType(r: CurlResult, expected: string): void {
  const norm = (v: string) => v.replace('text/javascript', 'application/javascript');
  const value = norm(r.headers['content-type'] ?? '');
  assert.ok(value === expected || value.startsWith(`${expected};`), `Content-Type ${r.headers['content-type']}, expected ${expected}`);
}

/** The (count, m) checks of the json profiles: count items, each total = price × quantity × m. */
function assertPriced(body: any, count: number, m: number): void {
  assert.equal(body.count, count, 'count');
  assert.equal(body.items.length, count, 'items');
  for (const item of body.items) assert.equal(item.total, item.price * item.quantity * m, `total of item ${item.id}`);
}

/** The checks of every profile; `port` gives a listener's port when a check runs. */
export function httpArenaChecks(port: (listener: Listener) => number, dataDir: string): Check[] {
  const h1 = () => `http://${HOST}:${port('h1')}`;
  const tls = () => `https://${HOST}:${port('h1-tls')}`;
  const h2 = () => `https://${HOST}:${port('h2')}`;
  const h2c = () => `http://${HOST}:${port('h2c')}`;
  const checks: Check[] = [];
  const add = (profile: string, name: string, run: () => Promise<void>, database = false) => checks.push({ profile, name, run, database });

  add('baseline', 'GET, POST with Content-Length and chunked, text/plain, random inputs', async () => {
    const get = await curl([`${h1()}/baseline11?a=13&b=42`]);
    assert.equal(text(get), '55');
    assertType(get, 'text/plain');
    const post = await curl(['-X', 'POST', '-H', 'Content-Type: text/plain', '-d', '20', `${h1()}/baseline11?a=13&b=42`]);
    assert.equal(text(post), '75');
    assertType(post, 'text/plain');
    const chunked = await curl(['-X', 'POST', '-H', 'Content-Type: text/plain', '-H', 'Transfer-Encoding: chunked', '-d', '20', `${h1()}/baseline11?a=13&b=42`]);
    assert.equal(text(chunked), '75');
    const [a, b, body1, body2] = [rand(), rand(), rand(), rand() + 1000];
    assert.equal(text(await curl([`${h1()}/baseline11?a=${a}&b=${b}`])), String(a + b));
    for (const body of [body1, body2]) {
      assert.equal(text(await curl(['-X', 'POST', '-H', 'Content-Type: text/plain', '-d', String(body), `${h1()}/baseline11?a=13&b=42`])), String(55 + body));
    }
  });

  add('baseline', 'requests split across TCP fragments', async () => {
    const post = 'POST /baseline11?a=13&b=42 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n';
    assert.equal(await fragmented(port('h1'), ['GET /baseli', 'ne11?a=13&b=42 HTTP/1.1\r\n', 'Host: localhost\r\nConnection: close\r\n\r\n']), '55');
    assert.equal(await fragmented(port('h1'), ['GET /baseline11?a=13&b=42 HTTP/1.1\r\n', 'Host: localhost\r\n', 'User-Agent: arena-frag/1.0\r\n', 'Connection: close\r\n\r\n']), '55');
    assert.equal(await fragmented(port('h1'), [post, '20']), '75');
    assert.equal(await fragmented(port('h1'), [post, '2', '0']), '75');
  });

  add('baseline', 'POST bodies without a Content-Type, as HttpArena\'s load generator sends them', async () => {
    const head = 'POST /baseline11?a=13&b=42 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n';
    assert.equal(await fragmented(port('h1'), [`${head}Content-Length: 2\r\n\r\n20`]), '75');
    assert.equal(await fragmented(port('h1'), [`${head}Transfer-Encoding: chunked\r\n\r\n2\r\n20\r\n0\r\n\r\n`]), '75');
  });

  add('pipelined', 'GET /pipeline is ok, text/plain, 16 pipelined answers in order', async () => {
    const r = await curl([`${h1()}/pipeline`]);
    assert.equal(text(r), 'ok');
    assertType(r, 'text/plain');
    const all = await pipelined(port('h1'), 'GET /pipeline HTTP/1.1\r\nHost: localhost\r\n\r\n', 16, 'ok');
    assert.equal(all.match(/HTTP\/1\.1 200 /g)?.length, 16);
  });

  add('json', 'counts 12, 22, 31, 50 with multipliers; application/json', async () => {
    for (const [count, m] of [[12, 3], [22, 7], [31, 2], [50, 5]] as const) assertPriced(json(await curl([`${h1()}/json/${count}?m=${m}`])), count, m);
    assertType(await curl([`${h1()}/json/50?m=1`]), 'application/json');
    assertPriced(json(await curl([`${h1()}/json/50`])), 50, 1); // the gateway's check: m defaults to 1
  });

  add('json-comp', 'br or gzip when accepted, correct once decompressed, identity otherwise', async () => {
    const encoded = await curl(['-o', '/dev/null', '-H', 'Accept-Encoding: gzip, br', `${h1()}/json/50?m=1`]);
    assert.match(encoded.headers['content-encoding'] ?? '', /^(gzip|br)$/);
    for (const [count, m] of [[25, 3], [40, 7], [50, 2]] as const) {
      assertPriced(json(await curl(['--compressed', '-H', 'Accept-Encoding: gzip, br', `${h1()}/json/${count}?m=${m}`])), count, m);
    }
    const plain = await curl([`${h1()}/json/50?m=1`]);
    assert.equal(plain.headers['content-encoding'], undefined);
  });

  add('json-tls', 'HTTP/1.1 over TLS, bodies, application/json', async () => {
    const r = await curl(['--http1.1', `${tls()}/json/1?m=1`]);
    assert.equal(r.version, '1.1');
    assertType(r, 'application/json');
    for (const [count, m] of [[7, 2], [23, 11], [50, 1]] as const) assertPriced(json(await curl([`${tls()}/json/${count}?m=${m}`])), count, m);
  });

  add('upload', 'byte counts of 17 bytes, a random body, 500 KB, 2 MB, 10 MB, 20 MB', async () => {
    const small = await curl(['-X', 'POST', '-H', 'Content-Type: application/octet-stream', '--data-binary', 'Hello, HttpArena!', `${h1()}/upload`]);
    assert.equal(text(small), '17');
    const random = randomBytes(64).toString('base64').slice(0, 48);
    assert.equal(text(await curl(['-X', 'POST', '-H', 'Content-Type: application/octet-stream', '--data-binary', random, `${h1()}/upload`])), '48');
    for (const size of [512000, 2097152, 10485760, 20971520]) {
      const res = await fetch(`${h1()}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: randomBytes(size) });
      assert.equal(await res.text(), String(size), `upload of ${size} bytes`);
    }
    const stdin = await curl(['-X', 'POST', '-H', 'Content-Type: application/octet-stream', '--data-binary', '@-', `${h1()}/upload`], randomBytes(300_000));
    assert.equal(text(stdin), '300000');
  });

  add('upload', 'a body past 20 MiB is refused with 413', async () => {
    const res = await fetch(`${h1()}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(20 * 1024 * 1024 + 1) });
    await res.arrayBuffer();
    assert.equal(res.status, 413);
  });

  const staticChecks = async (base: string, extra: string[]) => {
    assertType(await curl([...extra, `${base}/static/reset.css`]), 'text/css');
    assertType(await curl([...extra, `${base}/static/app.js`]), 'application/javascript');
    assertType(await curl([...extra, `${base}/static/manifest.json`]), 'application/json');
    assert.equal((await curl([...extra, `${base}/static/nonexistent.txt`])).status, 404);
  };

  add('static', 'types, the 20 sizes plain, compressed ones decompress to the size, 404', async () => {
    await staticChecks(h1(), []);
    // the files in parallel (curl processes), each plain then compressed
    const encodings = await Promise.all(STATIC_NAMES.map(async (name) => {
      const size = readFileSync(join(dataDir, 'static', name)).length;
      assert.equal((await curl([`${h1()}/static/${name}`])).body.length, size, `${name} without Accept-Encoding`);
      const r = await curl(['--compressed', `${h1()}/static/${name}`]);
      if (r.headers['content-encoding']) assert.equal(r.body.length, size, `${name} decompressed from ${r.headers['content-encoding']}`);
      return r.headers['content-encoding'];
    }));
    assert.equal(encodings.filter(Boolean).length, 15, 'the 15 text files are served compressed');
  });

  add('baseline-h2', 'HTTP/2 over TLS, sums, text/plain', async () => {
    const r = await curl(['--http2', `${h2()}/baseline2?a=1&b=1`]);
    assert.equal(r.version, '2');
    assertType(r, 'text/plain');
    assert.equal(text(await curl(['--http2', `${h2()}/baseline2?a=13&b=42`])), '55');
    const [a, b] = [rand(), rand()];
    assert.equal(text(await curl(['--http2', `${h2()}/baseline2?a=${a}&b=${b}`])), String(a + b));
  });

  add('static-h2', 'HTTP/2 over TLS: types, a body, 404', async () => {
    await staticChecks(h2(), ['--http2']);
    const r = await curl(['--http2', `${h2()}/static/reset.css`]);
    assert.equal(r.version, '2');
    assert.ok(r.body.length > 0);
  });

  add('baseline-h2c', 'prior-knowledge HTTP/2, HTTP/1.1 refused, sums, text/plain', async () => {
    const r = await curl(['--http2-prior-knowledge', `${h2c()}/baseline2?a=1&b=1`]);
    assert.equal(r.version, '2');
    assertType(r, 'text/plain');
    assert.notEqual((await curl(['--max-time', '5', '--http1.1', `${h2c()}/baseline2?a=1&b=1`])).status, 200);
    assert.equal(text(await curl(['--http2-prior-knowledge', `${h2c()}/baseline2?a=13&b=42`])), '55');
    const [a, b] = [rand(), rand()];
    assert.equal(text(await curl(['--http2-prior-knowledge', `${h2c()}/baseline2?a=${a}&b=${b}`])), String(a + b));
  });

  add('json-h2c', 'prior-knowledge HTTP/2: counts, application/json', async () => {
    const r = await curl(['--http2-prior-knowledge', `${h2c()}/json/1?m=1`]);
    assert.equal(r.version, '2');
    assertType(r, 'application/json');
    for (const [count, m] of [[12, 3], [22, 7], [31, 2], [50, 5]] as const) {
      assertPriced(json(await curl(['--http2-prior-knowledge', `${h2c()}/json/${count}?m=${m}`])), count, m);
    }
  });

  add('async-db', 'limits, item shape, application/json, empty range', async () => {
    for (const [query, limit] of [['min=5&max=80&limit=7', 7], ['min=20&max=150&limit=18', 18], ['min=100&max=400&limit=33', 33], ['min=10&max=50&limit=50', 50]] as const) {
      const body = json(await curl([`${h1()}/async-db?${query}`]));
      assert.equal(body.count, limit, query);
      assert.equal(body.items.length, limit, query);
      for (const item of body.items) {
        assert.equal(typeof item.rating.score, 'number');
        assert.ok(Array.isArray(item.tags));
        assert.equal(typeof item.active, 'boolean');
        assert.ok(item.price >= Number(/min=(\d+)/.exec(query)![1]) && item.price <= Number(/max=(\d+)/.exec(query)![1]), `price ${item.price} in ${query}`);
      }
    }
    assertType(await curl([`${h1()}/async-db?min=10&max=50&limit=50`]), 'application/json');
    assert.equal(json(await curl([`${h1()}/async-db?min=9999&max=9999&limit=50`])).count, 0);
  }, true);

  add('crud', 'list, read, cache MISS then HIT, 404, create, read back, update invalidates', async () => {
    const list = json(await curl([`${h1()}/crud/items?category=electronics&page=1&limit=5`]));
    assert.equal(list.items.length, 5);
    assert.ok(list.total > 0);
    assert.equal(list.page, 1);
    for (const item of list.items) {
      assert.ok(item.rating);
      assert.equal(item.category, 'electronics');
    }
    assert.equal(json(await curl([`${h1()}/crud/items/1`])).id, 1);
    // MISS then HIT within the 200 ms TTL (on a loaded machine two requests may take longer than
    // that: then the pair is tried again, with a fresh id, up to 5 times), then MISS after it
    for (let attempt = 1; ; attempt++) {
      const id = 1000 + Math.floor(Math.random() * 40000);
      const cacheOf = async () => {
        const res = await fetch(`${h1()}/crud/items/${id}`);
        await res.arrayBuffer();
        return res.headers.get('x-cache');
      };
      assert.equal(await cacheOf(), 'MISS');
      const t0 = Date.now();
      const second = await cacheOf();
      if (second !== 'HIT' && Date.now() - t0 > CACHE_TTL_MS && attempt < 5) continue;
      assert.equal(second, 'HIT');
      await new Promise((r) => setTimeout(r, CACHE_TTL_MS + 50));
      assert.equal(await cacheOf(), 'MISS', 'after the 200 ms TTL');
      break;
    }
    assert.equal((await curl([`${h1()}/crud/items/999999`])).status, 404);
    const created = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '-d', '{"id":200001,"name":"ValidateItem","category":"test","price":42,"quantity":7}', `${h1()}/crud/items`]);
    assert.equal(created.status, 201);
    assert.equal(json(created).id, 200001);
    assert.equal(json(await curl([`${h1()}/crud/items/200001`])).id, 200001);
    await curl([`${h1()}/crud/items/200001`]);
    const put = await curl(['-X', 'PUT', '-H', 'Content-Type: application/json', '-d', '{"name":"UpdatedItem","category":"test","price":99,"quantity":1}', `${h1()}/crud/items/200001`]);
    assert.equal(put.status, 200);
    assert.equal(json(put).price, 99);
    // (the row itself is not compared: other runs of these checks may write 200001 meanwhile)
    assert.equal((await curl([`${h1()}/crud/items/200001`])).headers['x-cache'], 'MISS');
  }, true);

  add('crud', 'bad input: malformed JSON 400, wrong field types 400, unknown id 404', async () => {
    const post = (body: string) => curl(['-X', 'POST', '-H', 'Content-Type: application/json', '-d', body, `${h1()}/crud/items`]);
    assert.equal((await post('{"id":')).status, 400);
    assert.equal((await post('{"id":"x","name":"a","category":"b","price":1,"quantity":1}')).status, 400);
    const put = await curl(['-X', 'PUT', '-H', 'Content-Type: application/json', '-d', '{"name":"a","price":1,"quantity":1}', `${h1()}/crud/items/999999`]);
    assert.equal(put.status, 404);
  }, true);

  return checks;
}

/** The gateway profile's checks (validate.sh's _validate_gateway), against the proxy's HTTP/2 port. */
export function gatewayChecks(port: () => number): Check[] {
  const gw = () => `https://${HOST}:${port()}`;
  const h2 = (path: string, ...extra: string[]) => curl(['--http2', ...extra, `${gw()}${path}`]);
  return [
    {
      profile: 'gateway-64',
      name: 'HTTP/2 at the proxy; static files from disk: types, size, 404',
      async run() {
        assert.equal((await h2('/static/reset.css')).version, '2');
        assertType(await h2('/static/reset.css'), 'text/css');
        assertType(await h2('/static/app.js'), 'application/javascript');
        assert.ok((await h2('/static/app.js')).body.length > 0);
        assert.equal((await h2('/static/nonexistent.txt')).status, 404);
        const br = await h2('/static/app.js', '--compressed', '-H', 'Accept-Encoding: br');
        assert.equal(br.headers['content-encoding'], 'br', 'the precompressed .br sibling');
      },
    },
    {
      profile: 'gateway-64',
      name: 'dynamic routes through the proxy: /json/50, /baseline2',
      async run() {
        const r = await h2('/json/50');
        assertType(r, 'application/json');
        assertPriced(json(r), 50, 1);
        assert.equal(text(await h2('/baseline2?a=13&b=42')), '55');
        const [a, b] = [rand(), rand()];
        assert.equal(text(await h2(`/baseline2?a=${a}&b=${b}`)), String(a + b));
      },
    },
    {
      profile: 'gateway-64',
      name: '/async-db through the proxy',
      database: true,
      async run() {
        const r = await h2('/async-db?min=10&max=50&limit=50');
        assertType(r, 'application/json');
        const body = json(r);
        assert.ok(body.count > 0 && body.count <= 50);
        for (const item of body.items) assert.equal(typeof item.active, 'boolean');
        assert.equal(json(await h2('/async-db?min=9999&max=9999&limit=50')).count, 0);
      },
    },
  ];
}

/** Opens a WebSocket (the `ws` client checks the 101 and Sec-WebSocket-Accept itself). */
function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
}

/** The next `count` messages with their opcode kind. */
function nextMessages(socket: WebSocket, count: number): Promise<Array<{ data: Buffer; binary: boolean }>> {
  return new Promise((resolve, reject) => {
    const got: Array<{ data: Buffer; binary: boolean }> = [];
    const timer = setTimeout(() => reject(new Error(`${got.length} of ${count} echoes within 5 s`)), 5000);
    const onMessage = (data: Buffer, binary: boolean) => {
      got.push({ data, binary });
      if (got.length === count) {
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(got);
      }
    };
    socket.on('message', onMessage);
  });
}

/** echo-ws (validate-ws.py): the same data back with the same opcode, in order; a clean close; a plain GET refused with 4xx. */
export function wsChecks(port: () => number): Check[] {
  const url = () => `ws://${HOST}:${port()}/ws`;
  return [
    {
      profile: 'echo-ws',
      name: 'upgrade, text and binary echoed with their opcode, 5 in order, close 1000, still alive',
      async run() {
        const socket = await openSocket(url());
        const text = `HttpArena-validate-${randomBytes(8).toString('hex')}`;
        const echo = nextMessages(socket, 1);
        socket.send(text);
        const [t] = await echo;
        assert.equal(t!.binary, false, 'a text frame back');
        assert.equal(t!.data.toString('utf8'), text);
        const bytes = randomBytes(256);
        const binaryEcho = nextMessages(socket, 1);
        socket.send(bytes);
        const [b] = await binaryEcho;
        assert.equal(b!.binary, true, 'a binary frame back');
        assert.deepEqual(b!.data, bytes);
        const burst = Array.from({ length: 5 }, (_, i) => `burst-${i}-${randomBytes(4).toString('hex')}`);
        const five = nextMessages(socket, 5);
        for (const m of burst) socket.send(m);
        assert.deepEqual((await five).map((m) => m.data.toString('utf8')), burst);
        const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
        socket.close(1000, 'validate done');
        assert.equal(await closed, 1000);
        const again = await openSocket(url());
        const health = nextMessages(again, 1);
        again.send('health');
        assert.equal((await health)[0]!.data.toString('utf8'), 'health');
        again.close(1000);
      },
    },
    {
      profile: 'echo-ws',
      name: 'a plain GET /ws is refused with 4xx',
      async run() {
        const r = await curl([`http://${HOST}:${port()}/ws`]);
        assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
      },
    },
  ];
}
