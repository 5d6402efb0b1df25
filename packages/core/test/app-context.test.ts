// Context: the request side (query, headers, cookies, client address, body readers) and the
// response side (status, headers, cookies, redirects, what a handler's return value becomes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createApp, type InjectResult } from '../src/index.js';

const problem = (r: InjectResult) => r.json<{ status: number; detail?: string; instance?: string; title: string }>();

test('request basics: method, path, url, query (lazy, arrays for repeated keys), headers', async () => {
  const app = createApp();
  app.all('/echo/:x', (ctx) => ({
    method: ctx.method,
    path: ctx.path,
    url: ctx.url,
    params: ctx.params,
    query: ctx.query,
    accept: ctx.get('ACCEPT'),
    headers: ctx.headers,
  }));
  const r = await app.inject({ method: 'PATCH', url: '/echo/a%20b?x=1&x=2&y=&z=%E2%82%AC&w=a+b', headers: { Accept: 'text/html', 'X-Two': ['1', '2'] } });
  assert.deepEqual(r.json(), {
    method: 'PATCH',
    path: '/echo/a%20b',
    url: '/echo/a%20b?x=1&x=2&y=&z=%E2%82%AC&w=a+b',
    params: { x: 'a b' },
    query: { x: ['1', '2'], y: '', z: '€', w: 'a b' },
    accept: 'text/html',
    headers: { accept: 'text/html', 'x-two': '1, 2', host: 'localhost' },
  });
});

test('cookies: parsed lazily from Cookie, quoted and percent-encoded values, first one wins', async () => {
  const app = createApp();
  app.get('/', (ctx) => ctx.cookies);
  const r = await app.inject({ url: '/', headers: { cookie: ['sid=abc; theme="dark"', 'name=J%C3%B6rg; sid=second; bad=%zz; noequals; =x'] } });
  assert.deepEqual(r.json(), { sid: 'abc', theme: 'dark', name: 'Jörg', bad: '%zz' });
  assert.deepEqual((await app.inject('/')).json(), {});
});

