// Where an entry finds what HttpArena mounts or passes in its container: the data directory
// (/data there; DATA_DIR here, default benches/httparena/data, filled by `npm run
// httparena:setup`), the certificate (TLS_CERT / TLS_KEY, default DATA_DIR/certs/server.*) and the
// database (DATABASE_URL, DATABASE_MAX_CONN; DATABASE_SCHEMA keeps the items table out of the
// way of other users of the same database).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from './rules.js';

export const dataDir = (): string => process.env.DATA_DIR ?? fileURLToPath(new URL('./data', import.meta.url));
export const datasetPath = (): string => join(dataDir(), 'dataset.json');
export const staticDir = (): string => join(dataDir(), 'static');
export const certPath = (): string => process.env.TLS_CERT ?? join(dataDir(), 'certs', 'server.crt');
export const keyPath = (): string => process.env.TLS_KEY ?? join(dataDir(), 'certs', 'server.key');

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const databaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

/** DATABASE_MAX_CONN: the pool's size (HttpArena sets it to the server's max_connections, 256). Default 16. */
export function databaseMaxConnections(): number {
  const raw = process.env.DATABASE_MAX_CONN;
  if (raw === undefined || raw === '') return 16;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`DATABASE_MAX_CONN must be a positive integer, not "${raw}"`);
  return n;
}

/**
 * The schema of the items table (default `httparena`). The connection's search_path puts it
 * before `public`, so against HttpArena's own database (items in public) nothing changes.
 */
export function databaseSchema(): string {
  const schema = process.env.DATABASE_SCHEMA ?? 'httparena';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`DATABASE_SCHEMA must be a plain lower-case identifier, not "${schema}"`);
  return schema;
}

/** The largest upload the profile sends: 20 MiB. */
export const UPLOAD_LIMIT = 20 * 1024 * 1024;

/** dataset.json, parsed. */
export const readDataset = (): Item[] => JSON.parse(readFileSync(datasetPath(), 'utf8')) as Item[];

/** The certificate and key, read now (PEM). */
export const tlsFiles = (): { key: Buffer; cert: Buffer } => ({ key: readFileSync(keyPath()), cert: readFileSync(certPath()) });
