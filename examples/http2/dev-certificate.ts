// A self-signed certificate for localhost, made at start-up with openssl: for development only.
// Browsers and clients will warn about it (curl -k, rejectUnauthorized: false). In production,
// use a certificate from your CA (or terminate TLS at a proxy, see docs/http2.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function devCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'armature-dev-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '7',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        '-keyout', keyPath, '-out', certPath,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl is not installed' : String((error as Error).message);
    throw new Error(`Could not make a development certificate (${reason}). Pass your own key and cert instead.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
