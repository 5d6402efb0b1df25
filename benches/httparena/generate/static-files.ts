// The 20 files of the static profiles, after HttpArena's scripts/generate_static.py: CSS, JS,
// HTML, SVG and a web manifest of the published sizes, made of realistic, repetitive source text
// with some random identifiers mixed in (so they compress about as well as real assets do), and
// webp / woff2 files of random bytes behind their real signatures. Every text file gets its
// precompressed siblings: .gz (gzip level 9) and .br (brotli quality 11).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { SeededRandom } from './random.js';

type Kind = 'css' | 'js' | 'html' | 'svg' | 'json' | 'webp' | 'woff2';

/** Name, kind and size in bytes of each file HttpArena serves. */
export const STATIC_FILES: ReadonlyArray<readonly [name: string, kind: Kind, bytes: number]> = [
  ['reset.css', 'css', 8192],
  ['layout.css', 'css', 25600],
  ['theme.css', 'css', 18432],
  ['components.css', 'css', 204800],
  ['utilities.css', 'css', 61440],
  ['analytics.js', 'js', 12288],
  ['helpers.js', 'js', 22528],
  ['app.js', 'js', 204800],
  ['vendor.js', 'js', 307200],
  ['router.js', 'js', 35840],
  ['header.html', 'html', 122880],
  ['footer.html', 'html', 56320],
  ['regular.woff2', 'woff2', 18432],
  ['bold.woff2', 'woff2', 22528],
  ['logo.svg', 'svg', 15344],
  ['icon-sprite.svg', 'svg', 71680],
  ['hero.webp', 'webp', 46080],
  ['thumb1.webp', 'webp', 8192],
  ['thumb2.webp', 'webp', 6144],
  ['manifest.json', 'json', 2883],
];

export const STATIC_NAMES: readonly string[] = STATIC_FILES.map(([name]) => name);

const PROPS = ['display:flex', 'align-items:center', 'justify-content:space-between', 'position:relative', 'overflow:hidden', 'width:100%', 'margin:0', 'padding:8px 16px', 'gap:16px', 'border-radius:8px', 'color:var(--fg)', 'background:var(--surface)', 'font-size:.875rem', 'font-weight:600', 'line-height:1.5', 'transition:all .2s ease', 'box-shadow:0 1px 3px rgba(0,0,0,.1)', 'border:1px solid var(--border-color)', 'cursor:pointer', 'z-index:10'];
const COMPONENTS = ['btn', 'card', 'modal', 'nav', 'sidebar', 'header', 'footer', 'hero', 'alert', 'badge', 'toast', 'tooltip', 'dropdown', 'tab', 'table', 'form', 'input', 'menu', 'panel', 'grid'];
const SUFFIXES = ['', '-sm', '-lg', '-primary', '-outline', '-header', '-body', '-title', '-item', '-active', '-disabled', '-group'];
const VERBS = ['handle', 'render', 'update', 'create', 'fetch', 'parse', 'validate', 'format', 'compute', 'init', 'resolve', 'merge', 'filter', 'map', 'reduce', 'subscribe'];
const NOUNS = ['User', 'Item', 'List', 'Data', 'Config', 'State', 'Event', 'Result', 'Request', 'Query', 'Store', 'Cache', 'Session', 'Token', 'Route', 'View'];
const TAGS = ['div', 'span', 'a', 'li', 'section', 'button', 'p', 'h3'];

/** A short random identifier: the part of real code that does not repeat. */
const ident = (r: SeededRandom): string => r.int(0, 36 ** 5).toString(36);

function cssChunk(r: SeededRandom): string {
  const decls = Array.from({ length: r.int(2, 5) }, () => r.pick(PROPS)).join(';');
  const rule = `.${r.pick(COMPONENTS)}${r.pick(SUFFIXES)}{${decls}}\n`;
  return r.next() < 0.3 ? rule + `.x-${ident(r)}{margin:${r.int(0, 64)}px;color:#${r.int(0, 0xffffff).toString(16).padStart(6, '0')}}\n` : rule;
}

function jsChunk(r: SeededRandom): string {
  const name = `${r.pick(VERBS)}${r.pick(NOUNS)}`;
  return `function ${name}_${ident(r)}(e,t){const n=this.${r.pick(VERBS)}(e);if(!n)return null;for(let i=0;i<t.length;i++){n.push(t[i]*${r.int(2, 99)})}return n.${r.pick(VERBS)}(${JSON.stringify(r.pick(NOUNS).toLowerCase())})}\n`;
}

