// A 1 GiB upload streams to disk through a server whose memory stays bounded: its peak resident
// memory grows by far less than the upload (measured in the server's own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const GiB = 1024 * 1024 * 1024;
const BUDGET = 200 * 1024 * 1024;

test('1 GiB upload to disk: the server peak memory stays within 200 MiB of where it started', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-upload-'));
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./upload-server.fixture.ts', import.meta.url).pathname], {
    env: { ...process.env, UPLOAD_DIR: dir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const base = `http://127.0.0.1:${line}`;
    const memory = async () => (await (await fetch(`${base}/memory`)).json()) as { rss: number; peak: number };
    const before = await memory();
    const boundary = 'armature-boundary-1234';
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    async function* body() {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="big"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      for (let sent = 0; sent < GiB; sent += chunk.length) yield chunk;
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const r = await fetch(`${base}/upload`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: body() as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { sizes: [GiB] });
    const afterUpload = await memory();
    const growth = afterUpload.peak - before.rss;
    console.log(`# server RSS before ${Math.round(before.rss / 2 ** 20)} MiB, peak during the 1 GiB upload ${Math.round(afterUpload.peak / 2 ** 20)} MiB (+${Math.round(growth / 2 ** 20)} MiB)`);
    assert.ok(growth < BUDGET, `peak grew by ${Math.round(growth / 2 ** 20)} MiB`);
    assert.deepEqual(readdirSync(dir), [], 'the temporary file is removed after the answer');
  } finally {
    child.stdin!.end();
    if (child.exitCode === null) await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 3000))]);
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
