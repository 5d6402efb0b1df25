/**
 * armature dev: the app runs from its sources; a change restarts it gracefully (the request in
 * flight finishes on the old process before the new one starts); a crash waits for the next
 * change; Ctrl-C stops both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, linkNodeModules, remove, tempDir } from './app-dir.js';

const MAIN = `import { Armature, Controller, Get, Module } from '@armature/core';
import { version } from './version.js';

@Controller('/')
class VersionController {
  @Get('/version') show() {
    return version;
  }
  @Get('/slow') async slow() {
    await new Promise((r) => setTimeout(r, 700));
    return \`slow \${version}\`;
  }
}

@Module({ controllers: [VersionController] })
class AppModule {}

const app = await Armature.create(AppModule);
const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(\`listening on http://127.0.0.1:\${port}\`);
`;

function waitFor(read: () => string, pattern: RegExp, from: number, ms = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const m = pattern.exec(read().slice(from));
      if (m) {
        clearInterval(poll);
        resolve(m);
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`no ${pattern} in:\n${read()}`));
      }
    }, 25);
  });
}

test('restarts on a change after the request in flight is answered; waits after a crash; Ctrl-C stops it', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  linkNodeModules(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'd', private: true, type: 'module' }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/main.ts'), MAIN);
  writeFileSync(join(dir, 'src/version.ts'), "export const version = 'v1';\n");
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [bin, 'dev'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const read = () => out;
  try {
    const first = await waitFor(read, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 0);
    const port1 = Number(first[1]);
    assert.equal(await (await fetch(`http://127.0.0.1:${port1}/version`)).text(), 'v1');

    const slow = fetch(`http://127.0.0.1:${port1}/slow`).then(async (r) => [r.status, await r.text()] as const);
    await new Promise((r) => setTimeout(r, 200));
    const mark = out.length;
    writeFileSync(join(dir, 'src/version.ts'), "export const version = 'v2';\n");
    assert.deepEqual(await slow, [200, 'slow v1'], 'the old process finished the request it had');
    const second = await waitFor(read, /listening on http:\/\/127\.0\.0\.1:(\d+)/, mark);
    assert.match(out.slice(mark), /\[armature\] src\/version\.ts changed: restarting/);
    assert.equal(await (await fetch(`http://127.0.0.1:${second[1]}/version`)).text(), 'v2');

    const beforeCrash = out.length;
    writeFileSync(join(dir, 'src/version.ts'), "export const version = ;\n");
    await waitFor(read, /the app exited \(code 1\); waiting for a change/, beforeCrash);
    const beforeFix = out.length;
    writeFileSync(join(dir, 'src/version.ts'), "export const version = 'v3';\n");
    const third = await waitFor(read, /listening on http:\/\/127\.0\.0\.1:(\d+)/, beforeFix);
    assert.equal(await (await fetch(`http://127.0.0.1:${third[1]}/version`)).text(), 'v3');

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    await assert.rejects(fetch(`http://127.0.0.1:${third[1]}/version`), 'the app stopped with the dev loop');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    remove(dir);
  }
});