test('trustProxy off (default): X-Forwarded-* are ignored, the peer is the client', async () => {
  const app = createApp();
  app.get('/', (ctx) => ({ ip: ctx.ip, ips: ctx.ips, protocol: ctx.protocol, host: ctx.host, hostname: ctx.hostname, secure: ctx.secure }));
  const r = await app.inject({
    url: '/',
    remoteAddress: '10.0.0.2',
    headers: { host: 'internal:8080', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
  });
  assert.deepEqual(r.json(), { ip: '10.0.0.2', ips: [], protocol: 'http', host: 'internal:8080', hostname: 'internal', secure: false });
});

test('trustProxy: true, hop counts, address lists with CIDRs and presets, functions', async () => {
  const seen = (trustProxy: Parameters<typeof createApp>[0] extends infer O ? (O extends { trustProxy?: infer T } ? T : never) : never) => {
    const app = createApp({ trustProxy });
    app.get('/', (ctx) => ({ ip: ctx.ip, ips: ctx.ips, protocol: ctx.protocol, host: ctx.host, hostname: ctx.hostname }));
    return async (remoteAddress: string, headers: Record<string, string>) => (await app.inject({ url: '/', remoteAddress, headers })).json();
  };
  const xff = { 'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.0.0.9', 'x-forwarded-proto': 'HTTPS, http', 'x-forwarded-host': 'shop.example:8443, inner', host: 'app:3000' };

  // trust everything: the leftmost address
  assert.deepEqual(await seen(true)('10.0.0.1', xff), { ip: '1.1.1.1', ips: ['1.1.1.1', '2.2.2.2', '10.0.0.9'], protocol: 'https', host: 'shop.example:8443', hostname: 'shop.example' });
  // one hop: the peer is our proxy; the address it saw is the client
  assert.equal((await seen(1)('10.0.0.1', xff) as { ip: string }).ip, '10.0.0.9');
  assert.equal((await seen(2)('10.0.0.1', xff) as { ip: string }).ip, '2.2.2.2');
  // private ranges are proxies: the first public address from the right is the client
  const ranges = seen(['10.0.0.0/8', '192.168.0.0/16']);
  assert.deepEqual(await ranges('10.0.0.1', xff), { ip: '2.2.2.2', ips: ['2.2.2.2', '10.0.0.9'], protocol: 'https', host: 'shop.example:8443', hostname: 'shop.example' });
  // a peer outside the list: nothing forwarded is believed (spoofing from the internet)
  assert.deepEqual(await ranges('8.8.8.8', xff), { ip: '8.8.8.8', ips: [], protocol: 'http', host: 'app:3000', hostname: 'app' });
  // presets, a comma-separated string, IPv6 and IPv4-mapped peers
  const presets = seen('loopback, uniquelocal');
  assert.equal((await presets('::ffff:127.0.0.1', xff) as { ip: string }).ip, '2.2.2.2');
  assert.equal((await presets('::1', { 'x-forwarded-for': 'fd00::5, 2001:db8::1' }) as { ip: string }).ip, '2001:db8::1');
  assert.equal((await presets('203.0.113.7', xff) as { ip: string }).ip, '203.0.113.7');
  // a function of (address, hop)
  const fn = seen((address, hop) => address === '10.0.0.1' || hop === 1);
  assert.equal((await fn('10.0.0.1', xff) as { ip: string }).ip, '2.2.2.2');
  // only http/https are believed as protocols; IPv6 host literals keep their brackets
  assert.deepEqual(await seen(true)('10.0.0.1', { 'x-forwarded-proto': 'gopher', host: '[::1]:8080' }), { ip: '10.0.0.1', ips: [], protocol: 'http', host: '[::1]:8080', hostname: '[::1]' });
  assert.throws(() => createApp({ trustProxy: ['not-an-ip'] }), /not an IP address/);
  assert.throws(() => createApp({ trustProxy: ['10.0.0.0/40'] }), /prefix length/);
  assert.throws(() => createApp({ trustProxy: -1 }), /non-negative integer/);
});

test('body readers: JSON, text, form, bytes, stream; content types checked (415)', async () => {
  const app = createApp({ onError: () => {} });
  app.post('/json', async (ctx) => ({ got: await ctx.json() }));
  app.post('/text', async (ctx) => ({ got: await ctx.text() }));
  app.post('/text-any', async (ctx) => ({ got: await ctx.text({ type: '*/*' }) }));
  app.post('/form', async (ctx) => ({ got: await ctx.form() }));
  app.post('/bytes', async (ctx) => ({ got: [...(await ctx.bytes())] }));
  app.post('/png', async (ctx) => ({ size: (await ctx.bytes({ type: 'image/png' })).length }));
  app.post('/stream', async (ctx) => {
    let n = 0;
    for await (const chunk of ctx.stream()) n += (chunk as Buffer).length;
    return { n };
  });
  app.post('/twice', async (ctx) => ({ a: await ctx.json(), b: await ctx.json(), text: await ctx.text({ type: 'application/json' }) }));
  const post = (url: string, body: string | Uint8Array, type?: string) => app.inject({ method: 'POST', url, body, headers: type === undefined ? {} : { 'content-type': type } });

  assert.deepEqual((await post('/json', '{"a":[1,2]}', 'application/json')).json(), { got: { a: [1, 2] } });
  assert.deepEqual((await post('/json', '{"a":1}', 'application/vnd.api+json; charset=UTF-8')).json(), { got: { a: 1 } });
  assert.deepEqual((await post('/json', '\ufeff[1]', 'application/json')).json(), { got: [1] });
  assert.deepEqual((await post('/text', 'héllo', 'text/plain; charset=utf-8')).json(), { got: 'héllo' });
  assert.deepEqual((await post('/text', Buffer.from([0x68, 0xe9]), 'text/plain; charset=ISO-8859-1')).json(), { got: 'hé' });
  assert.deepEqual((await post('/text-any', 'x', 'application/whatever')).json(), { got: 'x' });
  assert.deepEqual((await post('/form', 'a=1&b=x+y&a=%C3%A9', 'application/x-www-form-urlencoded')).json(), { got: { a: ['1', 'é'], b: 'x y' } });
  assert.deepEqual((await post('/bytes', new Uint8Array([1, 2, 3]))).json(), { got: [1, 2, 3] });
  assert.deepEqual((await post('/png', new Uint8Array(5), 'image/png')).json(), { size: 5 });
  assert.deepEqual((await post('/stream', 'x'.repeat(1000), 'text/plain')).json(), { n: 1000 });
  assert.deepEqual((await post('/twice', '{"k":true}', 'application/json')).json(), { a: { k: true }, b: { k: true }, text: '{"k":true}' });

  for (const [url, type] of [
    ['/json', undefined],
    ['/json', 'text/plain'],
    ['/json', 'application/jsonx'],
    ['/json', 'application/json; charset=latin1'],
    ['/text', 'application/json'],
    ['/text', 'text/plain; charset=no-such-charset'],
    ['/form', 'multipart/form-data; boundary=x'],
    ['/form', 'application/json'],
    ['/png', 'image/gif'],
  ] as const) {
    const r = await post(url, '{}', type);
    assert.equal(r.statusCode, 415, `${url} with ${type}`);
    assert.equal(r.headers['content-type'], 'application/problem+json');
  }
  assert.match(problem(await post('/json', '{}', 'text/plain')).detail!, /Expected JSON \(application\/json or application\/\*\+json\), got Content-Type text\/plain/);
});

test('body readers: malformed or empty JSON → 400 with a clear message', async () => {
  const app = createApp();
  app.post('/json', async (ctx) => ctx.json());
  const bad = await app.inject({ method: 'POST', url: '/json', body: '{"a":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.statusCode, 400);
  assert.match(problem(bad).detail!, /^Malformed JSON in request body: /);
  assert.equal(problem(bad).instance, '/json');
  const empty = await app.inject({ method: 'POST', url: '/json', body: '', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.statusCode, 400);
  assert.match(problem(empty).detail!, /empty/);
});

test('body readers: a malformed-JSON answer never quotes the request body', async () => {
  const app = createApp();
  app.post('/json', async (ctx) => ctx.json());
  app.post('/raw', async (ctx) => ctx.req.body.json());
  for (const url of ['/json', '/raw']) {
    for (const body of ['secret-token-123', '{"a": secret-token-123}', '[1, secret-token-123]']) {
      const r = await app.inject({ method: 'POST', url, body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.statusCode, 400, `${url} ${body}`);
      assert.match(problem(r).detail!, /^Malformed JSON in request body: /);
      assert.ok(!r.body.includes('secret'), r.body);
    }
  }
});

test('body size limits: per call, per route, per app (413), and the engine limit above them', async () => {
  const app = createApp({ bodyLimit: 10, maxBodySize: 100 });
  app.post('/app', async (ctx) => (await ctx.text({ type: '*/*' })).length);
  app.post('/call', async (ctx) => (await ctx.bytes(4)).length);
  app.post('/route', { bodyLimit: 20 }, async (ctx) => (await ctx.bytes()).length);
  app.post('/route-stream', { bodyLimit: 20 }, async (ctx) => {
    let n = 0;
    for await (const c of ctx.stream()) n += (c as Buffer).length;
    return n;
  });
  app.post('/big', { bodyLimit: 1000 }, async (ctx) => (await ctx.bytes()).length);
  const post = (url: string, size: number) => app.inject({ method: 'POST', url, body: 'x'.repeat(size) });
  assert.equal((await post('/app', 10)).body, '10');
  assert.equal((await post('/app', 11)).statusCode, 413);
  assert.equal((await post('/call', 4)).body, '4');
  assert.equal((await post('/call', 5)).statusCode, 413);
  assert.equal((await post('/route', 20)).body, '20');
  assert.equal((await post('/route', 21)).statusCode, 413);
  assert.equal((await post('/route-stream', 20)).body, '20');
  assert.equal((await post('/route-stream', 21)).statusCode, 413);
  assert.match(problem(await post('/route', 21)).detail!, /limit of 20 bytes/);
  // maxBodySize (the engine's) still caps what a route allows
  assert.equal((await post('/big', 101)).statusCode, 413);
});

test('what a handler returns becomes the response', async () => {
  const app = createApp();
  app.get('/text', () => 'hi');
  app.get('/json', () => ({ a: 1 }));
  app.get('/array', () => [1, 'two']);
  app.get('/number', () => 42);
  app.get('/bytes', () => Buffer.from([1, 2]));
  app.get('/u8', () => new Uint8Array([3]));
  app.get('/readable', () => Readable.from(['a', 'b']));
  app.get('/iterable', () => (async function* () { yield 'x'; yield 'y'; })());
  app.get('/response', () => new Response('made by fetch', { status: 202, headers: { 'x-a': '1', 'set-cookie': 'k=v' } }));
  app.get('/nothing', () => undefined);
  app.get('/null', () => null);
  app.get('/created', (ctx) => {
    ctx.status(201).set('Location', '/x');
  });
  app.get('/typed', (ctx) => {
    ctx.set('Content-Type', 'application/vnd.thing+json');
    return { b: 2 };
  });
  const get = (url: string) => app.inject(url);
  const t = await get('/text');
  assert.equal(t.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(t.body, 'hi');
  assert.equal((await get('/json')).headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual((await get('/json')).json(), { a: 1 });
  assert.deepEqual((await get('/array')).json(), [1, 'two']);
  assert.equal((await get('/number')).body, '42');
  assert.equal((await get('/bytes')).headers['content-type'], 'application/octet-stream');
  assert.deepEqual([...(await get('/bytes')).rawBody], [1, 2]);
  assert.deepEqual([...(await get('/u8')).rawBody], [3]);
  assert.equal((await get('/readable')).body, 'ab');
  const it = await get('/iterable');
  assert.equal(it.body, 'xy');
  assert.equal(it.headers['transfer-encoding'], 'chunked');
  const resp = await get('/response');
  assert.equal(resp.statusCode, 202);
  assert.equal(resp.headers['x-a'], '1');
  assert.equal(resp.headers['set-cookie'], 'k=v');
  assert.equal(resp.body, 'made by fetch');
  assert.equal((await get('/nothing')).statusCode, 204);
  assert.equal((await get('/null')).statusCode, 204);
  const created = await get('/created');
  assert.equal(created.statusCode, 201);
  assert.equal(created.headers.location, '/x');
  assert.equal(created.body, '');
  assert.equal((await get('/typed')).headers['content-type'], 'application/vnd.thing+json');
});

test('cookies on the response: attributes, several Set-Cookie fields, clearCookie, validation', async () => {
  const app = createApp({ onError: () => {} });
  app.get('/set', (ctx) =>
    ctx
      .cookie('sid', 'a b;c', { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: 3600 })
      .cookie('pref', 'dark', { expires: new Date(Date.UTC(2030, 0, 1)), domain: 'example.com', sameSite: 'strict' })
      .cookie('__Host-id', '1', { secure: true, path: '/', partitioned: true, sameSite: 'none' })
      .clearCookie('old', { path: '/app' })
      .status(200) && 'ok',
  );
  app.get('/bad', (ctx) => {
    ctx.cookie('a', 'x', { domain: 'evil.com\r\nX-Injected: 1' });
    return 'no';
  });
  const r = await app.inject('/set');
  assert.deepEqual(r.headers['set-cookie'], [
    'sid=a%20b%3Bc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax',
    'pref=dark; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Domain=example.com; SameSite=Strict',
    '__Host-id=1; Path=/; Secure; SameSite=None; Partitioned',
    'old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app',
  ]);
  const bad = await app.inject('/bad');
  assert.equal(bad.statusCode, 500);
  assert.equal(bad.headers['x-injected'], undefined);
});

test('redirects: status and Location, encoded; CR/LF rejected', async () => {
  const app = createApp({ onError: () => {} });
  app.get('/login', (ctx) => ctx.redirect('/auth?next=/a b&x=ü'));
  app.get('/moved', (ctx) => ctx.redirect('https://example.com/new', 301));
  app.get('/emoji', (ctx) => ctx.redirect('/tags/🎉?q=100%&ok=%41'));
  app.get('/split', (ctx) => ctx.redirect('/x\r\nSet-Cookie: a=b'));
  app.get('/not3xx', (ctx) => ctx.redirect('/x', 200));
  const r = await app.inject('/login');
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, '/auth?next=/a%20b&x=%C3%BC');
  assert.equal(r.body, '');
  const m = await app.inject('/moved');
  assert.equal(m.statusCode, 301);
  assert.equal(m.headers.location, 'https://example.com/new');
  assert.equal((await app.inject('/emoji')).headers.location, '/tags/%F0%9F%8E%89?q=100%25&ok=%41');
  const split = await app.inject('/split');
  assert.equal(split.statusCode, 500);
  assert.equal(split.headers['set-cookie'], undefined);
  assert.equal((await app.inject('/not3xx')).statusCode, 500);
});

test('ctx.state is shared along the chain', async () => {
  const app = createApp();
  app.use((ctx, next) => {
    ctx.state.user = 'ada';
    return next();
  });
  app.get('/', (ctx) => ({ user: ctx.state.user }));
  assert.deepEqual((await app.inject('/')).json(), { user: 'ada' });
});

test('header names are looked up in any case, on the request and the response (a lowercase miss is not looked up twice)', async () => {
  const app = createApp();
  app.get('/h', (ctx) => {
    ctx.set('X-Custom', 'v');
    return {
      req: [ctx.get('x-custom-in'), ctx.get('X-Custom-In'), ctx.get('X-CUSTOM-IN'), ctx.get('x-missing'), ctx.get('X-Missing'), ctx.get('x-custom-\u0130n')],
      res: [ctx.res.getHeader('x-custom'), ctx.res.getHeader('X-CUSTOM'), ctx.res.hasHeader('x-Custom'), ctx.res.getHeader('x-missing'), ctx.res.hasHeader('X-Missing')],
    };
  });
  const r = await app.inject({ url: '/h', headers: { 'X-Custom-In': 'in' } });
  assert.deepEqual(JSON.parse(r.body), { req: ['in', 'in', 'in', null, null, null], res: ['v', 'v', true, null, false] });
});
