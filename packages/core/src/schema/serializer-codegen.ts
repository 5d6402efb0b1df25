/**
 * Code generation for the serializer: turns the analysed schema into the source of one function
 * that appends JSON text to a local string. Every schema node becomes inline code working on a
 * local variable, except `$ref` targets, which become functions (so that recursive schemas work).
 */
import type { JsonSchema, JsonSchemaObject } from './json-schema.js';
import { ALL_CLASSES, hasStructure, isObject, Resolver, UnsupportedSchemaError, type Class, type SchemaNode } from './schema-analysis.js';

// A path into the value is built only where an error is thrown.

/** A path into the value: static pieces (already JSON-Pointer-escaped) and loop indexes. */
type Path = ReadonlyArray<{ text: string } | { code: string }>;

const JS = (s: string): string => JSON.stringify(s);

function pathCode(path: Path): string {
  const parts: string[] = [];
  let text = '';
  for (const piece of path) {
    if ('text' in piece) {
      text += piece.text;
    } else {
      parts.push(JS(text + '/'), piece.code);
      text = '';
    }
  }
  if (text !== '' || parts.length === 0) parts.push(JS(text));
  return parts.join(' + ');
}

/** The path for a message: loop indexes and map keys as `*`. */
function pathText(path: Path): string {
  let out = '';
  for (const piece of path) out += 'text' in piece ? piece.text : '/*';
  return out;
}

function pointerPiece(name: string): { text: string } {
  return { text: '/' + name.replaceAll('~', '~0').replaceAll('/', '~1') };
}

