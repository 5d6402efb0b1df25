// The request mixes of HttpArena's profiles as wrk Lua scripts (HttpArena drives HTTP/1.1 with
// gcannon and raw request templates; wrk with a script that rotates the same requests is the
// nearest tool here). Each function returns the script's text; write() puts them in a directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lua = (s) => JSON.stringify(s); // a Lua string literal (JSON escapes are valid Lua escapes here)

/** Rotates through `requests` (Lua expressions building request strings), one per call of request(). */
function rotate(requests, every = 1) {
  return `local reqs = {}
local n = 0
init = function(args)
${requests.map((r) => `  table.insert(reqs, ${r})`).join('\n')}
end
request = function()
  n = n + 1
  return reqs[(math.floor((n - 1) / ${every}) % #reqs) + 1]
end
`;
}

const get = (path, headers) => `wrk.format("GET", ${lua(path)}${headers ? `, ${headers}` : ''})`;

/** Every `every`-th request carries Connection: close: on average `every` requests per connection. */
function closeEvery(requests, every) {
  return `local reqs = {}
local closing = {}
local n = 0
init = function(args)
${requests.map((p) => `  table.insert(reqs, ${get(p)})\n  table.insert(closing, ${get(p, '{ ["Connection"] = "close" }')})`).join('\n')}
end
request = function()
  n = n + 1
  local i = ((n - 1) % #reqs) + 1
  if n % ${every} == 0 then return closing[i] end
  return reqs[i]
end
`;
}

const JSON_PAIRS = [[1, 3], [5, 7], [10, 2], [15, 5], [25, 4], [40, 8], [50, 6]];
export const STATIC_FILES = ['reset.css', 'layout.css', 'theme.css', 'components.css', 'utilities.css', 'analytics.js', 'helpers.js', 'app.js', 'vendor.js', 'router.js', 'header.html', 'footer.html', 'regular.woff2', 'bold.woff2', 'logo.svg', 'icon-sprite.svg', 'hero.webp', 'thumb1.webp', 'thumb2.webp', 'manifest.json'];
export const jsonPaths = (pairs = JSON_PAIRS) => pairs.map(([c, m]) => `/json/${c}?m=${m}`);

export const SCRIPTS = {
  /** GET, POST with Content-Length, POST chunked (the chunked one written out: wrk.format would add a Content-Length). */
  baseline: rotate([
    get('/baseline11?a=13&b=42'),
    `wrk.format("POST", "/baseline11?a=13&b=42", { ["Content-Type"] = "text/plain" }, "20")`,
    lua('POST /baseline11?a=13&b=42 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n20\r\n0\r\n\r\n'),
  ]),
  /** Connections closed after 10 requests. */
  'short-lived': closeEvery(['/baseline11?a=13&b=42'], 10),
  json: rotate(jsonPaths().map((p) => get(p))),
  'json-comp': rotate(jsonPaths([[25, 4], [40, 8], [50, 6]]).map((p) => get(p, '{ ["Accept-Encoding"] = "gzip, br" }'))),
  'json-tls': rotate(jsonPaths().map((p) => get(p))),
  /** 500 KB, 2 MB, 10 MB, 20 MB, each five times in a row. */
  upload: rotate([512000, 2097152, 10485760, 20971520].map((size) => `wrk.format("POST", "/upload", { ["Content-Type"] = "application/octet-stream" }, string.rep("x", ${size}))`), 5),
  static: rotate(STATIC_FILES.map((f) => get(`/static/${f}`, '{ ["Accept-Encoding"] = "br;q=1, gzip;q=0.8" }'))),
  'async-db': rotate([5, 10, 20, 35, 50].map((l) => get(`/async-db?min=10&max=50&limit=${l}`))),
  /** 75% cached reads, 15% updates (random ids up to 50,000), 5% list pages, 5% upserts from id 100,001. */
  crud: `local seq = 100000
request = function()
  local r = math.random(1, 20)
  if r <= 15 then return wrk.format("GET", "/crud/items/" .. math.random(1, 50000)) end
  if r <= 18 then return wrk.format("PUT", "/crud/items/" .. math.random(1, 50000), { ["Content-Type"] = "application/json" }, '{"name":"Updated Name","price":30,"quantity":5}') end
  if r == 19 then return wrk.format("GET", "/crud/items?category=electronics&page=" .. math.random(1, 10) .. "&limit=10") end
  seq = seq + 1
  return wrk.format("POST", "/crud/items", { ["Content-Type"] = "application/json" }, '{"id":' .. seq .. ',"name":"New Product","category":"test","price":25,"quantity":10}')
end
`,
  /** 3 baseline, 3 json, 2 async-db; connections closed after 5 requests. */
  'api-4': closeEvery(['/baseline11?a=1&b=2', '/json/25?m=4', '/baseline11?a=1&b=2', '/json/40?m=8', '/async-db?min=10&max=50', '/baseline11?a=1&b=2', '/json/50?m=6', '/async-db?min=10&max=50'], 5),
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
