// src/flame/svg.ts (the renderer of `npm run flame` and of the profiling endpoint): the flame graph is well-formed XML, frames are as wide as their samples,
// callees sit on their callers, names are escaped, and labels are cut to fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, fitLabel, frameTree, renderFlameGraph } from '../src/flame/svg.js';

/** Throws unless `xml` is well-formed: one root, balanced tags, quoted attributes, escaped text. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const entity = /&(?!(?:amp|lt|gt|quot|#39|#\d+);)/;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    assert.doesNotMatch(text, entity, `unescaped & in text near ${JSON.stringify(text.slice(0, 40))}`);
    if (stack.length === 0) assert.equal(text.trim(), '', 'text outside the root element');
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      assert.ok(stack.length > 0, 'CDATA outside the root element');
      const end = xml.indexOf(']]>', lt);
      assert.notEqual(end, -1, 'unterminated CDATA');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) {
      assert.equal(lt, 0, 'an XML declaration only at the very start');
      i = xml.indexOf('?>', lt) + 2;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    assert.notEqual(gt, -1, 'unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      assert.equal(stack.pop(), tag.slice(1), `</${tag.slice(1)}> closes another element`);
    } else {
      const m = /^([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)$/.exec(tag);
      assert.ok(m, `malformed tag <${tag.slice(0, 80)}>`);
      assert.doesNotMatch(m[2]!, entity, `unescaped & in attributes of <${m[1]}>`);
      const names = [...m[2]!.matchAll(/([\w:-]+)="/g)].map((a) => a[1]);
      assert.equal(new Set(names).size, names.length, `repeated attribute in <${m[1]}>`);
      if (stack.length === 0) roots++;
      if (m[3] !== '/') stack.push(m[1]!);
    }
    i = gt + 1;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}

interface Box { name: string; x: number; y: number; w: number; text: string }

/** The frames drawn: name (first line of the tooltip), geometry, shown label. */
function frames(svg: string): Map<string, Box> {
  const out = new Map<string, Box>();
  const re = /<g class="f"><title>([^\n<]*)[^<]*<\/title><rect x="([\d.]+)" y="(\d+)" width="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)<\/text><\/g>/g;
  for (const m of svg.matchAll(re)) out.set(m[1]!, { name: m[1]!, x: Number(m[2]), y: Number(m[3]), w: Number(m[4]), text: m[5]! });
  return out;
}

const STACKS = new Map([
  ['main m.js:1;parse p.js:2', 30],
  ['main m.js:1;write w.js:3', 10],
  ['(garbage collector)', 60],
]);

test('the SVG is well-formed, with a script in CDATA and a tooltip per frame', () => {
  const svg = renderFlameGraph(STACKS, { title: 'a < b & "c"', subtitle: 'x', msPerSample: 0.5 });
  assertWellFormed(svg);
  assert.match(svg, /^<\?xml [^>]*\?>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<script type="text\/ecmascript"><!\[CDATA\[/);
  assert.equal(frames(svg).size, 5); // all, main, parse, write, (garbage collector)
  assert.match(svg, /a &lt; b &amp; &quot;c&quot;/);
  assert.ok(svg.includes('<title>parse p.js:2\ntotal 30.00% (30 samples, ~15.0 ms), self 30.00% (30)\n'));
});

test('frame widths are proportional to samples; callees sit on their callers, siblings in name order', () => {
  const width = 1000;
  const f = frames(renderFlameGraph(STACKS, { width }));
  const all = f.get('all')!;
  const usable = all.w;
  assert.equal(usable, width - 2 * 10);
  for (const [name, n] of [['main m.js:1', 40], ['parse p.js:2', 30], ['write w.js:3', 10], ['(garbage collector)', 60]] as const) {
    assert.ok(Math.abs(f.get(name)!.w - (usable * n) / 100) < 0.01, `${name}: ${f.get(name)!.w} px for ${n}%`);
  }
  const main = f.get('main m.js:1')!;
  const parse = f.get('parse p.js:2')!;
  const write = f.get('write w.js:3')!;
  const gc = f.get('(garbage collector)')!;
  // the root at the bottom, each level one frame height above its caller
  assert.ok(main.y < all.y && parse.y < main.y && parse.y === write.y && gc.y === main.y);
  assert.equal(all.y - main.y, 16);
  // children start at their parent's left edge and stay within it, in alphabetical order
  assert.ok(gc.x < main.x, '"(garbage collector)" sorts before "main"');
  assert.ok(Math.abs(parse.x - main.x) < 0.01 && Math.abs(write.x - (parse.x + parse.w)) < 0.01);
  assert.ok(write.x + write.w <= main.x + main.w + 0.01);
});

test('names are escaped in tooltips and labels; frames narrower than minWidth are left out', () => {
  const svg = renderFlameGraph(new Map([['<lambda> & "q" x.js:1', 999], ['tiny t.js:1;above a.js:1', 1]]), { width: 600, minWidth: 1 });
  assertWellFormed(svg);
  const f = frames(svg);
  assert.ok(f.has('&lt;lambda&gt; &amp; &quot;q&quot; x.js:1'));
  assert.ok(!f.has('tiny t.js:1') && !f.has('above a.js:1'), '0.58 px < minWidth 1');
  assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('labels are cut to the frame width; an empty profile still renders', () => {
  assert.equal(fitLabel('parseHeadAt', 200), 'parseHeadAt');
  assert.equal(fitLabel('parseHeadAt', 60), 'parse..'); // (60 - 6) / 7 → 7 characters
  assert.equal(fitLabel('parseHeadAt', 20), '');
  const empty = renderFlameGraph(new Map());
  assertWellFormed(empty);
  assert.equal(frames(empty).size, 0);
});

test('frameTree merges equal stacks and keeps self and total apart', () => {
  const t = frameTree(new Map([['a;b', 2], ['a', 3], ['a;b;c', 1]]));
  assert.equal(t.total, 6);
  const a = t.children.get('a')!;
  assert.deepEqual([a.total, a.self], [6, 3]);
  const b = a.children.get('b')!;
  assert.deepEqual([b.total, b.self], [3, 2]);
});
