// nginx for the gateway profile: where it is installed, and its configuration from
// nginx.conf.template.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { certPath, keyPath, staticDir } from '../config.js';
import { listenHost } from '../profiles.js';

const BROTLI_MODULE = '/usr/share/nginx/modules/ngx_http_brotli_static_module.so';

/** The nginx binary, or null when it is not installed. */
export function nginxBinary(): string | null {
  for (const path of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(path)) return path;
  return spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim() || null;
}

/** nginx.conf for a gateway on `port` in front of the server on `serverPort`. */
export function nginxConfig(prefix: string, port: number, serverPort: number, workers = 1): string {
  const brotli = existsSync(BROTLI_MODULE);
  const fields: Record<string, string> = {
    LOAD_MODULES: brotli ? `load_module ${BROTLI_MODULE};` : '',
    BROTLI_STATIC: brotli ? 'brotli_static on;' : '',
    NGINX_WORKERS: String(workers),
    PREFIX: prefix,
    HOST: listenHost(),
    PORT: String(port),
    SERVER_PORT: String(serverPort),
    CERT: certPath(),
    KEY: keyPath(),
    STATIC: staticDir(),
  };
  return readFileSync(new URL('./nginx.conf.template', import.meta.url), 'utf8').replace(/@([A-Z_]+)@/g, (_, name: string) => fields[name] ?? '');
}

