/**
 * Registers a generated piece in a module, as `nest generate` does: adds the class to the
 * `imports`, `controllers` or `providers` of the `@Module({...})` in a module file, and its import
 * statement at the top. The file is read with TypeScript's parser and edited in place, leaving
 * the rest of it (comments, formatting) as it was.
 */
import type * as TS from 'typescript';
import type { TypeScript } from '../project.js';

export type ModuleList = 'imports' | 'controllers' | 'providers';

interface Edit {
  readonly at: number;
  readonly text: string;
}

function apply(source: string, edits: Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}

/** The object literal of the first `@Module({...})` decorator in the file, or null. */
function moduleLiteral(ts: TypeScript, file: TS.SourceFile): TS.ObjectLiteralExpression | null {
  let found: TS.ObjectLiteralExpression | null = null;
  const visit = (node: TS.Node): void => {
    if (found !== null) return;
    if (ts.isDecorator(node) && ts.isCallExpression(node.expression)) {
      const call = node.expression;
      if (ts.isIdentifier(call.expression) && call.expression.text === 'Module') {
        const arg = call.arguments[0];
        if (arg !== undefined && ts.isObjectLiteralExpression(arg)) found = arg;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function indentOf(source: string, pos: number): string {
  const lineStart = source.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/**
 * Adds `className` (imported from `specifier`) to the module's `list`. Returns the new text, or
 * null when the class is already there. Throws when the file has no `@Module({ … })` literal.
 */
export function registerInModule(ts: TypeScript, source: string, fileName: string, list: ModuleList, className: string, specifier: string): string | null {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const literal = moduleLiteral(ts, file);
  if (literal === null) throw new Error(`${fileName} has no @Module({ … }) to register ${className} in`);
  const edits: Edit[] = [];
  const property = literal.properties.find(
    (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === list,
  );
  if (property !== undefined) {
    const array = property.initializer;
    if (!ts.isArrayLiteralExpression(array)) throw new Error(`${fileName}: ${list} is not an array literal; add ${className} to it yourself`);
    if (array.elements.some((el) => ts.isIdentifier(el) && el.text === className)) return null;
    const last = array.elements[array.elements.length - 1];
    if (last === undefined) edits.push({ at: array.getEnd() - 1, text: className });
    else if (source.slice(array.getStart(file), array.getEnd()).includes('\n')) {
      const comma = array.elements.hasTrailingComma ? '' : ',';
      edits.push({ at: last.getEnd() + (array.elements.hasTrailingComma ? 1 : 0), text: `${comma}\n${indentOf(source, last.getStart(file))}${className}${array.elements.hasTrailingComma ? ',' : ''}` });
    } else edits.push({ at: last.getEnd(), text: `, ${className}` });
  } else {
    const entry = `${list}: [${className}]`;
    const props = literal.properties;
    if (props.length === 0) edits.push({ at: literal.getEnd() - 1, text: source.slice(literal.getStart(file), literal.getEnd()).includes('\n') ? `\n  ${entry},\n` : ` ${entry} ` });
    else {
      const lastProp = props[props.length - 1]!;
      const multiline = source.slice(literal.getStart(file), literal.getEnd()).includes('\n');
      if (multiline) {
        const trailing = props.hasTrailingComma;
        edits.push({ at: lastProp.getEnd() + (trailing ? 1 : 0), text: `${trailing ? '' : ','}\n${indentOf(source, lastProp.getStart(file))}${entry}${trailing ? ',' : ''}` });
      } else edits.push({ at: lastProp.getEnd(), text: `, ${entry}` });
    }
  }
  // the import, after the last import statement (or at the top)
  const alreadyImported = file.statements.some(
    (s) => ts.isImportDeclaration(s) && s.importClause?.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === className),
  );
  if (!alreadyImported) {
    const imports = file.statements.filter(ts.isImportDeclaration);
    const line = `import { ${className} } from '${specifier}';`;
    if (imports.length > 0) edits.push({ at: imports[imports.length - 1]!.getEnd(), text: `\n${line}` });
    else edits.push({ at: file.statements[0]?.getStart(file) ?? 0, text: `${line}\n\n` });
  }
  return apply(source, edits);
}
