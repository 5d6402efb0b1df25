/**
 * Flame graphs of V8 CPU profiles: fold a `.cpuprofile` into stacks (`foldCpuProfile`), sum
 * self time per frame and kind of code (`summarize`), and draw one self-contained interactive SVG
 * (`renderFlameGraph`). The renderer of `npm run flame` and of the profiling endpoint's
 * `?format=svg`; no dependencies.
 */
export * from './cpuprofile.js';
export * from './frames.js';
export { renderFlameGraph, type FlameOptions } from './svg.js';
