import net from 'node:net';
import { EngineServer, type EngineHandler } from '../src/engine/server.js';
import type { EngineOptions } from '../src/engine/options.js';

/** Starts an engine server on an ephemeral 127.0.0.1 port. */
export async function startEngine(handler: EngineHandler, options: EngineOptions = {}): Promise<{ server: EngineServer; port: number; close(): Promise<void> }> {
  const server = new EngineServer(handler, { onError: () => {}, ...options });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, port, close: () => server.close({ timeout: 500 }) };
}

/**
 * Sends raw bytes (as one write, or as the given pieces with a pause between them) and collects
 * everything the server sends until it closes the connection or `waitMs` passes.
 */
export function rawRequest(port: number, data: string | Buffer | Array<string | Buffer>, opts: { waitMs?: number; gapMs?: number } = {}): Promise<{ text: string; closed: boolean }> {
  const waitMs = opts.waitMs ?? 1000;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { text += d; });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => (text === '' ? reject(e) : finish(true)));
    socket.on('connect', async () => {
      const pieces = Array.isArray(data) ? data : [data];
      for (const p of pieces) {
        if (socket.destroyed) return;
        socket.write(p);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
    });
  });
}

/** Splits raw response text into responses: [{ status, headers, body }]. Handles Content-Length and chunked. */
export function parseResponses(text: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const out: Array<{ status: number; headers: Record<string, string>; body: string }> = [];
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\r\n\r\n', pos);
    if (end === -1) break;
    const lines = text.slice(pos, end).split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    pos = end + 4;
    let body = '';
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      body = text.slice(pos, pos + n);
      pos += n;
    } else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const e = text.indexOf('\r\n', pos);
        const size = parseInt(text.slice(pos, e), 16);
        pos = e + 2;
        if (size === 0) { pos += 2; break; }
        body += text.slice(pos, pos + size);
        pos += size + 2;
      }
    } else if (status >= 200 && status !== 204 && status !== 304) {
      body = text.slice(pos);
      pos = text.length;
    }
    out.push({ status, headers, body });
  }
  return out;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
