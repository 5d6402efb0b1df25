/** Shared by the compression tests: decoders, a JSON document of a given size, servers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { App } from '@armature/core';

/** Decodes a body with Node's zlib. */
export function decode(coding: string, body: Buffer): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    case 'zstd':
      return (zlib as unknown as { zstdDecompressSync(b: Buffer): Buffer }).zstdDecompressSync(body);
    default:
      return body;
  }
}

/** A streaming decoder for a coding. */
export function decoder(coding: string): zlib.Gunzip {
  switch (coding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress() as unknown as zlib.Gunzip;
    case 'zstd':
      return (zlib as unknown as { createZstdDecompress(): zlib.Gunzip }).createZstdDecompress();
    default:
      throw new Error(`no decoder for ${coding}`);
  }
}

/** The benchmark's JSON document (user-like records), about `bytes` long once serialized. */
export { document as jsonDocument } from '../../../benches/compression/payload.js';

/** A running server for a test: the engine, or node:http with the app's listener. */
export interface Served {
  readonly kind: 'engine' | 'node';
  readonly port: number;
  close(): Promise<void>;
}

export async function serve(app: App, kind: 'engine' | 'node'): Promise<Served> {
  if (kind === 'engine') {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { kind, port: address.port, close: () => app.close({ timeout: 1000 }) };
  }
  const server = http.createServer(app.nodeListener());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    kind,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
