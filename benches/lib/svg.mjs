// A small SVG writer for the benchmark charts: horizontal bars, one group per test, one bar per
// series (framework), each group scaled to its own largest value (tests differ by orders of
// magnitude). No dependencies; the output is a standalone, well-formed SVG document.

const PALETTE = ['#2f6fb0', '#e07b39', '#5a9e4b', '#b5483f', '#7e5aa8', '#8c6d46', '#c7679f', '#6b7280'];

export const escapeXml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

const num = (n) => String(Math.round(n * 100) / 100);

function element(name, attrs, content) {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : v)}"`).join('');
  return content === undefined ? `<${name}${a}/>` : `<${name}${a}>${content}</${name}>`;
}

const text = (x, y, s, attrs = {}) => element('text', { x, y, ...attrs }, escapeXml(s));

/**
 * groups: [{ label, bars: [{ series, value, text }] }] — value null draws no bar, only its text.
 * series: the series names in legend order (each gets a colour). Returns the SVG as a string.
 * Every bar is a <rect class="bar"> carrying data-value; its width is value / group max × barWidth.
 */
export function barChart({ title, subtitle = '', groups, series, width = 960, barWidth = 560, labelWidth = 130 }) {
  const bar = 16;
  const gap = 4;
  const groupGap = 14;
  const perRow = Math.max(1, Math.floor((width - 20) / 120));
  const top = 52 + Math.ceil(series.length / perRow) * 18;
  const colour = new Map(series.map((s, i) => [s, PALETTE[i % PALETTE.length]]));
  const parts = [];
  let y = top;
  for (const g of groups) {
    parts.push(text(10, y + 12, g.label, { 'font-weight': 'bold' }));
    y += 18;
    const max = Math.max(0, ...g.bars.map((b) => (b.value > 0 ? b.value : 0)));
    for (const b of g.bars) {
      parts.push(text(labelWidth - 6, y + bar - 4, b.series, { 'text-anchor': 'end' }));
      let end = labelWidth;
      if (b.value !== null && b.value !== undefined && Number.isFinite(b.value)) {
        const w = max > 0 ? (Math.max(0, b.value) / max) * barWidth : 0;
        parts.push(element('rect', { class: 'bar', x: labelWidth, y, width: w, height: bar, fill: colour.get(b.series) ?? PALETTE[7], 'data-value': b.value }));
        end += w;
      }
      parts.push(text(end + 6, y + bar - 4, b.text ?? '', { fill: '#333' }));
      y += bar + gap;
    }
    y += groupGap;
  }
  const legend = series.map((s, i) => {
    const x = 10 + (i % perRow) * 120;
    const ly = 44 + Math.floor(i / perRow) * 18;
    return element('rect', { x, y: ly, width: 12, height: 12, fill: colour.get(s) }) + text(x + 16, ly + 10, s);
  });
  const height = y + 10;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': 'sans-serif', 'font-size': 12 },
    [
      element('rect', { x: 0, y: 0, width, height, fill: '#fff' }),
      text(10, 20, title, { 'font-size': 16, 'font-weight': 'bold' }),
      text(10, 36, subtitle, { fill: '#555' }),
      ...legend,
      ...parts,
    ].join('\n'),
  )}\n`;
}
