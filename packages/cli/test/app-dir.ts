/** Temporary apps for the CLI's tests: outside the repository, with the workspace's node_modules linked in (no install). */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const bin = fileURLToPath(new URL('../bin/armature.mjs', import.meta.url));

/** A fresh temporary directory; `link` puts the workspace's node_modules in `link` (relative). */
export function tempDir(prefix = 'armature-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function linkNodeModules(dir: string): void {
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The environment for child processes: without node:test's marker, so a child test run reports on stdout as usual. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs `armature ...args` in `cwd`. */
export function armature(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: childEnv() });
}

/** Runs a node script (a tool's bin) in `cwd`. */
export function node(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 300_000, env: childEnv() });
}

export { spawn };
