/**
 * Compiles an ICU MessageFormat string into a plain function, once: the AST from
 * @formatjs/icu-messageformat-parser is walked a single time and turned into closures bound to
 * the locale's cached Intl formatters. Calling the result never parses again.
 */
import {
  parse, TYPE, isDateTimeSkeleton, isNumberSkeleton,
  type MessageFormatElement, type PluralElement, type SelectElement,
} from '@formatjs/icu-messageformat-parser';
import type { Formatters } from './formatters.js';

/** Values a message can interpolate. */
export type MessageArgs = Record<string, unknown>;
/** Escapes an interpolated value (e.g. for HTML); identity when null. */
export type Escaper = ((s: string) => string) | null;
/** A compiled message. `escape` applies to interpolated values only, never to the message's own text. */
export type CompiledMessage = (args: MessageArgs | undefined, escape: Escaper) => string;

/** Named styles usable as `{n, number, name}`, `{d, date, name}`, `{d, time, name}`. */
export interface CustomFormats {
  number?: Record<string, Intl.NumberFormatOptions>;
  date?: Record<string, Intl.DateTimeFormatOptions>;
  time?: Record<string, Intl.DateTimeFormatOptions>;
}

export interface CompileOptions {
  formats?: CustomFormats;
  /** IANA time zone for date/time arguments (default: the process's). */
  timeZone?: string;
  /** Called when an argument is missing (default: render `{name}`). */
  onMissingArgument?: (name: string) => void;
}

/** Thrown for a message that does not parse. */
export class MessageSyntaxError extends Error {
  readonly source: string;
  constructor(message: string, source: string, cause: unknown) {
    super(message, { cause });
    this.name = 'MessageSyntaxError';
    this.source = source;
  }
}

type Part = (args: MessageArgs | undefined, escape: Escaper, pound: number) => string;

const NUMBER_STYLES: Record<string, Intl.NumberFormatOptions> = {
  integer: { maximumFractionDigits: 0 },
  percent: { style: 'percent' },
};
const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  short: { dateStyle: 'short' }, medium: { dateStyle: 'medium' }, long: { dateStyle: 'long' }, full: { dateStyle: 'full' },
};
const TIME_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  short: { timeStyle: 'short' }, medium: { timeStyle: 'medium' }, long: { timeStyle: 'long' }, full: { timeStyle: 'full' },
};

/** Parses `source` (throws MessageSyntaxError). Tags such as `<b>` are kept as literal text. */
export function parseMessage(source: string): MessageFormatElement[] {
  try {
    return parse(source, { ignoreTag: true, requiresOtherClause: true, shouldParseSkeletons: true });
  } catch (e) {
    throw new MessageSyntaxError(`Invalid message ${JSON.stringify(source)}: ${(e as Error).message}`, source, e);
  }
}

