// A flame graph of folded stacks as one self-contained SVG: the root at the bottom, callees
// stacked above their callers, each frame as wide as the samples it was on the stack for.
// Siblings are merged by name and ordered alphabetically (so the x axis is not time). Every
// frame has a <title> tooltip; a small inline script adds click-to-zoom, "Reset zoom" and a
// regex search that highlights matches and tells their share. Without the script (e.g. shown
// as an <img>) it is still a complete static picture.
import type { Folded } from './cpuprofile.js';
import { frameCategory, type Category } from './frames.js';

export interface FlameOptions {
  title?: string;
  /** A line of context under the title (command, duration, requests/s…). */
  subtitle?: string;
  /** Image width in px (default 1200). */
  width?: number;
  /** Height of one frame in px (default 16). */
  frameHeight?: number;
  /** Frames narrower than this (px) are left out, with everything above them (default 0.1). */
  minWidth?: number;
  /** Milliseconds one sample stands for; adds time estimates to the tooltips. */
  msPerSample?: number;
  /** The kind of code of a frame, which picks its colour (default frameCategory). */
  category?: (label: string) => Category;
}

interface Frame {
  name: string;
  total: number;
  self: number;
  children: Map<string, Frame>;
}

const PAD = 10;
const TOP = 62; // title, subtitle, legend
const BOTTOM = 24; // the details line
const CHAR_PX = 7; // monospace 11px, rounded up

/** [hue, saturation, lightness] of each kind of code. */
const PALETTE: Record<Category, readonly [number, number, number]> = {
  engine: [22, 88, 58],
  armature: [44, 88, 55],
  app: [75, 55, 50],
  deps: [125, 40, 55],
  node: [205, 60, 64],
  native: [0, 62, 66],
  kernel: [330, 45, 62],
  gc: [275, 45, 68],
  idle: [0, 0, 86],
  program: [0, 0, 72],
};

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** The frame tree of folded stacks; the root ("all") holds the total. */
export function frameTree(stacks: Folded): Frame {
  const root: Frame = { name: 'all', total: 0, self: 0, children: new Map() };
  for (const [stack, n] of stacks) {
    if (n <= 0) continue;
    root.total += n;
    let at = root;
    for (const name of stack.split(';')) {
      let child = at.children.get(name);
      if (child === undefined) {
        child = { name, total: 0, self: 0, children: new Map() };
        at.children.set(name, child);
      }
      child.total += n;
      at = child;
    }
    at.self += n;
  }
  return root;
}

function depthOf(frame: Frame): number {
  let d = 0;
  for (const c of frame.children.values()) d = Math.max(d, depthOf(c) + 1);
  return d;
}

/** The label cut to what fits in `w` px ('' when not even a couple of characters do). */
export function fitLabel(label: string, w: number): string {
  const chars = Math.floor((w - 6) / CHAR_PX);
  if (chars < 3) return '';
  return label.length <= chars ? label : `${label.slice(0, chars - 2)}..`;
}

function colour(label: string, category: Category): string {
  const [h, s, l] = PALETTE[category];
  let hash = 0;
  const name = label.slice(0, label.indexOf(' ') === -1 ? label.length : label.indexOf(' '));
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
  const jitter = ((hash >>> 0) % 1000) / 1000; // 0..1, stable per function name
  if (s === 0) return `hsl(0,0%,${l}%)`;
  return `hsl(${Math.round(h + (jitter - 0.5) * 16)},${s}%,${Math.round(l + (jitter - 0.5) * 12)}%)`;
}

const pct = (n: number, total: number) => (total === 0 ? '0' : ((100 * n) / total).toFixed(2));

