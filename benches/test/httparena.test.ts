// The HttpArena entries (benches/httparena: Armature's, and the node:http and Fastify references
// the benchmark compares it with), each started as a real process serving every profile, checked
// against HttpArena's validation rules with real clients (curl, fetch, raw TCP): see
// benches/httparena/validation.ts. The database profiles need PostgreSQL at DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/test; the items table is created when missing) and
// are skipped, with the reason printed, when it cannot be reached.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataDir } from '../httparena/config.js';
import { seedDatabase } from '../httparena/generate/database.js';
import { ensureDataFiles } from '../httparena/generate/files.js';
import { ENTRIES, SERVES_WEBSOCKET, root, startEntry, type EntryName, type RunningEntry } from '../httparena/entries.js';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { nginxBinary } from '../httparena/gateway/nginx.js';
import { gatewayChecks, httpArenaChecks, wsChecks } from '../httparena/validation.js';

let databaseProblem: string | null = null;

before(async () => {
  ensureDataFiles();
  try {
    await seedDatabase();
  } catch (error) {
    databaseProblem = `PostgreSQL not usable: ${(error as Error).message}`;
    console.log(`# database profiles skipped: ${databaseProblem}`);
  }
});

for (const entry of Object.keys(ENTRIES) as EntryName[]) {
  describe(`HttpArena entry: ${entry}`, () => {
    let running: RunningEntry;
    before(async () => {
      running = await startEntry(entry);
    });
    after(async () => {
      assert.equal(await running.stop(), 0, `${entry} exits cleanly on SIGTERM: ${running.stderr()}`);
    });

    const checks = [...httpArenaChecks((listener) => running.ports[listener]!, dataDir()), ...wsChecks(() => running.ports.h1!)];
    for (const check of checks) {
      test(`${check.profile}: ${check.name}`, async (t) => {
        if (check.database && databaseProblem !== null) return t.skip(databaseProblem);
        const noWebSocket = check.profile === 'echo-ws' ? SERVES_WEBSOCKET[entry] : true;
        if (noWebSocket !== true) return t.skip(noWebSocket);
        await check.run();
      });
    }
  });
}

/** A port of 127.0.0.1 nothing listens on now (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('HttpArena gateway: nginx (TLS, HTTP/2, static files) in front of the Armature entry', () => {
  const nginx = nginxBinary();
  let port = 0;
  let child: ReturnType<typeof spawn> | null = null;
  let output = '';
  before(async () => {
    if (nginx === null) return;
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'benches/httparena/gateway/run.ts'], { cwd: root, env: { ...process.env, GATEWAY_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${output}`)), 60_000);
      child!.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('gateway h2 listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${output}`)));
    });
  });
  after(async () => {
    if (child === null) return;
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `the gateway stops cleanly: ${output}`);
  });
  for (const check of gatewayChecks(() => port)) {
    test(`${check.profile}: ${check.name}`, async (t) => {
      if (nginx === null) return t.skip('nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-static)');
      if (check.database && databaseProblem !== null) return t.skip(databaseProblem);
      await check.run();
    });
  }
});
