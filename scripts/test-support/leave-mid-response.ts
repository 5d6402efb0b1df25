/**
 * A client that goes away in the middle of a response: GET `path` from 127.0.0.1:`port`, and
 * destroy the connection as soon as the first bytes of the body arrive. Resolves then; rejects
 * if none arrive within `timeoutMs`.
 */
import http from 'node:http';

export function leaveMidResponse(port: number, path: string, timeoutMs = 5000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no body bytes from ${path} within ${timeoutMs} ms`)), timeoutMs);
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.once('data', () => {
        clearTimeout(timer);
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => {});
  });
}
