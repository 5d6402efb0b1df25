// HttpArena's gateway profile as a local deployment: the Armature entry (HTTP/1.1 listener,
// WORKERS processes, default 1) on an internal port, and nginx in front of it on GATEWAY_PORT
// (8443) terminating TLS and HTTP/2 and serving /static/* from disk (config from
// nginx.conf.template, written with its pid file and temp directories into a fresh directory).
// Prints `gateway h2 listening on https://host:port` when both are up; SIGTERM / SIGINT stop
// nginx (graceful quit) and the server. Needs Debian's nginx (apt-get install nginx, and
// libnginx-mod-http-brotli-static for the .br files).
//   node --import tsx benches/httparena/gateway/run.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDataFiles } from '../generate/files.js';
import { listenHost } from '../profiles.js';
import { nginxBinary, nginxConfig } from './nginx.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, ms = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms: ${out}`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${out}`));
    });
  });
}

const nginx = nginxBinary();
if (nginx === null) {
  console.error('nginx is not installed: apt-get install -y nginx libnginx-mod-http-brotli-static');
  process.exit(2);
}
ensureDataFiles();
const port = Number(process.env.GATEWAY_PORT ?? 8443);
const server = spawn(process.execPath, ['--import', 'tsx', 'benches/httparena/armature/main.ts'], {
  cwd: root,
  env: { ...process.env, PROFILE: 'baseline', PORT: process.env.SERVER_PORT ?? '0', WORKERS: process.env.WORKERS ?? '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const serverPort = Number((await waitForLine(server, / h1 listening on http:\/\/[^:]+:(\d+)/, 'the Armature server'))[1]);
let stopping = false;
const prefix = mkdtempSync(join(tmpdir(), 'httparena-gateway-'));
for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
writeFileSync(join(prefix, 'nginx.conf'), nginxConfig(prefix, port, serverPort, Number(process.env.NGINX_WORKERS ?? 1)));
const proxy = spawn(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
proxy.once('exit', (code) => {
  if (!stopping) {
    console.error(`nginx exited with ${code}`);
    server.kill('SIGTERM');
    process.exitCode = 1;
  }
});
// nginx prints nothing when it is up: wait for its port
for (let i = 0; ; i++) {
  const probe = spawnSync('curl', ['-sk', '--http2', '-o', '/dev/null', '-w', '%{http_code}', `https://${listenHost()}:${port}/static/reset.css`], { encoding: 'utf8' });
  if (probe.stdout === '200') break;
  if (i > 100) throw new Error(`nginx does not answer on ${port}: ${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`gateway h2 listening on https://${listenHost()}:${port}`);

const stop = (): void => {
  if (stopping) return;
  stopping = true;
  proxy.kill('SIGQUIT'); // nginx: graceful shutdown
  server.kill('SIGTERM');
  let left = 2;
  const done = () => {
    if (--left === 0) {
      rmSync(prefix, { recursive: true, force: true });
      process.exit(0);
    }
  };
  proxy.once('exit', done);
  server.once('exit', done);
  setTimeout(() => process.exit(1), 15_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
