// Writes what HttpArena mounts into its containers, when it is missing: DATA_DIR/dataset.json,
// DATA_DIR/static/* (with .gz and .br siblings) and a self-signed certificate for localhost and
// 127.0.0.1 (DATA_DIR/certs, made with the openssl command). A file `.complete` records a
// finished run, so a run cut short is redone rather than half used.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certPath, dataDir, datasetPath, keyPath, staticDir } from '../config.js';
import { generateDataset } from './dataset.js';
import { generateStaticFiles } from './static-files.js';

const VERSION = '2'; // bumped when the generated data changes: older data is regenerated

function writeCertificate(): void {
  mkdirSync(join(dataDir(), 'certs'), { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyPath(), '-out', certPath(),
  ], { stdio: 'ignore', timeout: 20_000 });
}

/** Generates the data files unless a complete set is there; returns whether it wrote anything. */
export function ensureDataFiles(): boolean {
  const marker = join(dataDir(), '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === VERSION && existsSync(datasetPath())) return false;
  mkdirSync(staticDir(), { recursive: true });
  writeFileSync(datasetPath(), JSON.stringify(generateDataset(), null, 2));
  for (const file of generateStaticFiles()) {
    writeFileSync(join(staticDir(), file.name), file.content);
    if (file.gzip) writeFileSync(join(staticDir(), `${file.name}.gz`), file.gzip);
    if (file.brotli) writeFileSync(join(staticDir(), `${file.name}.br`), file.brotli);
  }
  if (!process.env.TLS_CERT && !existsSync(certPath())) writeCertificate();
  writeFileSync(marker, VERSION);
  return true;
}