/** Compiles `source` for the locale of `formatters`. */
export function compileMessage(source: string, formatters: Formatters, options: CompileOptions = {}): CompiledMessage {
  // Plain text (no braces, no apostrophes to unescape, no #) needs no parser at all.
  if (!/[{}'#<]/.test(source)) return () => source;
  const ast = parseMessage(source);
  const compiler = new Compiler(formatters, options);
  const part = compiler.sequence(ast, false);
  return (args, escape) => part(args, escape, 0);
}

class Compiler {
  constructor(private readonly f: Formatters, private readonly options: CompileOptions) {}

  sequence(elements: MessageFormatElement[], inPlural: boolean): Part {
    const parts: Part[] = [];
    let text = '';
    const literals: (string | null)[] = [];
    for (const el of elements) {
      if (el.type === TYPE.literal) {
        text += el.value;
        continue;
      }
      if (el.type === TYPE.pound && !inPlural) {
        text += '#';
        continue;
      }
      if (text !== '') {
        literals.push(text);
        text = '';
      }
      literals.push(null);
      parts.push(this.element(el, inPlural));
    }
    if (text !== '') literals.push(text);
    // Specialise the common shapes: text only, one part, text + part + text.
    if (parts.length === 0) {
      const s = literals.join('');
      return () => s;
    }
    if (literals.length === 1) return parts[0]!;
    if (literals.length === 3 && literals[0] !== null && literals[1] === null && literals[2] !== null) {
      const a = literals[0], p = parts[0]!, b = literals[2];
      return (args, esc, pound) => a + p(args, esc, pound) + b;
    }
    if (literals.length === 2 && literals[0] !== null) {
      const a = literals[0], p = parts[0]!;
      return (args, esc, pound) => a + p(args, esc, pound);
    }
    if (literals.length === 2 && literals[1] !== null) {
      const p = parts[0]!, b = literals[1]!;
      return (args, esc, pound) => p(args, esc, pound) + b;
    }
    const pieces: (string | Part)[] = [];
    let i = 0;
    for (const l of literals) pieces.push(l === null ? parts[i++]! : l);
    const n = pieces.length;
    return (args, esc, pound) => {
      let out = '';
      for (let k = 0; k < n; k++) {
        const piece = pieces[k]!;
        out += typeof piece === 'string' ? piece : piece(args, esc, pound);
      }
      return out;
    };
  }

  private missing(name: string): string {
    this.options.onMissingArgument?.(name);
    return '{' + name + '}';
  }

  private element(el: MessageFormatElement, inPlural: boolean): Part {
    const f = this.f;
    switch (el.type) {
      case TYPE.pound:
        return (_args, esc, pound) => (esc === null ? f.formatNumber(pound) : esc(f.formatNumber(pound)));
      case TYPE.argument: {
        const name = el.value;
        return (args, esc) => {
          const v = args?.[name];
          if (v === undefined) return this.missing(name);
          const s = typeof v === 'string' ? v : typeof v === 'number' ? f.formatNumber(v) : v instanceof Date ? f.dateTimeFormat(this.dateOptions(undefined)).format(v) : String(v);
          return esc === null ? s : esc(s);
        };
      }
      case TYPE.number: {
        const name = el.value;
        const style = el.style;
        let opts: Intl.NumberFormatOptions | undefined;
        let scale = 1;
        if (isNumberSkeleton(style)) {
          const { scale: sc, ...rest } = style.parsedOptions;
          opts = rest as Intl.NumberFormatOptions;
          if (typeof sc === 'number') scale = sc;
        } else if (typeof style === 'string' && style !== '') {
          opts = this.options.formats?.number?.[style] ?? NUMBER_STYLES[style];
          if (opts === undefined) throw new MessageSyntaxError(`Unknown number style "${style}"`, style, null);
        }
        const nf = f.numberFormat(opts);
        return (args, esc) => {
          const v = args?.[name];
          if (v === undefined) return this.missing(name);
          const s = nf.format(scale === 1 ? (v as number) : (v as number) * scale);
          return esc === null ? s : esc(s);
        };
      }
      case TYPE.date:
      case TYPE.time: {
        const name = el.value;
        const style = el.style;
        const named = el.type === TYPE.date ? DATE_STYLES : TIME_STYLES;
        const custom = el.type === TYPE.date ? this.options.formats?.date : this.options.formats?.time;
        let opts: Intl.DateTimeFormatOptions;
        if (isDateTimeSkeleton(style)) opts = style.parsedOptions;
        else if (typeof style === 'string' && style !== '') {
          const o = custom?.[style] ?? named[style];
          if (o === undefined) throw new MessageSyntaxError(`Unknown ${el.type === TYPE.date ? 'date' : 'time'} style "${style}"`, style, null);
          opts = o;
        } else opts = el.type === TYPE.date ? { dateStyle: 'medium' } : { timeStyle: 'medium' };
        const df = f.dateTimeFormat(this.dateOptions(opts));
        return (args, esc) => {
          const v = args?.[name];
          if (v === undefined) return this.missing(name);
          const s = df.format(v as Date | number);
          return esc === null ? s : esc(s);
        };
      }
      case TYPE.select:
        return this.select(el, inPlural);
      case TYPE.plural:
        return this.plural(el);
      default:
        // Tags are parsed as literal text (ignoreTag), so nothing else can occur.
        throw new MessageSyntaxError(`Unsupported element type ${(el as { type: number }).type}`, '', null);
    }
  }

  private dateOptions(opts: Intl.DateTimeFormatOptions | undefined): Intl.DateTimeFormatOptions | undefined {
    const tz = this.options.timeZone;
    if (tz === undefined) return opts;
    return { ...opts, timeZone: tz };
  }

  private select(el: SelectElement, inPlural: boolean): Part {
    const name = el.value;
    const cases = new Map<string, Part>();
    for (const key of Object.keys(el.options)) cases.set(key, this.sequence(el.options[key]!.value, inPlural));
    const other = cases.get('other')!;
    return (args, esc, pound) => {
      const v = args?.[name];
      const c = v === undefined ? undefined : cases.get(String(v));
      return (c ?? other)(args, esc, pound);
    };
  }

  private plural(el: PluralElement): Part {
    const name = el.value;
    const offset = el.offset;
    const type = el.pluralType === 'ordinal' ? 'ordinal' : 'cardinal';
    const exact = new Map<number, Part>();
    const categories = new Map<string, Part>();
    for (const key of Object.keys(el.options)) {
      const part = this.sequence(el.options[key]!.value, true);
      if (key.charCodeAt(0) === 61 /* = */) exact.set(Number(key.slice(1)), part);
      else categories.set(key, part);
    }
    const other = categories.get('other')!;
    const f = this.f;
    const hasExact = exact.size > 0;
    return (args, esc) => {
      const raw = args?.[name];
      if (raw === undefined) return this.missing(name);
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (hasExact) {
        const e = exact.get(n);
        if (e !== undefined) return e(args, esc, n - offset);
      }
      const v = n - offset;
      const c = categories.get(f.plural(v, type));
      return (c ?? other)(args, esc, v);
    };
  }
}
