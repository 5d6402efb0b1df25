// Just enough PromQL to evaluate the dashboard's own queries on a series of scrapes (for the
// screenshot in docs/observability.md, and for the test that every panel shows data): selectors
// with label matchers (=, !=, =~, !~), rate(x[range]), sum/avg/max/min with `by (…)`,
// histogram_quantile(q, …) and the binary operators / * + -. Anything else is an error.

/** Parses the Prometheus text format into [{ name, labels, value }]. */
export function parseScrape(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (m === null) continue;
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1], labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return samples;
}

function tokenize(src) {
  const tokens = [];
  const re = /\s*(?:(\$__rate_interval|\d+[smhd]\b)|(\d+(?:\.\d+)?)|([A-Za-z_:][\w:]*)|("(?:[^"\\]|\\.)*")|(=~|!~|!=|[(){}\[\],=\/*+-]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (m === null) throw new Error(`promql: cannot read "${src.slice(i, i + 20)}"`);
    i = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'duration', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'ident', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(m[4]) });
    else tokens.push({ kind: 'op', text: m[5] });
  }
  return tokens;
}

const AGGREGATIONS = new Set(['sum', 'avg', 'max', 'min']);

/** Parses an expression into a tree. */
export function parse(src) {
  const t = tokenize(src);
  let p = 0;
  const peek = () => t[p];
  const take = (text) => {
    const tok = t[p];
    if (tok === undefined || (text !== undefined && tok.text !== text)) throw new Error(`promql: expected ${text ?? 'more'} in ${src}`);
    p++;
    return tok;
  };
  const labelList = () => {
    take('(');
    const names = [];
    while (peek().text !== ')') {
      names.push(take().text);
      if (peek().text === ',') take(',');
    }
    take(')');
    return names;
  };
  const primary = () => {
    const tok = take();
    if (tok.kind === 'number') return { type: 'number', value: Number(tok.text) };
    if (tok.text === '(') {
      const e = expr();
      take(')');
      return e;
    }
    if (tok.kind !== 'ident') throw new Error(`promql: unexpected ${tok.text} in ${src}`);
    if (AGGREGATIONS.has(tok.text)) {
      let by = null;
      if (peek().text === 'by') {
        take('by');
        by = labelList();
      }
      take('(');
      const arg = expr();
      take(')');
      if (peek()?.text === 'by') {
        take('by');
        by = labelList();
      }
      return { type: 'aggregate', op: tok.text, by: by ?? [], arg };
    }
    if (tok.text === 'rate') {
      take('(');
      const sel = primary();
      take(')');
      if (sel.type !== 'selector' || sel.range === undefined) throw new Error(`promql: rate() needs a range selector in ${src}`);
      return { type: 'rate', arg: sel };
    }
    if (tok.text === 'histogram_quantile') {
      take('(');
      const q = Number(take().text);
      take(',');
      const arg = expr();
      take(')');
      return { type: 'quantile', q, arg };
    }
    const matchers = [];
    if (peek()?.text === '{') {
      take('{');
      while (peek().text !== '}') {
        const name = take().text;
        const op = take().text;
        const value = take().text;
        matchers.push({ name, op, value });
        if (peek().text === ',') take(',');
      }
      take('}');
    }
    let range;
    if (peek()?.text === '[') {
      take('[');
      range = take().text;
      take(']');
    }
    return { type: 'selector', name: tok.text, matchers, range };
  };
  const expr = () => {
    let left = primary();
    while (peek() !== undefined && ['/', '*', '+', '-'].includes(peek().text)) {
      const op = take().text;
      left = { type: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const tree = expr();
  if (p !== t.length) throw new Error(`promql: unexpected ${t[p].text} in ${src}`);
  return tree;
}

/** Metric names a query reads. */
export function metricNames(tree) {
  if (tree.type === 'selector') return [tree.name];
  if (tree.type === 'binary') return [...metricNames(tree.left), ...metricNames(tree.right)];
  if (tree.arg !== undefined) return metricNames(tree.arg);
  return [];
}

const keyOf = (labels) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));

function matches(sample, sel) {
  if (sample.name !== sel.name) return false;
  for (const m of sel.matchers) {
    const v = sample.labels[m.name] ?? '';
    const re = m.op === '=~' || m.op === '!~' ? new RegExp(`^(?:${m.value})$`) : null;
    if (m.op === '=' && v !== m.value) return false;
    if (m.op === '!=' && v === m.value) return false;
    if (m.op === '=~' && !re.test(v)) return false;
    if (m.op === '!~' && re.test(v)) return false;
  }
  return true;
}

/**
 * Evaluates `tree` at scrape `i` of `scrapes` ([{ time (s), samples }]); a rate looks `window`
 * scrapes back. Returns [{ labels, value }].
 */
export function evaluate(tree, scrapes, i, window = 5) {
  switch (tree.type) {
    case 'number':
      return [{ labels: {}, value: tree.value }];
    case 'selector':
      return scrapes[i].samples.filter((s) => matches(s, tree)).map((s) => ({ labels: { ...s.labels }, value: s.value }));
    case 'rate': {
      const j = Math.max(0, i - window);
      if (j === i) return [];
      const before = new Map(evaluate({ ...tree.arg, range: undefined }, scrapes, j).map((s) => [keyOf(s.labels), s.value]));
      const dt = scrapes[i].time - scrapes[j].time;
      return evaluate({ ...tree.arg, range: undefined }, scrapes, i).map((s) => {
        const old = before.get(keyOf(s.labels)) ?? 0;
        return { labels: s.labels, value: Math.max(0, s.value - old) / dt };
      });
    }
    case 'aggregate': {
      const groups = new Map();
      for (const s of evaluate(tree.arg, scrapes, i, window)) {
        const labels = Object.fromEntries(tree.by.filter((b) => b in s.labels).map((b) => [b, s.labels[b]]));
        const key = keyOf(labels);
        const g = groups.get(key) ?? { labels, values: [] };
        g.values.push(s.value);
        groups.set(key, g);
      }
      const reduce = { sum: (v) => v.reduce((a, b) => a + b, 0), avg: (v) => v.reduce((a, b) => a + b, 0) / v.length, max: (v) => Math.max(...v), min: (v) => Math.min(...v) }[tree.op];
      return [...groups.values()].map((g) => ({ labels: g.labels, value: reduce(g.values) }));
    }
    case 'quantile': {
      const groups = new Map();
      for (const s of evaluate(tree.arg, scrapes, i, window)) {
        const { le, ...rest } = s.labels;
        const key = keyOf(rest);
        const g = groups.get(key) ?? { labels: rest, buckets: [] };
        g.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: s.value });
        groups.set(key, g);
      }
      const out = [];
      for (const g of groups.values()) {
        const b = g.buckets.sort((x, y) => x.le - y.le);
        const total = b.at(-1)?.count ?? 0;
        if (!(total > 0)) continue;
        const rank = tree.q * total;
        let k = b.findIndex((x) => x.count >= rank);
        if (b[k].le === Infinity) k = Math.max(0, b.length - 2); // Prometheus answers the highest finite bound
        const lower = k === 0 ? 0 : b[k - 1].le;
        const below = k === 0 ? 0 : b[k - 1].count;
        const inBucket = b[k].count - below;
        const value = inBucket > 0 && b[k].le !== Infinity ? lower + (b[k].le - lower) * ((rank - below) / inBucket) : b[k].le;
        out.push({ labels: g.labels, value });
      }
      return out;
    }
    case 'binary': {
      const right = new Map(evaluate(tree.right, scrapes, i, window).map((s) => [keyOf(s.labels), s.value]));
      const scalar = tree.right.type === 'number' ? tree.right.value : null;
      const op = { '/': (a, b) => a / b, '*': (a, b) => a * b, '+': (a, b) => a + b, '-': (a, b) => a - b }[tree.op];
      return evaluate(tree.left, scrapes, i, window).flatMap((s) => {
        const r = scalar ?? right.get(keyOf(s.labels));
        return r === undefined ? [] : [{ labels: s.labels, value: op(s.value, r) }];
      });
    }
    default:
      throw new Error(`promql: cannot evaluate ${tree.type}`);
  }
}

/** Fills `{{label}}` in a Grafana legend. */
export function legend(format, labels) {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => labels[name] ?? '');
}