/** Renders folded stacks as an interactive SVG flame graph. */
export function renderFlameGraph(stacks: Folded, options: FlameOptions = {}): string {
  const width = options.width ?? 1200;
  const fh = options.frameHeight ?? 16;
  const minWidth = options.minWidth ?? 0.1;
  const categoryOf = options.category ?? frameCategory;
  const root = frameTree(stacks);
  const total = root.total;
  const usable = width - 2 * PAD;
  const scale = total === 0 ? 0 : usable / total;
  const height = TOP + (depthOf(root) + 1) * fh + BOTTOM;
  const ms = options.msPerSample;

  const out: string[] = [];
  const used = new Set<Category>();
  const draw = (frame: Frame, depth: number, x: number): void => {
    const w = frame.total * scale;
    if (w < minWidth) return;
    const y = height - BOTTOM - (depth + 1) * fh;
    const category: Category | null = depth === 0 ? null : categoryOf(frame.name);
    if (category !== null) used.add(category);
    const fill = category === null ? 'hsl(0,0%,80%)' : colour(frame.name, category);
    const time = ms === undefined ? '' : `, ~${(frame.total * ms).toFixed(1)} ms`;
    const tip = `${frame.name}\ntotal ${pct(frame.total, total)}% (${frame.total} samples${time}), self ${pct(frame.self, total)}% (${frame.self})` +
      (category === null ? '' : `\n${category}`);
    out.push(
      `<g class="f"><title>${escapeXml(tip)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${fh - 1}" fill="${fill}" rx="2"/>` +
        `<text x="${(x + 3).toFixed(2)}" y="${y + fh - 5}">${escapeXml(fitLabel(frame.name, w))}</text></g>`,
    );
    let cx = x;
    const children = [...frame.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      draw(child, depth + 1, cx);
      cx += child.total * scale;
    }
  };
  if (total > 0) draw(root, 0, PAD);

  const legend: string[] = [];
  let lx = PAD;
  for (const c of Object.keys(PALETTE) as Category[]) {
    if (!used.has(c)) continue;
    const [h, s, l] = PALETTE[c];
    legend.push(`<rect x="${lx}" y="44" width="10" height="10" fill="hsl(${h},${s}%,${l}%)"/><text x="${lx + 14}" y="53">${c}</text>`);
    lx += 24 + c.length * CHAR_PX;
  }

  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-pad="${PAD}" data-char="${CHAR_PX}">`,
    '<style>text{font-family:monospace;font-size:11px;fill:#000}g.f{cursor:pointer}g.f:hover rect{stroke:#000;stroke-width:.6}' +
      '.hide{display:none}.up{opacity:.55}.btn{cursor:pointer;fill:#1565c0}#details{fill:#333}.hdr{font-size:15px;font-weight:bold}</style>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fbfbf8"/>`,
    `<text class="hdr" x="${width / 2}" y="20" text-anchor="middle">${escapeXml(options.title ?? 'Flame graph')}</text>`,
    `<text x="${width / 2}" y="36" text-anchor="middle">${escapeXml(options.subtitle ?? `${total} samples`)}</text>`,
    `<text id="reset" class="btn hide" x="${PAD}" y="20">Reset zoom</text>`,
    `<text id="search" class="btn" x="${width - PAD}" y="20" text-anchor="end">Search</text>`,
    `<text id="matched" x="${width - PAD}" y="36" text-anchor="end"></text>`,
    ...legend,
    `<g id="frames">`,
    ...out,
    '</g>',
    `<text id="details" x="${PAD}" y="${height - 8}"> </text>`,
    `<script type="text/ecmascript"><![CDATA[${SCRIPT}]]></script>`,
    '</svg>',
    '',
  ].join('\n');
}

// Click-to-zoom, reset, search and the details line. Plain ES5 DOM code, run by the browser.
const SCRIPT = `
(function () {
  var svg = document.documentElement, pad = +svg.getAttribute('data-pad'), cw = +svg.getAttribute('data-char');
  var full = +svg.getAttribute('width') - 2 * pad;
  var details = document.getElementById('details'), reset = document.getElementById('reset');
  var frames = Array.prototype.slice.call(document.querySelectorAll('g.f')).map(function (g) {
    var r = g.querySelector('rect'), t = g.querySelector('text'), tip = g.querySelector('title').textContent;
    var f = { g: g, r: r, t: t, x: +r.getAttribute('x'), w: +r.getAttribute('width'), y: +r.getAttribute('y'),
      label: tip.split('\\n')[0], tip: tip.replace(/\\n/g, ' | '), fill: r.getAttribute('fill') };
    g.addEventListener('click', function () { zoom(f); });
    g.addEventListener('mouseover', function () { details.textContent = f.tip; });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
    return f;
  });
  function fit(label, w) {
    var n = Math.floor((w - 6) / cw);
    return n < 3 ? '' : label.length <= n ? label : label.slice(0, n - 2) + '..';
  }
  function place(f, x, w, cls) {
    f.r.setAttribute('x', x.toFixed(2)); f.r.setAttribute('width', w.toFixed(2));
    f.t.setAttribute('x', (x + 3).toFixed(2)); f.t.textContent = fit(f.label, w);
    f.g.setAttribute('class', cls);
  }
  function zoom(z) {
    var k = full / z.w, eps = 1e-6;
    frames.forEach(function (f) {
      if (f.y <= z.y && f.x >= z.x - eps && f.x + f.w <= z.x + z.w + eps) place(f, pad + (f.x - z.x) * k, f.w * k, 'f');
      else if (f.y > z.y && f.x <= z.x + eps && f.x + f.w >= z.x + z.w - eps) place(f, pad, full, 'f up');
      else f.g.setAttribute('class', 'f hide');
    });
    reset.setAttribute('class', 'btn');
  }
  reset.addEventListener('click', function () {
    frames.forEach(function (f) { place(f, f.x, f.w, 'f'); });
    reset.setAttribute('class', 'btn hide');
  });
  document.getElementById('search').addEventListener('click', function () {
    var term = window.prompt('Highlight frames matching (regular expression, empty to clear):', '');
    if (term === null) return;
    var re = term === '' ? null : new RegExp(term), spans = [];
    frames.forEach(function (f) {
      var hit = re !== null && re.test(f.label);
      f.r.setAttribute('fill', hit ? 'rgb(230,0,230)' : f.fill);
      if (hit) spans.push([f.x, f.x + f.w]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -1;
    spans.forEach(function (s) { if (s[1] > end) { covered += s[1] - Math.max(s[0], end); end = s[1]; } });
    document.getElementById('matched').textContent = re === null ? '' : 'matched ' + (100 * covered / full).toFixed(2) + '%';
  });
})();
`;
