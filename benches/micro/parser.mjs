#!/usr/bin/env node
// HTTP/1.1 request head parsing: Armature's parser (packages/core/src/engine/parser.ts) against
// llhttp, the parser in Node's http module, on the same bytes, in one run (mitata, see
// harness.mjs).
//
//   npm run build && node --expose-gc benches/micro/parser.mjs     (or: npm run bench:micro -- parser)
//   env: ROUNDS (3), ONLY (a regular expression: the groups to run)
//
// Inputs:
//   plaintext   TechEmpower's plaintext request (the headers its wrk sends), 1 request
//   browser     a browser-like API request: query string, 12 header fields, cookies
//   pipelined   16 plaintext requests in one buffer, as TechEmpower's pipelined test sends them
//
// Both sides start from a Buffer, as read from a socket, and end with each request's method,
// target and header fields as JavaScript strings.
//  - armature: what the engine's Connection does per read: one latin1 string view of the
//    buffer, then per request indexOf('\r\n\r\n') and parseHeadAt() (which scans the bytes
//    and slices the view for the strings it returns). parseHeadAt validates as
//    llhttp's strict mode does, lowercases the names (common ones as constants), splits path
//    and query, and works out Content-Length, chunked, keep-alive and Expect.
//  - llhttp (Node): Node's own binding (the HTTPParser class of the built-in `_http_common`
//    module, the one node:http creates per connection; no warning on Node 20 or 24, unlike
//    process.binding('http_parser'), deprecated (DEP0111) on 20 and gone on 24), fed with
//    execute(buffer). llhttp scans in C and calls back into JavaScript once per request with the
//    version, the raw header list [name, value, …] (names as sent), the method index and the
//    URL; the callback keeps what Node keeps: the method name, the URL and the raw list. That
//    callback cost is counted, as it is in Node (where the callback then builds an
//    IncomingMessage, which is not counted here). Framing (Content-Length, chunked, keep-alive)
//    is computed inside llhttp.
//  - llhttp + Armature's output: the same, with the callback also doing what parseHeadAt
//    returns and llhttp leaves to later: lowercased names and values in two arrays, and the
//    path and query split. This is the like-for-like figure.
import { createRequire } from 'node:module';
import { parseHeadAt } from '../../packages/core/dist/engine/parser.js';
import { resolveEngineOptions } from '../../packages/core/dist/engine/options.js';
import { compare, do_not_optimize, selected } from './harness.mjs';

const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common');
const LIMITS = resolveEngineOptions();

const PLAINTEXT = 'GET /plaintext HTTP/1.1\r\nHost: tfb-server:8080\r\n' +
  'Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\nConnection: keep-alive\r\n\r\n';
const BROWSER = [
  'GET /api/users/8211/orders?status=open&sort=-created&page=2 HTTP/1.1',
  'Host: shop.example.com',
  'Connection: keep-alive',
  'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Accept: application/json, text/plain, */*',
  'Sec-Fetch-Site: same-origin',
  'Sec-Fetch-Mode: cors',
  'Sec-Fetch-Dest: empty',
  'Referer: https://shop.example.com/account/orders',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-GB,en;q=0.9,fr;q=0.8',
  'Cookie: session=9f86d081884c7d659a2feaa0c55ad015; theme=dark; _ga=GA1.2.1234567890.1700000000',
  '',
  '',
].join('\r\n');
const INPUTS = selected([
  { group: 'plaintext (1 request)', bytes: Buffer.from(PLAINTEXT, 'latin1'), requests: 1 },
  { group: 'browser (1 request, 12 headers)', bytes: Buffer.from(BROWSER, 'latin1'), requests: 1 },
  { group: 'pipelined (16 requests)', bytes: Buffer.from(PLAINTEXT.repeat(16), 'latin1'), requests: 16 },
]);

// ---- Armature -------------------------------------------------------------------------------

/**
 * The engine's way through one read: a latin1 view, then each head parsed in place
 * (parseHeadAt scans the bytes and slices the view).
 */
function armature(buf) {
  const view = buf.latin1Slice(0, buf.length);
  let pos = 0;
  let last = null;
  while (pos < view.length) {
    const end = view.indexOf('\r\n\r\n', pos);
    last = parseHeadAt(view, buf, pos, end + 2, LIMITS);
    pos = end + 4;
  }
  return last;
}

// ---- llhttp ---------------------------------------------------------------------------------

/** A parser set up as node:http sets one up for a connection; onHead receives each request. */
function llhttp(onHead) {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
  let last = null;
  parser[HTTPParser.kOnHeaders] = () => {
    throw new Error('header list split across callbacks (over 32 fields): not expected here');
  };
  parser[HTTPParser.kOnHeadersComplete] = (major, minor, headers, method, url, statusCode, statusMessage, upgrade, keepAlive) => {
    last = onHead(methods[method], url, headers, keepAlive);
    return 0;
  };
  parser[HTTPParser.kOnBody] = () => {};
  parser[HTTPParser.kOnMessageComplete] = () => {};
  return (buf) => {
    const n = parser.execute(buf);
    if (typeof n !== 'number') throw n; // a parse error comes back as an Error
    return last;
  };
}

const raw = llhttp((method, url, headers, keepAlive) => ({ method, url, headers, keepAlive }));

const normalized = llhttp((method, url, headers, keepAlive) => {
  const names = [];
  const values = [];
  for (let i = 0; i < headers.length; i += 2) {
    names.push(headers[i].toLowerCase());
    values.push(headers[i + 1]);
  }
  const q = url.indexOf('?');
  return { method, url, path: q === -1 ? url : url.slice(0, q), query: q === -1 ? '' : url.slice(q + 1), names, values, keepAlive };
});

// ---- the same answers before timing -----------------------------------------------------------

for (const input of INPUTS) {
  const a = armature(input.bytes);
  const r = raw(input.bytes);
  const n = normalized(input.bytes);
  const same = a.method === r.method && a.url === r.url && a.keepAlive === r.keepAlive && r.headers.length === 2 * a.names.length &&
    a.path === n.path && a.query === n.query && JSON.stringify(a.names) === JSON.stringify(n.names) && JSON.stringify(a.values) === JSON.stringify(n.values);
  if (!same) throw new Error(`the parsers disagree on ${input.group}: ${JSON.stringify({ a, r, n })}`);
}

const cases = INPUTS.flatMap(({ group, bytes, requests }) => [
  { group, name: 'armature parseHeadAt', ops: requests, fn: () => do_not_optimize(armature(bytes)) },
  { group, name: 'llhttp (Node)', ops: requests, fn: () => do_not_optimize(raw(bytes)) },
  { group, name: 'llhttp + Armature output', ops: requests, fn: () => do_not_optimize(normalized(bytes)) },
]);

await compare(cases, {
  title: `HTTP request head parsing, ns per request: Armature vs llhttp ${process.versions.llhttp} (Node ${process.version})`,
  reference: 'llhttp (Node)',
  file: 'parser',
  notes: 'From a Buffer to method, target and header fields per request. llhttp through Node\'s HTTPParser binding (_http_common), ' +
    'with its JavaScript callback; "llhttp + Armature output" also lowercases names and splits path and query, as parseHeadAt does.',
});
