/**
 * Intl formatter instances, created once per locale + options and reused. Options objects are
 * keyed by a stable string (their entries in insertion order), so equal options share one instance.
 */
import { integerFormat, integerPlural, isCountable, type IntegerFormatter, type IntegerSelector } from './integers.js';

function optionsKey(options: object | undefined): string {
  if (options === undefined) return '';
  let key = '';
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) key += name + '=' + String(value) + ';';
  }
  return key;
}

/** A cache of Intl formatters for one locale. */
export class Formatters {
  readonly locale: string;
  private readonly numbers = new Map<string, Intl.NumberFormat>();
  private readonly dates = new Map<string, Intl.DateTimeFormat>();
  private readonly relative = new Map<string, Intl.RelativeTimeFormat>();
  private readonly lists = new Map<string, Intl.ListFormat>();
  private cardinal_: Intl.PluralRules | null = null;
  private ordinal_: Intl.PluralRules | null = null;
  /** Plural selection and default formatting of non-negative integers (see integers.ts). */
  private cardinalIntegers_: IntegerSelector | null = null;
  private ordinalIntegers_: IntegerSelector | null = null;
  private integers_: IntegerFormatter | null = null;
  private defaultNumber_: Intl.NumberFormat | null = null;

  constructor(locale: string) {
    this.locale = locale;
  }

  numberFormat(options?: Intl.NumberFormatOptions): Intl.NumberFormat {
    if (options === undefined) return (this.defaultNumber_ ??= new Intl.NumberFormat(this.locale));
    const key = optionsKey(options);
    let f = this.numbers.get(key);
    if (f === undefined) this.numbers.set(key, (f = new Intl.NumberFormat(this.locale, options)));
    return f;
  }

  dateTimeFormat(options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = optionsKey(options);
    let f = this.dates.get(key);
    if (f === undefined) this.dates.set(key, (f = new Intl.DateTimeFormat(this.locale, options)));
    return f;
  }

  relativeTimeFormat(options?: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
    const key = optionsKey(options);
    let f = this.relative.get(key);
    if (f === undefined) this.relative.set(key, (f = new Intl.RelativeTimeFormat(this.locale, options)));
    return f;
  }

  listFormat(options?: Intl.ListFormatOptions): Intl.ListFormat {
    const key = optionsKey(options);
    let f = this.lists.get(key);
    if (f === undefined) this.lists.set(key, (f = new Intl.ListFormat(this.locale, options)));
    return f;
  }

  pluralRules(type: 'cardinal' | 'ordinal' = 'cardinal'): Intl.PluralRules {
    if (type === 'ordinal') return (this.ordinal_ ??= new Intl.PluralRules(this.locale, { type: 'ordinal' }));
    return (this.cardinal_ ??= new Intl.PluralRules(this.locale));
  }

  /** The CLDR plural category of `n` (cardinal or ordinal). */
  plural(n: number, type: 'cardinal' | 'ordinal' = 'cardinal'): string {
    if (!isCountable(n)) return this.pluralRules(type).select(n);
    if (type === 'ordinal') return (this.ordinalIntegers_ ??= integerPlural(this.pluralRules('ordinal')))(n);
    return (this.cardinalIntegers_ ??= integerPlural(this.pluralRules()))(n);
  }

  /** `n` in the locale's default number format. */
  formatNumber(n: number): string {
    if (!isCountable(n)) return this.numberFormat().format(n);
    return (this.integers_ ??= integerFormat(this.numberFormat()))(n);
  }
}

const byLocale = new Map<string, Formatters>();

/** The shared formatter cache of a locale. */
export function formattersFor(locale: string): Formatters {
  let f = byLocale.get(locale);
  if (f === undefined) byLocale.set(locale, (f = new Formatters(locale)));
  return f;
}
