/**
 * `armature new <dir>`: the starter (create-armature's template and scaffolding, shared, not
 * copied), with the app's scripts going through this CLI; then `npm install` unless told not to.
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { scaffold, ScaffoldError } from 'create-armature';
import { CliError } from './project.js';

export interface NewOptions {
  skipInstall?: boolean;
}

export function createProject(target: string, options: NewOptions = {}): { dir: string; name: string; installed: boolean } {
  let created: { dir: string; name: string };
  try {
    created = scaffold(target, { cli: true });
  } catch (error) {
    if (error instanceof ScaffoldError) throw new CliError(error.message);
    throw error;
  }
  if (options.skipInstall) return { ...created, installed: false };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['install', '--no-fund', '--no-audit'], { cwd: created.dir, stdio: 'inherit' });
  if (install.status !== 0) throw new CliError(`npm install failed in ${relative(process.cwd(), created.dir) || '.'}; run it there yourself`);
  return { ...created, installed: true };
}
