// `perf script` output (from `perf record -g`) folded into stacks with the same labels as the
// V8 profile's (@armature/observability/flame), so that one renderer and one classifier serve both. perf sees
// every thread and the native side too: V8 and Node C++, libuv, libc, and the kernel (tagged
// " [native]" and " [kernel]"). JavaScript frames are named through the /tmp/perf-<pid>.map file
// that `node --perf-basic-prof` writes, e.g. "JS:*parseHeadAt file:///…/parser.js:97:29" or
// (older V8) "LazyCompile:~dispatch file:///…:120"; the tier mark (* optimized, ~ interpreted,
// ^ baseline, + maglev) is dropped so that a function is one frame whatever tier ran it.
import { shortenUrl, type Folded } from '@armature/observability/flame';

const JS_SYMBOL = /^(?:JS|LazyCompile|Function|Script):[*~^+]?(.*?) ((?:file|node):\S*?|\/\S*?)(?::(\d+))?(?::\d+)?$/;

/** The label of one perf frame, from its symbol and its DSO (the file the code lives in). */
export function perfFrameLabel(symbol: string, dso: string, root = ''): string {
  const sym = symbol.replace(/\+0x[0-9a-f]+$/, '');
  let label: string;
  if (dso === '[kernel.kallsyms]' || dso.startsWith('[kernel')) label = `${sym} [kernel]`;
  else if (/\/perf-\d+\.map$/.test(dso)) {
    const m = JS_SYMBOL.exec(sym);
    if (m === null) label = sym; // Builtin:…, Stub:…, BytecodeHandler:…, RegExp:…: V8's own code
    else label = `${m[1] === '' ? '(anonymous)' : m[1]} ${shortenUrl(m[2]!, root)}${m[3] === undefined ? '' : `:${m[3]}`}`;
  } else {
    const file = dso.slice(dso.lastIndexOf('/') + 1);
    label = `${sym === '[unknown]' ? `[unknown in ${file}]` : sym} [native]`;
  }
  return label.replaceAll(';', ':');
}

/**
 * A perf map ("start size name" lines, hex, appended as V8 compiles code) reduced so that no two
 * entries overlap, the newest one winning: V8 reuses the memory of code it has freed, and perf
 * would otherwise often name a hot function after whatever sat at that address first.
 */
export function newestPerfMap(text: string): string {
  const entries: Array<{ start: number; end: number; line: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) /.exec(line);
    if (m === null) continue;
    const start = parseInt(m[1]!, 16);
    entries.push({ start, end: start + parseInt(m[2]!, 16), line });
  }
  // newest first; `kept` holds disjoint ranges sorted by start
  const kept: typeof entries = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < e.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before !== undefined && before.end > e.start) || (after !== undefined && after.start < e.end)) continue;
    kept.splice(lo, 0, e);
  }
  return kept.map((e) => `${e.line}\n`).join('');
}

/**
 * Folds `perf script` text: a header line per sample ("comm pid … cpu-clock: …") followed by its
 * stack, leaf first, one "address symbol (dso)" line per frame, and a blank line. The thread
 * name (comm) becomes the bottom frame, so the main thread and V8's helper threads separate.
 */
export function foldPerfScript(text: string, root = ''): Folded {
  const stacks: Folded = new Map();
  let thread: string | null = null;
  let frames: string[] = [];
  const flush = () => {
    if (thread !== null && frames.length > 0) {
      const s = [thread, ...frames.reverse()].join(';');
      stacks.set(s, (stacks.get(s) ?? 0) + 1);
    }
    thread = null;
    frames = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('\t') || line.startsWith(' ')) {
      const m = /^\s*[0-9a-f]+\s+(.*?)\s+\(([^()]*)\)$/.exec(line);
      if (m !== null && thread !== null) frames.push(perfFrameLabel(m[1]!, m[2]!, root));
      continue;
    }
    flush();
    // "node 12345 [000] 432.205455: 2004008 cpu-clock:ppp:" — comm may contain spaces
    const m = /^(.*?)\s+\d+(?:\/\d+)?\s/.exec(line);
    thread = (m?.[1] ?? line.split(/\s/)[0]!).replaceAll(';', ':');
  }
  flush();
  return stacks;
}
