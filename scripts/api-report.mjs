#!/usr/bin/env node
/**
 * The API report: for every public entry point of every package (each `exports` subpath with
 * types), the declarations a user of that entry point sees, read from the build's .d.ts files
 * by the TypeScript compiler, normalized (sorted, comments and private members dropped) and
 * written to api/<package>[-<subpath>].api.md (a TypeScript block in Markdown, as
 * api-extractor's reports are: read in review, not compiled). Types an entry point's declarations mention but
 * do not export are listed after them, so a change to them shows too. The reports are checked in:
 * a public change is a visible diff in review, and CI fails when the build differs from them.
 *
 *   node scripts/api-report.mjs           write the reports (npm run api:update; after a build)
 *   node scripts/api-report.mjs --check   compare the build with the checked-in reports, print the diff
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'api');

/** Every entry point with declarations: { pkg, dir, subpath, dts, report }. */
export function entryPoints() {
  const entries = [];
  for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
    const dir = join(ROOT, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.private || typeof pkg.exports !== 'object') continue;
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const types = typeof target === 'object' && target !== null ? target.types : undefined;
      if (typeof types !== 'string') continue;
      const base = pkg.name.replace(/^@[^/]+\//, '');
      const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replace(/\//g, '-')}`;
      entries.push({ pkg: pkg.name, dir, subpath, dts: join(dir, types), report: `${base}${suffix}.api.md` });
    }
  }
  return entries;
}

/** Locale-independent order, so that the report is the same everywhere. */
const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The statement that declares `decl` (a variable's whole `declare const` line). */
function statementOf(decl) {
  if (ts.isVariableDeclaration(decl)) return decl.parent.parent;
  return decl;
}

function isTopLevel(statement) {
  return statement.parent !== undefined && (ts.isSourceFile(statement.parent) || ts.isModuleBlock(statement.parent));
}

function print(statement) {
  const text = printer.printNode(ts.EmitHint.Unspecified, statement, statement.getSourceFile());
  return text
    .split('\n')
    .filter((line) => !/^\s*(private\s|#private;)/.test(line))
    .join('\n')
    .replace(/^export declare /, 'declare ')
    .replace(/^export /, '');
}

/** The report of one entry point, as text. */
export function report(entry) {
  // Only this package's declarations matter: no default lib, no @types (faster, same report).
  const program = ts.createProgram([entry.dts], {
    noEmit: true,
    noLib: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry.dts);
  if (source === undefined) throw new Error(`${entry.dts} is missing: run npm run build first`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const own = join(entry.dir, 'dist') + sep;
  const resolve = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

  const exported = new Map(); // resolved symbol → exported names
  for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
    const target = resolve(symbol);
    const names = exported.get(target) ?? [];
    names.push(symbol.escapedName.toString());
    exported.set(target, names);
  }

  const referenced = new Set();
  const queue = [];
  const statementsOf = (symbol) =>
    (symbol.declarations ?? []).map(statementOf).filter((s) => isTopLevel(s) && s.getSourceFile().fileName.startsWith(own));
  const visit = (node) => {
    let name;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    else if (ts.isTypeQueryNode(node)) name = node.exprName;
    if (name !== undefined) {
      const at = ts.isQualifiedName(name) ? name.left : ts.isPropertyAccessExpression(name) ? name.expression : name;
      const symbol = checker.getSymbolAtLocation(at);
      if (symbol !== undefined) {
        const target = resolve(symbol);
        if (!exported.has(target) && !referenced.has(target) && statementsOf(target).length > 0) {
          referenced.add(target);
          queue.push(target);
        }
      }
    }
    ts.forEachChild(node, visit);
  };

  const blocks = [];
  const sorted = [...exported.entries()].sort((a, b) => byCodePoint(a[1][0], b[1][0]));
  for (const [symbol, names] of sorted) {
    const statements = statementsOf(symbol);
    const declared = symbol.escapedName.toString();
    for (const s of statements) visit(s);
    const body = statements.map(print).join('\n');
    const aliases = names.filter((n) => n !== declared);
    if (statements.length === 0) {
      // declared outside this package (a re-export of another package's name)
      blocks.push(`export { ${names.map((n) => (n === declared ? n : `${declared} as ${n}`)).join(', ')} } // from another package`);
    } else {
      const header = names.includes(declared) ? `export ${declared}` : `export ${declared} as ${aliases.join(', ')}`;
      const extra = names.includes(declared) && aliases.length > 0 ? ` (also as ${aliases.join(', ')})` : '';
      blocks.push(`// ${header}${extra}\n${body}`);
    }
  }
  while (queue.length > 0) for (const s of statementsOf(queue.shift())) visit(s);
  const internal = [...referenced]
    .map((symbol) => ({ name: symbol.escapedName.toString(), body: statementsOf(symbol).map(print).join('\n') }))
    .sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.body, b.body));

  const title = `${entry.pkg}${entry.subpath === '.' ? '' : entry.subpath.slice(1)}`;
  const lines = [
    `# API report: ${title}`,
    '',
    `What \`import ... from '${title}'\` offers. Generated by scripts/api-report.mjs from the build;`,
    'do not edit. After a meant change: `npm run build && npm run api:update`.',
    '',
    '```ts',
    ...blocks.flatMap((b) => [b, '']),
  ];
  if (internal.length > 0) {
    lines.push('// ---- referenced by the declarations above, not exported by this entry point ----', '');
    for (const { name, body } of internal) lines.push(`// ${name}`, body, '');
  }
  while (lines[lines.length - 1] === '') lines.pop();
  lines.push('```', '');
  return lines.join('\n');
}

function main() {
  const check = process.argv.includes('--check');
  const entries = entryPoints();
  const reports = new Map(entries.map((e) => [e.report, report(e)]));
  if (!check) {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const [file, text] of reports) writeFileSync(join(OUT, file), text);
    console.log(`API reports written: ${[...reports.keys()].map((f) => `api/${f}`).join(', ')}`);
    return 0;
  }
  const onDisk = existsSync(OUT) ? readdirSync(OUT).filter((f) => f.endsWith('.api.md')) : [];
  const names = [...new Set([...reports.keys(), ...onDisk])].sort();
  const scratch = mkdtempSync(join(tmpdir(), 'armature-api-'));
  let differs = 0;
  try {
    for (const file of names) {
      const built = reports.get(file);
      const checked = existsSync(join(OUT, file)) ? readFileSync(join(OUT, file), 'utf8') : undefined;
      if (built === checked) continue;
      differs++;
      const a = join(scratch, 'checked-in');
      const b = join(scratch, 'build');
      mkdirSync(a, { recursive: true });
      mkdirSync(b, { recursive: true });
      writeFileSync(join(a, file), checked ?? '');
      writeFileSync(join(b, file), built ?? '');
      const diff = spawnSync('git', ['diff', '--no-index', '--no-color', join(a, file), join(b, file)], { encoding: 'utf8' });
      console.log(`api/${file}: the build's API differs from the checked-in report${built === undefined ? ' (entry point gone)' : checked === undefined ? ' (new entry point)' : ''}`);
      console.log(diff.stdout.replaceAll(scratch + sep, '').replaceAll(`${relative('/', scratch)}/`, ''));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (differs > 0) {
    console.log(`${differs} API report(s) differ. If the change is meant, run: npm run build && npm run api:update, and commit api/.`);
    return 1;
  }
  console.log(`API reports match the build (${names.length} entry points)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main());
