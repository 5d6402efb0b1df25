/**
 * The `armature` command line: parses the arguments of each command and runs it. Every failure
 * the user can fix is a `CliError`: one line on stderr and exit code 1, no stack trace.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from './build.js';
import { dev } from './dev.js';
import { generate, KINDS } from './generate/index.js';
import { createProject } from './new.js';
import { CliError, projectRoot } from './project.js';
import { formatRoutes, listRoutes } from './routes.js';

export const USAGE = `usage: armature <command> [options]

  new <directory> [--skip-install]       a new app (the create-armature starter, scripts through armature)
  generate <kind> <name> [options]       alias g; kinds: ${KINDS.join(', ')}
      --crud          (resource) CRUD routes with a validated schema, a service and tests
      --flat          no folder of its own          --skip-import   not registered in a module
      --no-test       no test file                  --dry-run       write nothing, list the files
  dev [entry] [--grace <ms>] [--watch <path>]...   run src/main.ts, restart gracefully on changes
  build [--project <tsconfig>] [--clean] [--no-assets]   tsc, then non-TypeScript files copied to the output
  routes [file] [--export <name>] [--json]        the route table (method, path, handler)

  armature <command> --help, armature --version`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === '--version' || command === '-v') {
    const { createRequire } = await import('node:module');
    console.log((createRequire(import.meta.url)('../package.json') as { version: string }).version);
    return 0;
  }
  switch (command) {
    case 'new':
    case 'n': {
      const { values, positionals } = parse(rest, { 'skip-install': { type: 'boolean' } });
      if (values.help) return help();
      const target = positionals[0];
      if (target === undefined) throw new CliError('name the directory to create: armature new my-app');
      const created = createProject(target, { skipInstall: values['skip-install'] === true });
      const cd = relative(process.cwd(), created.dir) || '.';
      console.log(`Created ${created.name} in ${created.dir}\n\nNext:\n  cd ${cd}${created.installed ? '' : '\n  npm install'}\n  npm run dev                       # armature dev: restarts on every change\n  npx armature generate resource cats --crud\n  npm test`);
      return 0;
    }
    case 'generate':
    case 'g': {
      const { values, positionals } = parse(rest, {
        crud: { type: 'boolean' },
        flat: { type: 'boolean' },
        'no-test': { type: 'boolean' },
        'skip-import': { type: 'boolean' },
        'dry-run': { type: 'boolean', short: 'd' },
      });
      if (values.help) return help();
      const [kind, name] = positionals;
      if (kind === undefined || name === undefined) throw new CliError(`armature generate <kind> <name>; kinds: ${KINDS.join(', ')}`);
      const result = generate(kind, name, {
        root: projectRoot(process.cwd()),
        crud: values.crud === true,
        flat: values.flat === true,
        skipTests: values['no-test'] === true,
        skipImport: values['skip-import'] === true,
        dryRun: values['dry-run'] === true,
      });
      for (const f of result.created) console.log(`CREATE ${f}`);
      for (const f of result.updated) console.log(`UPDATE ${f}`);
      for (const note of result.notes) console.log(`NOTE   ${note}`);
      if (values['dry-run']) console.log('(dry run: nothing written)');
      return 0;
    }
    case 'dev': {
      const { values, positionals } = parse(rest, { grace: { type: 'string' }, watch: { type: 'string', multiple: true } });
      if (values.help) return help();
      const grace = values.grace === undefined ? undefined : Number(values.grace);
      if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0)) throw new CliError(`--grace takes milliseconds, not ${String(values.grace)}`);
      const session = dev({ root: projectRoot(process.cwd()), entry: positionals[0], grace, watch: values.watch as string[] | undefined });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void session.stop());
      await session.done;
      return 0;
    }
    case 'build': {
      const { values } = parse(rest, { project: { type: 'string', short: 'p' }, clean: { type: 'boolean' }, 'no-assets': { type: 'boolean' } });
      if (values.help) return help();
      const result = build({ root: projectRoot(process.cwd()), project: values.project as string | undefined, clean: values.clean === true, assets: values['no-assets'] !== true });
      if (result.status === 0 && result.copied.length > 0) console.log(`copied ${result.copied.length} asset${result.copied.length === 1 ? '' : 's'} to ${relative(process.cwd(), result.outDir!) || '.'}`);
      return result.status;
    }
    case 'routes': {
      const { values, positionals } = parse(rest, { export: { type: 'string' }, json: { type: 'boolean' } });
      if (values.help) return help();
      const lines = await listRoutes({ root: projectRoot(process.cwd()), file: positionals[0], exportName: values.export as string | undefined });
      console.log(values.json ? JSON.stringify(lines, null, 2) : formatRoutes(lines));
      return 0;
    }
    default:
      throw new CliError(`unknown command "${command}"\n${USAGE}`);
  }
}

function help(): number {
  console.log(USAGE);
  return 0;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`armature: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