function htmlChunk(r: SeededRandom): string {
  const tag = r.pick(TAGS);
  return `<${tag} class="${r.pick(COMPONENTS)}${r.pick(SUFFIXES)}" data-id="${ident(r)}">${r.pick(NOUNS)} ${r.pick(VERBS)} ${r.int(1, 999)}</${tag}>\n`;
}

function svgChunk(r: SeededRandom): string {
  const pts = Array.from({ length: r.int(3, 8) }, () => `${r.int(0, 24)}.${r.int(0, 9)} ${r.int(0, 24)}.${r.int(0, 9)}`).join('L');
  return `<symbol id="icon-${r.pick(VERBS)}-${ident(r)}" viewBox="0 0 24 24"><path d="M${pts}Z" fill="none" stroke="currentColor" stroke-width="2"/></symbol>\n`;
}

const OPENING: Record<'css' | 'js' | 'html' | 'svg', string> = {
  css: ':root{--fg:#212529;--bg:#fff;--surface:#f8f9fa;--border-color:#dee2e6}\n',
  js: '"use strict";\n',
  html: '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>HttpArena</title></head><body>\n',
  svg: '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">\n',
};
const CHUNKS = { css: cssChunk, js: jsChunk, html: htmlChunk, svg: svgChunk };

/** Text of exactly `bytes` bytes (ASCII): chunks of its kind, the last one cut, then a comment. */
function text(kind: 'css' | 'js' | 'html' | 'svg', bytes: number, r: SeededRandom): Buffer {
  let out = OPENING[kind];
  while (out.length < bytes) out += CHUNKS[kind](r);
  return Buffer.from(out.slice(0, bytes), 'latin1');
}

function manifest(bytes: number, r: SeededRandom): Buffer {
  const icons = [48, 72, 96, 128, 144, 192, 256, 384, 512].map((s) => ({ src: `/icons/icon-${s}x${s}.png`, sizes: `${s}x${s}`, type: 'image/png', purpose: r.pick(['any', 'maskable']) }));
  const doc = { name: 'HttpArena Demo Application', short_name: 'Arena', start_url: '/', display: 'standalone', background_color: '#ffffff', theme_color: '#0d6efd', icons, description: '' };
  const base = JSON.stringify(doc, null, 2);
  const room = bytes - Buffer.byteLength(base);
  if (room < 0) throw new Error('manifest template larger than its size');
  let filler = '';
  while (filler.length < room) filler += `${r.pick(NOUNS)} ${r.pick(VERBS)} `;
  doc.description = filler.slice(0, room);
  return Buffer.from(JSON.stringify(doc, null, 2));
}

function webp(bytes: number, r: SeededRandom): Buffer {
  const out = r.bytes(bytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(bytes - 8, 4);
  out.write('WEBPVP8 ', 8, 'latin1');
  out.writeUInt32LE(bytes - 20, 16);
  return out;
}

function woff2(bytes: number, r: SeededRandom): Buffer {
  const out = r.bytes(bytes);
  out.write('wOF2', 0, 'latin1');
  out.writeUInt32BE(0x00010000, 4); // TrueType outlines
  out.writeUInt32BE(bytes, 8);
  return out;
}

export interface StaticFile {
  name: string;
  content: Buffer;
  /** gzip level 9 and brotli quality 11 of a text file; absent for the binary formats. */
  gzip?: Buffer;
  brotli?: Buffer;
}

/** Every file, with the precompressed siblings of the text ones. */
export function generateStaticFiles(): StaticFile[] {
  const r = new SeededRandom(42);
  return STATIC_FILES.map(([name, kind, bytes]) => {
    const content = kind === 'webp' ? webp(bytes, r) : kind === 'woff2' ? woff2(bytes, r) : kind === 'json' ? manifest(bytes, r) : text(kind, bytes, r);
    if (content.length !== bytes) throw new Error(`${name}: generated ${content.length} bytes, not ${bytes}`);
    if (kind === 'webp' || kind === 'woff2') return { name, content };
    return {
      name,
      content,
      gzip: gzipSync(content, { level: 9 }),
      brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes } }),
    };
  });
}
