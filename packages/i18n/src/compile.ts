/**
 * Compiles an ICU MessageFormat string into a plain function, once: the AST from
 * @formatjs/icu-messageformat-parser is walked a single time and turned into closures bound to
 * the locale's cached Intl formatters. Calling the result never parses again.
 */
import {
  parse, TYPE, isDateTimeSkeleton, isNumberSkeleton,
  type DateElement, type MessageFormatElement, type NumberElement, type PluralElement, type SelectElement, type TimeElement,
} from '@formatjs/icu-messageformat-parser';
import type { Formatters } from './formatters.js';
import { dateSkeletonOptions, formatWithoutDayPeriod, numberSkeletonOptions } from './skeletons.js';

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
  /**
   * Called when an argument is missing (default: render `{name}`; a `select` takes `other`).
   * Throwing from it makes missing arguments errors (strict mode).
   */
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
/** ICU's defaults: `{d, date}` and a bare `{d}` (a Date) are medium dates, `{d, time}` a medium time. */
const DEFAULT_DATE = DATE_STYLES.medium!;
const DEFAULT_TIME = TIME_STYLES.medium!;

/**
 * Parses `source` (throws MessageSyntaxError). Tags such as `<b>` are kept as literal text.
 * Skeletons are left unresolved (`parsedOptions` empty): they depend on the locale (`j`, the
 * locale's hour), so compileMessage resolves them for the locale it compiles for.
 */
export function parseMessage(source: string): MessageFormatElement[] {
  try {
    return parse(source, { ignoreTag: true, requiresOtherClause: true, shouldParseSkeletons: false });
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
        // A Date as a bare argument is formatted as `{d, date}`: a medium date.
        let dates: Intl.DateTimeFormat | null = null;
        return (args, esc) => {
          const v = args?.[name];
          if (v === undefined) return this.missing(name);
          const s = typeof v === 'string' ? v : typeof v === 'number' ? f.formatNumber(v)
            : v instanceof Date ? (dates ??= f.dateTimeFormat(this.dateOptions(DEFAULT_DATE))).format(v) : String(v);
          return esc === null ? s : esc(s);
        };
      }
      case TYPE.number:
        return this.number(el);
      case TYPE.date:
      case TYPE.time:
        return this.dateTime(el);
      case TYPE.select:
        return this.select(el, inPlural);
      case TYPE.plural:
        return this.plural(el);
      default:
        // Tags are parsed as literal text (ignoreTag), so nothing else can occur.
        throw new MessageSyntaxError(`Unsupported element type ${(el as { type: number }).type}`, '', null);
    }
  }

  private number(el: NumberElement): Part {
    const name = el.value;
    const style = el.style;
    let opts: Intl.NumberFormatOptions | undefined;
    let scale = 1;
    let text = typeof style === 'string' ? style : '';
    if (isNumberSkeleton(style)) {
      text = '::' + style.tokens.map((t) => [t.stem, ...t.options].join('/')).join(' ');
      ({ options: opts, scale } = this.skeleton(() => numberSkeletonOptions(style.tokens), text));
    } else if (typeof style === 'string' && style !== '') {
      opts = this.options.formats?.number?.[style] ?? NUMBER_STYLES[style];
      if (opts === undefined) throw new MessageSyntaxError(`Unknown number style "${style}"`, style, null);
    }
    const nf = this.skeleton(() => this.f.numberFormat(opts), text);
    return (args, esc) => {
      const v = args?.[name];
      if (v === undefined) return this.missing(name);
      const s = nf.format(scale === 1 ? (v as number) : (v as number) * scale);
      return esc === null ? s : esc(s);
    };
  }

  private dateTime(el: DateElement | TimeElement): Part {
    const name = el.value;
    const style = el.style;
    const kind = el.type === TYPE.date ? 'date' : 'time';
    let opts: Intl.DateTimeFormatOptions;
    let dayPeriod = true;
    if (isDateTimeSkeleton(style)) {
      ({ options: opts, dayPeriod } = this.skeleton(() => dateSkeletonOptions(style.pattern, this.f.locale), '::' + style.pattern));
    } else if (typeof style === 'string' && style !== '') {
      const o = (kind === 'date' ? this.options.formats?.date : this.options.formats?.time)?.[style] ?? (kind === 'date' ? DATE_STYLES : TIME_STYLES)[style];
      if (o === undefined) throw new MessageSyntaxError(`Unknown ${kind} style "${style}"`, style, null);
      opts = o;
    } else opts = kind === 'date' ? DEFAULT_DATE : DEFAULT_TIME;
    const df = this.skeleton(() => this.f.dateTimeFormat(this.dateOptions(opts)), typeof style === 'string' ? style : '::' + (style?.pattern ?? ''));
    return (args, esc) => {
      const v = args?.[name];
      if (v === undefined) return this.missing(name);
      const s = dayPeriod ? df.format(v as Date | number) : formatWithoutDayPeriod(df, v as Date | number);
      return esc === null ? s : esc(s);
    };
  }

  /** Runs `build`, turning what Intl or the skeleton parser refuse into a MessageSyntaxError. */
  private skeleton<T>(build: () => T, source: string): T {
    try {
      return build();
    } catch (e) {
      if (e instanceof MessageSyntaxError) throw e;
      throw new MessageSyntaxError(`Unsupported format "${source}" for ${this.f.locale}: ${(e as Error).message}`, source, e);
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
      if (v === undefined) {
        this.options.onMissingArgument?.(name); // strict mode throws here
        return other(args, esc, pound);
      }
      return (cases.get(String(v)) ?? other)(args, esc, pound);
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
