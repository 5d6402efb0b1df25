// V8 CPU profiles (the .cpuprofile files `node --cpu-prof` writes) turned into folded stacks:
// one line per distinct stack, "root-most;…;leaf-most <samples>", the input of a flame graph.
//
// A .cpuprofile is a call tree plus a sample list: `nodes` (each with a call frame and the ids of
// its children), `samples` (the id of the node on top of the stack at each tick) and
// `timeDeltas` (µs since the previous tick; the first is relative to `startTime`). Timestamps
// are V8's monotonic clock in µs, the clock process.hrtime() reads on Linux, so another process
// can pass the bounds of a window (e.g. the load run) and only the samples inside it are kept.

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  scriptId?: string | number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  parent?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Distinct stacks ("a;b;c", root-most first) and the number of samples each was seen. */
export type Folded = Map<string, number>;

export interface FoldOptions {
  /** Keep samples taken at or after this time (µs, the profile's monotonic clock). */
  from?: number;
  /** Keep samples taken at or before this time (µs). */
  to?: number;
  /** Directory that script paths are shown relative to (e.g. the repository root). */
  root?: string;
}

export interface FoldResult {
  stacks: Folded;
  /** Samples kept (the sum of the stack counts). */
  samples: number;
  /** µs between the first and the last kept sample. */
  durationUs: number;
  /** Samples of the whole profile, before the window was applied. */
  profileSamples: number;
}

/**
 * The label of a frame: "name location:line" for JavaScript, the bare name for V8's own entries
 * ("(garbage collector)", "(program)", "(idle)") and for natives without a script.
 * Dependencies are shown from their package ("fastify/lib/route.js"), Node's own modules as
 * "node:…", the rest relative to `root`. ';' would split the stack, so it becomes ':'.
 */
export function frameLabel(frame: CallFrame, root = ''): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name.replaceAll(';', ':');
  const line = frame.lineNumber >= 0 ? `:${frame.lineNumber + 1}` : '';
  return `${name} ${shortenUrl(frame.url, root)}${line}`.replaceAll(';', ':');
}

/** A script URL or path, shortened for display (see frameLabel). */
export function shortenUrl(url: string, root = ''): string {
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) return path.slice(modules + '/node_modules/'.length);
  const base = root === '' || root.endsWith('/') ? root : `${root}/`;
  if (base !== '' && path.startsWith(base)) path = path.slice(base.length);
  return path;
}

/**
 * Folds a CPU profile into stacks, counting the samples of each. Samples outside [from, to]
 * are dropped. The "(root)" frame is left out: every stack starts at its first real frame.
 */
export function foldCpuProfile(profile: CpuProfile, options: FoldOptions = {}): FoldResult {
  const byId = new Map<number, ProfileNode>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  for (const node of profile.nodes) if (node.parent !== undefined) parentOf.set(node.id, node.parent);

  const stackOf = new Map<number, string>();
  const stack = (id: number): string => {
    let s = stackOf.get(id);
    if (s !== undefined) return s;
    const node = byId.get(id);
    if (node === undefined) throw new Error(`sample refers to unknown node ${id}`);
    const parent = parentOf.get(id);
    const label = frameLabel(node.callFrame, options.root);
    if (parent === undefined) s = node.callFrame.functionName === '(root)' ? '' : label;
    else {
      const above = stack(parent);
      s = above === '' ? label : `${above};${label}`;
    }
    stackOf.set(id, s);
    return s;
  };

  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const stacks: Folded = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  let kept = 0;
  let first = NaN;
  let last = NaN;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (t < from || t > to) continue;
    const s = stack(samples[i]!);
    if (s === '') continue; // a sample of (root) itself: nothing to show
    stacks.set(s, (stacks.get(s) ?? 0) + 1);
    kept++;
    if (Number.isNaN(first)) first = t;
    last = t;
  }
  return { stacks, samples: kept, durationUs: kept === 0 ? 0 : last - first, profileSamples: samples.length };
}

/** Folded stacks as text, one "stack count" line each, sorted (the usual .folded file). */
export function formatFolded(stacks: Folded): string {
  return [...stacks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([s, n]) => `${s} ${n}\n`).join('');
}

/** Reads folded text back (the count is after the last space; blank lines are skipped). */
export function parseFolded(text: string): Folded {
  const stacks: Folded = new Map();
  for (const line of text.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const n = Number(line.slice(sp + 1));
    if (!Number.isFinite(n)) throw new Error(`folded line without a count: ${line.slice(0, 80)}`);
    const s = line.slice(0, sp);
    stacks.set(s, (stacks.get(s) ?? 0) + n);
  }
  return stacks;
}
