// The request mixes of HttpArena's profiles as wrk Lua scripts. HttpArena drives HTTP/1.1 with
// gcannon and raw request templates (its requests/*.raw and scripts/lib/tools/gcannon.sh): a list
// of templates in rotation and, for most profiles, a number of requests per connection (`-r`)
// after which it reconnects. wrk with a script is the nearest tool here: the same requests in
// the same rotation, and every n-th one carrying `Connection: close`, so that connections serve n
// requests on average. Each entry of SCRIPTS is a script's text; writeScripts() saves them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lua = (s) => JSON.stringify(s); // a Lua string literal (JSON's escapes are valid in Lua)

/** A request as Lua arguments of req(): method, path, header table, body (a Lua expression). */
const request = (method, path, headers = {}, body = 'nil') =>
  `${lua(method)}, ${lua(path)}, { ${Object.entries(headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')} }, ${body}`;

const PRELUDE = `local function req(method, path, headers, body, close)
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if close then h["Connection"] = "close" end
  return wrk.format(method, path, h, body)
end
`;

/** `requests` in rotation; with `perConnection`, every perConnection-th request closes its connection. */
function rotation(requests, perConnection = 0) {
  return `${PRELUDE}local reqs, closing, n = {}, {}, 0
init = function(args)
${requests.map((r) => `  table.insert(reqs, req(${r}, false))\n  table.insert(closing, req(${r}, true))`).join('\n')}
end
request = function()
  n = n + 1
  local i = ((n - 1) % #reqs) + 1
  if ${perConnection} > 0 and n % ${perConnection} == 0 then return closing[i] end
  return reqs[i]
end
`;
}

const get = (path, headers) => request('GET', path, headers);
const JSON_PAIRS = [[1, 3], [5, 7], [10, 2], [15, 5], [25, 4], [40, 8], [50, 6]];
export const STATIC_FILES = ['reset.css', 'layout.css', 'theme.css', 'components.css', 'utilities.css', 'analytics.js', 'helpers.js', 'app.js', 'vendor.js', 'router.js', 'header.html', 'footer.html', 'regular.woff2', 'bold.woff2', 'logo.svg', 'icon-sprite.svg', 'hero.webp', 'thumb1.webp', 'thumb2.webp', 'manifest.json'];
export const jsonPaths = (pairs = JSON_PAIRS) => pairs.map(([c, m]) => `/json/${c}?m=${m}`);

export const SCRIPTS = {
  /** get.raw, post_cl.raw, post_chunked.raw (no Content-Type), keep-alive; written out, as wrk.format would add a Content-Length to the chunked one. */
  baseline: `local reqs, n = {}, 0
init = function(args)
  table.insert(reqs, wrk.format("GET", "/baseline11?a=13&b=42"))
  table.insert(reqs, ${lua('POST /baseline11?a=13&b=42 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n20')})
  table.insert(reqs, ${lua('POST /baseline11?a=13&b=42 HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n20\r\n0\r\n\r\n')})
end
request = function()
  n = n + 1
  return reqs[((n - 1) % #reqs) + 1]
end
`,
  /** limited-conn: get.raw with 10 requests per connection. */
  'short-lived': rotation([get('/baseline11?a=13&b=42')], 10),
  json: rotation(jsonPaths().map((p) => get(p)), 25),
  'json-comp': rotation(jsonPaths([[25, 4], [40, 8], [50, 6]]).map((p) => get(p, { 'Accept-Encoding': 'gzip, br' })), 25),
  /** json-tls-rotate.lua: the json pairs, keep-alive. */
  'json-tls': rotation(jsonPaths().map((p) => get(p))),
  /** 500 KB, 2 MB, 10 MB, 20 MB in rotation, 5 requests per connection. */
  upload: rotation([512000, 2097152, 10485760, 20971520].map((size) => request('POST', '/upload', { 'Content-Type': 'application/octet-stream' }, `string.rep("x", ${size})`)), 5),
  /** static-rotate.lua: the 20 files, brotli preferred, keep-alive. */
  static: rotation(STATIC_FILES.map((f) => get(`/static/${f}`, { 'Accept-Encoding': 'br;q=1, gzip;q=0.8' }))),
  'async-db': rotation([5, 10, 20, 35, 50].map((l) => get(`/async-db?min=10&max=50&limit=${l}`)), 25),
  /** The crud templates: 15 reads, 3 updates (random ids up to 50,000), 1 page of category office, 1 upsert from id 100,001; 200 requests per connection. */
  crud: `${PRELUDE}local seq, n = 100000, 0
request = function()
  n = n + 1
  local close = n % 200 == 0
  local r = math.random(1, 20)
  if r <= 15 then return req("GET", "/crud/items/" .. math.random(1, 50000), {}, nil, close) end
  if r <= 18 then return req("PUT", "/crud/items/" .. math.random(1, 50000), { ["Content-Type"] = "application/json" }, '{"name":"Updated Product","category":"test","price":200,"quantity":25}', close) end
  if r == 19 then return req("GET", "/crud/items?category=office&page=" .. math.random(1, 10) .. "&limit=10", {}, nil, close) end
  seq = seq + 1
  return req("POST", "/crud/items", { ["Content-Type"] = "application/json" }, '{"id":' .. seq .. ',"name":"New Product","category":"test","price":150,"quantity":30}', close)
end
`,
  /** get.raw ×3, json-get.raw ×3, async-db-get.raw ×2, 5 requests per connection. */
  'api-4': rotation([
    ...Array(3).fill(get('/baseline11?a=13&b=42')),
    ...Array(3).fill(get('/json/50?m=1')),
    ...Array(2).fill(get('/async-db?min=10&max=50&limit=50')),
  ], 5),
};

/** Writes every script into a new temporary directory; returns { name: path }. */
export function writeScripts() {
  const dir = mkdtempSync(join(tmpdir(), 'httparena-wrk-'));
  return Object.fromEntries(Object.entries(SCRIPTS).map(([name, text]) => {
    const path = join(dir, `${name}.lua`);
    writeFileSync(path, text);
    return [name, path];
  }));
}