const TESTS: Record<Class, (v: string) => string> = {
  string: (v) => `typeof ${v} === 'string'`,
  number: (v) => `typeof ${v} === 'number'`,
  boolean: (v) => `typeof ${v} === 'boolean'`,
  null: (v) => `${v} === null`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`,
};

/** Generates the serializer's source for one schema; `constants` go to the function as `c`. */
export class Compiler {
  readonly constants: unknown[] = [];
  private readonly resolver: Resolver;
  private readonly refNames = new Map<string, string>();
  private readonly functions: string[] = [];
  private counter = 0;

  constructor(private readonly root: JsonSchema) {
    this.resolver = new Resolver(root);
  }

  compileRoot(): string {
    const main = this.emit(this.root, 'v', JS(''), [], 'root', false);
    return [
      `'use strict';`,
      `const str = h.str, any = h.any, mismatch = h.mismatch, missing = h.missing, rebase = h.rebase, conforms = h.conforms, hasOwn = h.hasOwn;`,
      ...this.functions,
      `return function serialize(v) {\nlet json = '';\n${main}return json;\n};`,
    ].join('\n');
  }

  private name(prefix: string): string {
    return prefix + ++this.counter;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c[${this.constants.length - 1}]`;
  }

  /**
   * Code that appends `schema`'s serialization of the value in variable `v` (a `let`, which
   * it may reassign) to `json`. `key` is code for the key toJSON gets; `where` says what an
   * undefined/unserializable value means for the untyped fallback ('element': null; 'root':
   * an error).
   */
  private emit(schema: JsonSchema, v: string, key: string, path: Path, where: 'root' | 'element', skipToJSON: boolean): string {
    try {
      return this.emitNode(schema, v, key, path, where, skipToJSON);
    } catch (error) {
      // the innermost call that knows where: the analysis throws without a path
      if (error instanceof UnsupportedSchemaError && error.path === '' && path.length > 0) throw new UnsupportedSchemaError(pathText(path), error.reason);
      throw error;
    }
  }

  /** The analysis of `schema`, with `path` put on a refusal. */
  private nodeAt(schema: JsonSchema, path: Path): SchemaNode {
    try {
      return this.resolver.node(schema);
    } catch (error) {
      if (error instanceof UnsupportedSchemaError && error.path === '' && path.length > 0) throw new UnsupportedSchemaError(pathText(path), error.reason);
      throw error;
    }
  }

  private emitNode(schema: JsonSchema, v: string, key: string, path: Path, where: 'root' | 'element', skipToJSON: boolean): string {
    const node = this.resolver.node(schema);
    switch (node.kind) {
      case 'any': {
        const s = this.name('s');
        const otherwise = where === 'element' ? `json += 'null';` : `throw mismatch(${v}, 'a JSON value', ${pathCode(path)});`;
        return `const ${s} = any(${v});\nif (${s} !== undefined) json += ${s}; else ${otherwise}\n`;
      }
      case 'never':
        return `throw new h.SerializationError(${pathCode(path)}, 'no value is allowed here');\n`;
      case 'ref':
        return `try { json += ${this.refFunction(node.pointer)}(${v}, ${key}); } catch (e) { throw rebase(e, ${pathCode(path)}); }\n`;
      case 'union':
        return this.emitUnion(node.branches, v, key, path, skipToJSON);
      case 'typed':
        return this.emitTyped(node, v, key, path, skipToJSON);
    }
  }

  private refFunction(pointer: string): string {
    let name = this.refNames.get(pointer);
    if (name === undefined) {
      name = this.name('ref');
      this.refNames.set(pointer, name);
      const target = this.resolver.resolve(pointer)!;
      const body = this.emit(target, 'v', 'k', [], 'root', false);
      this.functions.push(`function ${name}(v, k) {\nlet json = '';\n${body}return json;\n}`);
    }
    return name;
  }

  private toJSON(v: string, key: string): string {
    return `if (typeof ${v} === 'object' && ${v} !== null && typeof ${v}.toJSON === 'function') ${v} = ${v}.toJSON(${key});\n`;
  }

  private emitTyped(node: Extract<SchemaNode, { kind: 'typed' }>, v: string, key: string, path: Path, skipToJSON: boolean): string {
    const expected = node.classes.map((c) => (c === 'number' && node.integer ? 'integer' : c)).join(' or ');
    const fail = `throw mismatch(${v}, ${JS(expected)}, ${pathCode(path)});\n`;
    const branch = (c: Class): string => {
      switch (c) {
        case 'string': return `json += str(${v});\n`;
        case 'number': return `json += Number.isFinite(${v}) ? '' + ${v} : 'null';\n`;
        case 'boolean': return `json += ${v} ? 'true' : 'false';\n`;
        case 'null': return `json += 'null';\n`;
        case 'array': return this.emitArray(node.schema, v, path);
        case 'object': return this.emitObject(node.schema, v, path);
      }
    };
    const chain = (otherwise: string): string => {
      let code = '';
      for (const c of node.classes) {
        // once null is ruled out, an object test needs no null check
        const test = c === 'object' && node.classes.includes('null') ? `typeof ${v} === 'object' && !Array.isArray(${v})` : TESTS[c](v);
        code += `${code === '' ? '' : 'else '}if (${test}) {\n${branch(c)}}\n`;
      }
      return `${code}else {\n${otherwise}}\n`;
    };
    if (skipToJSON) return chain(fail);
    const composite = node.classes.includes('object') || node.classes.includes('array');
    // Primitives: test the type first and look for toJSON only when it does not match.
    return composite ? this.toJSON(v, key) + chain(fail) : chain(this.toJSON(v, key) + chain(fail));
  }

  private emitUnion(branches: JsonSchema[], v: string, key: string, path: Path, skipToJSON: boolean): string {
    let code = skipToJSON ? '' : this.toJSON(v, key);
    // Branches that are primitive types only are written the same whatever branch a value
    // matches (by its type: enum/const members are not checked), so they form one group.
    const primitives = new Set<Class>();
    const groups: Array<{ classes: Class[]; emit: () => string }> = [];
    const others: JsonSchema[] = [];
    for (const b of branches) {
      const node = this.nodeAt(b, path);
      if (node.kind === 'never') continue;
      if (node.kind === 'typed' && !node.classes.includes('object') && !node.classes.includes('array')) {
        for (const c of node.classes) primitives.add(c);
      } else {
        others.push(b);
      }
    }
    if (primitives.size > 0) {
      const classes = ALL_CLASSES.filter((c) => primitives.has(c));
      const node = { kind: 'typed', classes, integer: false, schema: {} } as const;
      groups.push({ classes, emit: () => this.emitTyped(node, v, key, path, true) });
    }
    for (const b of others) groups.push({ classes: this.classesOf(b, new Set()), emit: () => this.emit(b, v, key, path, 'root', true) });
    const disjoint = groups.every((g, i) => groups.every((other, j) => j <= i || !g.classes.some((c) => other.classes.includes(c))));
    if (disjoint) {
      // each type goes to exactly one group: dispatch on the type
      groups.forEach((g, i) => {
        const test = g.classes.map((c) => TESTS[c](v)).join(' || ');
        code += `${i === 0 ? '' : 'else '}if (${test}) {\n${g.emit()}}\n`;
      });
    } else {
      // composite branches overlap: take the first the value conforms to
      const live = branches.filter((b) => this.resolver.node(b).kind !== 'never');
      live.forEach((b, i) => {
        code += `${i === 0 ? '' : 'else '}if (conforms(${this.constant(this.resolver)}, ${this.constant(b)}, ${v})) {\n${this.emit(b, v, key, path, 'root', true)}}\n`;
      });
    }
    const expected = disjoint ? [...new Set(groups.flatMap((g) => g.classes))].join(' or ') : 'a value matching one of the anyOf/oneOf schemas';
    code += `${groups.length === 0 ? '' : 'else '}{\nthrow mismatch(${v}, ${JS(expected || 'nothing')}, ${pathCode(path)});\n}\n`;
    return code;
  }

  /** The types a schema accepts, as far as the code generator sees them. */
  private classesOf(schema: JsonSchema, seen: Set<string>): Class[] {
    const node = this.resolver.node(schema);
    switch (node.kind) {
      case 'any': return [...ALL_CLASSES];
      case 'never': return [];
      case 'typed': return node.classes;
      case 'union': return [...new Set(node.branches.flatMap((b) => this.classesOf(b, seen)))];
      case 'ref': {
        if (seen.has(node.pointer)) return [...ALL_CLASSES];
        seen.add(node.pointer);
        return this.classesOf(this.resolver.resolve(node.pointer)!, seen);
      }
    }
  }

  private emitArray(s: JsonSchemaObject, v: string, path: Path): string {
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? (s.items as JsonSchema[]) : null;
    const rest: JsonSchema | undefined = Array.isArray(s.prefixItems)
      ? (s.items as JsonSchema | undefined)
      : Array.isArray(s.items) ? s.additionalItems : (s.items as JsonSchema | undefined) ?? true;
    let code = `json += '[';\n`;
    const n = this.name('n');
    code += `const ${n} = ${v}.length;\n`;
    const start = tuple === null ? 0 : tuple.length;
    if (tuple !== null) {
      // positions declared one by one; an array may be shorter than the tuple
      tuple.forEach((sub, i) => {
        const e = this.name('e');
        code += `if (${n} > ${i}) {\n${i === 0 ? '' : `json += ',';\n`}let ${e} = ${v}[${i}];\n`;
        code += this.emit(sub, e, JS(String(i)), [...path, { text: '/' + i }], 'element', false);
        code += `}\n`;
      });
    }
    // elements past a tuple are written only if a schema declares them (items / additionalItems)
    if (rest !== undefined && rest !== false) {
      const i = this.name('i');
      const e = this.name('e');
      code += `for (let ${i} = ${start}; ${i} < ${n}; ${i}++) {\n`;
      code += `${start === 0 ? `if (${i} !== 0) ` : ''}json += ',';\nlet ${e} = ${v}[${i}];\n`;
      code += this.emit(rest, e, `'' + ${i}`, [...path, { code: i }], 'element', false);
      code += `}\n`;
    }
    return code + `json += ']';\n`;
  }

  private emitObject(s: JsonSchemaObject, v: string, path: Path): string {
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const names = Object.keys(properties);
    for (const name of required) if (!Object.hasOwn(properties, name)) names.push(name); // required, untyped
    const patterns = isObject(s.patternProperties) ? Object.entries(s.patternProperties as Record<string, JsonSchema>) : [];
    const extra = isObject(s.additionalProperties) && hasStructure(s.additionalProperties as JsonSchemaObject)
      ? (s.additionalProperties as JsonSchema) : undefined;

    let code = `json += '{';\n`;
    // Commas: before anything is surely written, a runtime flag says whether one is needed.
    const comma: { state: 'empty' | 'flag' | 'written' } = { state: 'empty' };
    const flag = this.name('c');
    let flagDeclared = false;
    const declareFlag = (): void => {
      flagDeclared = true; // declared at the top, below
    };
    const separator = (literalKey: string, isRequired: boolean): string => {
      if (comma.state === 'written') return `json += ${JS(',' + literalKey)};\n`;
      if (comma.state === 'empty') {
        if (isRequired) {
          comma.state = 'written';
          return `json += ${JS(literalKey)};\n`;
        }
        declareFlag();
        comma.state = 'flag';
        return `json += ${JS(literalKey)};\n${flag} = true;\n`;
      }
      // flag
      const out = `json += ${flag} ? ${JS(',' + literalKey)} : ${JS(literalKey)};\n${isRequired ? '' : `${flag} = true;\n`}`;
      if (isRequired) comma.state = 'written';
      return out;
    };

    for (const name of names) {
      const sub: JsonSchema = Object.hasOwn(properties, name) ? properties[name]! : true;
      const isRequired = required.has(name);
      const p = this.name('p');
      const k = JS(name);
      const read = name in Object.prototype ? `(hasOwn(${v}, ${k}) ? ${v}[${k}] : undefined)` : `${v}[${k}]`;
      const literalKey = JSON.stringify(name) + ':';
      const here = [...path, pointerPiece(name)];
      code += `let ${p} = ${read};\n`;
      const node = this.nodeAt(sub, here);
      if (node.kind === 'any') {
        // JSON.stringify omits undefined, functions and symbols
        const sv = this.name('s');
        code += `const ${sv} = ${p} === undefined ? undefined : any(${p});\n`;
        // a required one must be there, but may still be left out (a function): never 'written'
        const missingCode = isRequired ? `else if (${p} === undefined) throw missing(${k}, ${pathCode(here)});\n` : '';
        const sep = separator(literalKey, false);
        code += `if (${sv} !== undefined) {\n${sep}json += ${sv};\n}\n${missingCode}`;
        continue;
      }
      if (isRequired) {
        code += `if (${p} === undefined) throw missing(${k}, ${pathCode(here)});\n`;
        code += separator(literalKey, true);
        code += this.emit(sub, p, k, here, 'root', false);
      } else {
        code += `if (${p} !== undefined) {\n`;
        code += separator(literalKey, false);
        code += this.emit(sub, p, k, here, 'root', false);
        code += `}\n`;
      }
    }

    if (patterns.length > 0 || extra !== undefined) {
      // a map/record: every own key that a pattern (or additionalProperties) declares
      if (comma.state !== 'written') declareFlag();
      const keys = this.name('keys');
      const i = this.name('i');
      const k = this.name('k');
      const p = this.name('p');
      const declared = names.length > 0 ? this.constant(new Set(names)) : null;
      code += `const ${keys} = Object.keys(${v});\nfor (let ${i} = 0; ${i} < ${keys}.length; ${i}++) {\n`;
      code += `const ${k} = ${keys}[${i}];\n${declared === null ? '' : `if (${declared}.has(${k})) continue;\n`}`;
      code += `let ${p} = ${v}[${k}];\nif (${p} === undefined) continue;\n`;
      const here: Path = [...path, { code: `${k}.replaceAll('~', '~0').replaceAll('/', '~1')` }];
      const sep = comma.state === 'written' ? `json += ',';\n` : `if (${flag}) json += ','; else ${flag} = true;\n`;
      const write = (sub: JsonSchema): string => {
        const node = this.nodeAt(sub, here);
        if (node.kind === 'any') {
          const sv = this.name('s');
          return `const ${sv} = any(${p});\nif (${sv} !== undefined) {\n${sep}json += str(${k}) + ':' + ${sv};\n}\n`;
        }
        return `${sep}json += str(${k}) + ':';\n${this.emit(sub, p, k, here, 'root', false)}`;
      };
      patterns.forEach(([pattern, sub], index) => {
        const re = this.constant(new RegExp(pattern, 'u'));
        code += `${index === 0 ? '' : 'else '}if (${re}.test(${k})) {\n${write(sub)}}\n`;
      });
      if (extra !== undefined) code += `${patterns.length === 0 ? '' : 'else '}{\n${write(extra)}}\n`;
      code += `}\n`;
    }
    return (flagDeclared ? `let ${flag} = false;\n` : '') + code + `json += '}';\n`;
  }
}

