// What a frame label (see cpuprofile.ts, and benches/flame/perf.ts) belongs to, and the self-time summary the
// flame runner prints: the frames that were on top of the stack most often, and the share of
// each kind of code.
import type { Folded } from './cpuprofile.js';

export type Category =
  | 'engine' // Armature's HTTP engine (packages/core/*/engine/, or @armature/core/…/engine/ installed)
  | 'armature' // the rest of Armature's packages: router, app, DI, schema
  | 'app' // the benchmark app itself (benches/, examples/)
  | 'deps' // node_modules
  | 'node' // Node's own JavaScript (node:…)
  | 'native' // V8 builtins, C++ of V8 / Node / libuv, natives without a script
  | 'kernel' // kernel frames (perf only)
  | 'gc' // (garbage collector)
  | 'idle' // (idle): the event loop waited
  | 'program'; // (program): native code V8 cannot attribute to a JavaScript function

export const CATEGORIES: readonly Category[] = ['engine', 'armature', 'app', 'deps', 'node', 'native', 'kernel', 'gc', 'idle', 'program'];

/** The kind of code a frame label stands for. */
export function frameCategory(label: string): Category {
  switch (label) {
    case '(garbage collector)':
      return 'gc';
    case '(idle)':
      return 'idle';
    case '(program)':
      return 'program';
  }
  if (label.endsWith(' [kernel]')) return 'kernel';
  if (label.endsWith(' [native]')) return 'native';
  const sp = label.lastIndexOf(' ');
  if (sp === -1) return 'native';
  const where = label.slice(sp + 1);
  if (where.startsWith('node:')) return 'node';
  if (where.startsWith('packages/') || where.startsWith('@armature/')) return where.includes('/engine/') ? 'engine' : 'armature';
  if (where.startsWith('benches/') || where.startsWith('examples/')) return 'app';
  if (where.includes('/')) return 'deps';
  return 'native';
}

export interface SelfTime {
  frame: string;
  samples: number;
  share: number;
}

export interface Summary {
  samples: number;
  /** Frames by self samples (on top of the stack), largest first. */
  top: SelfTime[];
  /** Self samples per category, as shares of all samples. */
  categories: Record<Category, number>;
}

/** Self time per frame and per category of folded stacks. */
export function summarize(stacks: Folded, topN = 15): Summary {
  const self = new Map<string, number>();
  let total = 0;
  for (const [stack, n] of stacks) {
    const leaf = stack.slice(stack.lastIndexOf(';') + 1);
    self.set(leaf, (self.get(leaf) ?? 0) + n);
    total += n;
  }
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const [frame, n] of self) categories[frameCategory(frame)] += total === 0 ? 0 : n / total;
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([frame, samples]) => ({ frame, samples, share: total === 0 ? 0 : samples / total }));
  return { samples: total, top, categories };
}
