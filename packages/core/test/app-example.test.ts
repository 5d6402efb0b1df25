// examples/app/main.ts runs, answers as its comments say, and exits on SIGTERM — even with an
// event stream open. (It imports '@armature/core', the built package: `npx tsc -b packages/core`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from './example-process.js';

test('the app example: groups, cookies, SSE, errors; graceful exit on SIGTERM', async () => {
  const example = await startExample('examples/app/main.ts', { NODE_ENV: 'test' });
  try {
    const port = example.port;
    const base = `http://127.0.0.1:${port}`;

    const anonymous = await fetch(`${base}/api/me`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('content-type'), 'application/problem+json');
    await anonymous.text();

    const login = await fetch(`${base}/api/login`, { method: 'POST', body: '{"name":"ada"}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await login.json(), { welcome: 'ada' });
    const cookie = login.headers.getSetCookie()[0]!;
    assert.match(cookie, /^session=ada; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/);
    assert.match(login.headers.get('server-timing') ?? '', /^app;dur=/);

    const me = await fetch(`${base}/api/me`, { headers: { cookie: 'session=ada', 'x-forwarded-proto': 'https' } });
    assert.deepEqual(await me.json(), { user: 'ada', protocol: 'https', host: `127.0.0.1:${port}` });
    const note = await fetch(`${base}/api/notes/1`, { headers: { cookie: 'session=ada' } });
    assert.deepEqual(await note.json(), { id: '1', note: 'Buy milk' });

    const admin = await fetch(`${base}/admin`, { headers: { authorization: 'Bearer admin' } });
    assert.deepEqual(await admin.json(), { notes: 1 });
    const noAdmin = await fetch(`${base}/admin`);
    assert.equal(noAdmin.status, 401);
    assert.equal(noAdmin.headers.get('www-authenticate'), 'Bearer');
    await noAdmin.text();

    const boom = await fetch(`${base}/boom`);
    assert.equal(boom.status, 500);
    assert.doesNotMatch(await boom.text(), /internal detail/);
    assert.match(example.stderr(), /internal detail that clients never see/); // reported on the server side
    const missing = await fetch(`${base}/nowhere`);
    assert.deepEqual(await missing.json(), { error: 'Nothing at /nowhere', see: '/' });

    // an open event stream: the first tick arrives, then SIGTERM ends it and the process
    const events = await fetch(`${base}/events`);
    assert.equal(events.headers.get('content-type'), 'text/event-stream');
    const reader = events.body!.getReader();
    let text = '';
    while (!text.includes('event: tick')) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /^retry: 3000\n\nevent: tick\nid: 1\ndata: \{"at":"/);

    const exited = example.stop('SIGTERM');
    assert.equal(await exited, 0);
    for (;;) if ((await reader.read()).done) break;
  } finally {
    example.kill();
  }
});
