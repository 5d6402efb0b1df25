/**
 * The I18n service: catalogs per locale, compiled messages, fallback chains, Intl formatting
 * and locale negotiation.
 */
import { flatten, readCatalogDirectory, type MessageTree } from './catalog.js';
import { compileMessage, type CompiledMessage, type CustomFormats, type Escaper, type MessageArgs } from './compile.js';
import { escapeHtml } from './escape.js';
import { formattersFor, type Formatters } from './formatters.js';
import { canonicalizeTag, LocaleNegotiator } from './negotiate.js';
import { localeChain } from './parent-locales.js';
import { i18nMiddleware, type I18nMiddlewareOptions } from './middleware.js';
import type { Middleware } from '@armature/core';
import { watch, type FSWatcher } from 'node:fs';

export type EscapeOption = 'html' | 'none' | ((s: string) => string);

export interface I18nOptions {
  /** The last fallback of every locale, and the answer when negotiation finds nothing. */
  defaultLocale: string;
  /** Supported locales (default: every locale that has messages, plus defaultLocale). */
  locales?: readonly string[];
  /** Catalogs in code: `{ en: { greeting: 'Hello {name}' }, fr: { … } }` (nested keys → dotted). */
  messages?: Record<string, MessageTree>;
  /** A directory of `<locale>.json` and `<locale>/<namespace>.json` files, read at construction. */
  directory?: string;
  /**
   * Reload the catalogs when a file under `directory` changes (hot reload). Default: on when
   * NODE_ENV is `development`. A file that fails to read or parse keeps the previous catalogs
   * and is reported through `onReloadError` (default console.warn). Stop with `close()`.
   */
  watch?: boolean;
  /** Called when a hot reload fails (default: console.warn). */
  onReloadError?: (error: unknown) => void;
  /** Between a namespace and a key: `common:greeting` (default `:`). */
  namespaceSeparator?: string;
  /** Namespace tried for keys without one: `t('greeting')` → `common:greeting` if `greeting` is absent. */
  defaultNamespace?: string;
  /** Extra fallbacks tried after a locale's own parents, before defaultLocale: `{ 'pt-BR': ['pt-PT'] }`. */
  fallbacks?: Record<string, readonly string[]>;
  /** Throw on a missing key or argument instead of returning the key / `{arg}` and warning once. */
  strict?: boolean;
  /** Called once per locale+key that is missing (default: console.warn). */
  onMissingKey?: (key: string, locale: string) => void;
  /** Escaping of interpolated arguments (default `none`); per call: `t(key, args, { escape })`. */
  escape?: EscapeOption;
  /** Named number/date/time styles for `{n, number, name}`. */
  formats?: CustomFormats;
  /** IANA time zone for date/time arguments and formatDate (default: the process's). */
  timeZone?: string;
}

export interface TranslateOptions {
  escape?: EscapeOption;
}

export class MissingTranslationError extends Error {
  constructor(readonly key: string, readonly locale: string) {
    super(`Missing message "${key}" for locale ${locale}`);
    this.name = 'MissingTranslationError';
  }
}

function toEscaper(option: EscapeOption | undefined): Escaper {
  if (option === undefined || option === 'none') return null;
  if (option === 'html') return escapeHtml;
  return option;
}

/** Messages and formatting for one locale. Obtain from `i18n.translator(locale)`. */
export class Translator {
  readonly locale: string;
  /** Locales whose catalogs are searched, in order. */
  readonly chain: readonly string[];
  readonly formatters: Formatters;
  private readonly compiled = new Map<string, CompiledMessage>();
  private readonly i18n: I18n;
  private readonly escaper: Escaper;

  constructor(i18n: I18n, locale: string, chain: readonly string[], escaper: Escaper) {
    this.i18n = i18n;
    this.locale = locale;
    this.chain = chain;
    this.formatters = formattersFor(locale);
    this.escaper = escaper;
  }

  /** Formats message `key` with `args`. A bound function: `const { t } = translator` works. */
  readonly t = (key: string, args?: MessageArgs, options?: TranslateOptions): string => {
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      fn = this.resolve(key);
      if (fn === undefined) return this.i18n.missingKey(key, this.locale);
      this.compiled.set(key, fn);
    }
    return fn(args, options === undefined || options.escape === undefined ? this.escaper : toEscaper(options.escape));
  };

  /** Whether `key` has a message in this locale's chain. */
  has(key: string): boolean {
    return this.compiled.has(key) || this.i18n.find(this.chain, key) !== undefined;
  }

  private resolve(key: string): CompiledMessage | undefined {
    const found = this.i18n.find(this.chain, key);
    if (found === undefined) return undefined;
    // Plural rules must be those of the message's language; number formats those of the request.
    const sameLanguage = new Intl.Locale(found.locale).language === new Intl.Locale(this.locale).language;
    return this.i18n.compile(found.source, sameLanguage ? this.locale : found.locale);
  }

  number(value: number | bigint, options?: Intl.NumberFormatOptions): string {
    return this.formatters.numberFormat(options).format(value);
  }
  currency(value: number, currency: string, options?: Intl.NumberFormatOptions): string {
    return this.formatters.numberFormat({ ...options, style: 'currency', currency }).format(value);
  }
  percent(value: number, options?: Intl.NumberFormatOptions): string {
    return this.formatters.numberFormat({ ...options, style: 'percent' }).format(value);
  }
  compact(value: number, display: 'short' | 'long' = 'short'): string {
    return this.formatters.numberFormat({ notation: 'compact', compactDisplay: display }).format(value);
  }
  unit(value: number, unit: string, display: 'short' | 'long' | 'narrow' = 'short'): string {
    return this.formatters.numberFormat({ style: 'unit', unit, unitDisplay: display }).format(value);
  }
  date(value: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
    const tz = this.i18n.options.timeZone;
    const opts = tz !== undefined && options.timeZone === undefined ? { ...options, timeZone: tz } : options;
    return this.formatters.dateTimeFormat(opts).format(value);
  }
  time(value: Date | number, options: Intl.DateTimeFormatOptions = { timeStyle: 'short' }): string {
    return this.date(value, options);
  }
  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit, options?: Intl.RelativeTimeFormatOptions): string {
    return this.formatters.relativeTimeFormat(options).format(value, unit);
  }
  list(items: Iterable<string>, options?: Intl.ListFormatOptions): string {
    return this.formatters.listFormat(options).format(items);
  }
  /** The CLDR plural category of `n`: zero, one, two, few, many or other. */
  plural(n: number, type: 'cardinal' | 'ordinal' = 'cardinal'): string {
    return this.formatters.plural(n, type);
  }
}

export class I18n {
  readonly options: I18nOptions;
  readonly defaultLocale: string;
  readonly separator: string;
  /** canonical locale → key → source */
  private readonly catalogs = new Map<string, Map<string, string>>();
  private readonly translators = new Map<string, Translator>();
  private readonly warned = new Set<string>();
  private negotiator_: LocaleNegotiator | null = null;
  /** What was loaded, in order, so that a reload can rebuild the catalogs from scratch. */
  private readonly sources: Array<{ tree: MessageTree; locale: string; namespace: string | undefined } | { dir: string }> = [];
  private watchers: FSWatcher[] = [];
  private reloadTimer: NodeJS.Timeout | null = null;

  constructor(options: I18nOptions) {
    this.options = options;
    const def = canonicalizeTag(options.defaultLocale);
    if (def === null) throw new RangeError(`Invalid defaultLocale "${options.defaultLocale}"`);
    this.defaultLocale = def;
    this.separator = options.namespaceSeparator ?? ':';
    if (options.messages !== undefined) for (const locale of Object.keys(options.messages)) this.addMessages(locale, options.messages[locale]!);
    if (options.directory !== undefined) {
      try {
        this.loadDirectory(options.directory);
      } catch (e) {
        throw new Error(`I18n option \`directory\`: ${(e as Error).message}`, { cause: e });
      }
      if (options.watch ?? process.env.NODE_ENV === 'development') this.watchDirectory(options.directory);
    }
  }

  /** Adds (or overrides) messages of `locale`, under `namespace` if given. */
  addMessages(locale: string, tree: MessageTree, namespace?: string): this {
    this.sources.push({ tree, locale, namespace });
    this.applyMessages(locale, tree, namespace);
    return this.changed();
  }

  private applyMessages(locale: string, tree: MessageTree, namespace: string | undefined): void {
    const prefix = namespace === undefined ? '' : namespace + this.separator;
    const target = this.catalog(locale);
    for (const [k, v] of flatten(tree)) target.set(prefix + k, v);
  }

  /** Reads a directory of JSON catalogs (see readCatalogDirectory). */
  loadDirectory(dir: string): this {
    this.applyDirectory(readCatalogDirectory(dir, this.separator));
    this.sources.push({ dir });
    return this.changed();
  }

  private applyDirectory(catalogs: ReturnType<typeof readCatalogDirectory>): void {
    for (const [locale, flat] of catalogs) {
      const target = this.catalog(locale);
      for (const [k, v] of flat) target.set(k, v);
    }
  }

  /**
   * Rebuilds every catalog from what was loaded (directories are read again), dropping compiled
   * messages. All files are read before anything changes: on an error the old catalogs stay.
   */
  reload(): this {
    const read = this.sources.map((s) => ('dir' in s ? readCatalogDirectory(s.dir, this.separator) : null));
    this.catalogs.clear();
    this.sources.forEach((s, i) => {
      if ('dir' in s) this.applyDirectory(read[i]!);
      else this.applyMessages(s.locale, s.tree, s.namespace);
    });
    return this.changed();
  }

  /** Hot reload: reloads (debounced) when a file under `dir` changes. */
  watchDirectory(dir: string): this {
    const watcher = watch(dir, { recursive: true, persistent: false }, () => {
      if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = null;
        try {
          this.reload();
        } catch (error) {
          (this.options.onReloadError ?? ((e: unknown) => console.warn('[armature/i18n] reload failed:', e)))(error);
        }
      }, 50);
      this.reloadTimer.unref();
    });
    watcher.on('error', (error) => (this.options.onReloadError ?? console.warn)(error));
    this.watchers.push(watcher);
    return this;
  }

  /** Stops watching directories. */
  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
  }

  private catalog(locale: string): Map<string, string> {
    const tag = canonicalizeTag(locale);
    if (tag === null) throw new RangeError(`Invalid locale "${locale}"`);
    let m = this.catalogs.get(tag);
    if (m === undefined) this.catalogs.set(tag, (m = new Map()));
    return m;
  }

  private changed(): this {
    this.translators.clear();
    this.negotiator_ = null;
    return this;
  }

  /** Supported locales, canonical. */
  get locales(): string[] {
    const list = this.options.locales ?? [this.defaultLocale, ...this.catalogs.keys()];
    const out: string[] = [];
    for (const l of list) {
      const c = canonicalizeTag(l);
      if (c !== null && !out.includes(c)) out.push(c);
    }
    return out;
  }

  /** The flat catalog of a locale (its own messages only), or undefined. */
  messages(locale: string): ReadonlyMap<string, string> | undefined {
    const c = canonicalizeTag(locale);
    return c === null ? undefined : this.catalogs.get(c);
  }

  get negotiator(): LocaleNegotiator {
    return (this.negotiator_ ??= new LocaleNegotiator(this.locales, this.defaultLocale));
  }

  /** The best supported locale for an Accept-Language header (defaultLocale if none). */
  negotiate(acceptLanguage: string | null | undefined): string {
    return this.negotiator.negotiate(acceptLanguage);
  }

  /** The supported locale for a tag (exact, then script/language fallbacks), or undefined. */
  match(tag: string): string | undefined {
    return this.negotiator.match(tag);
  }

  /** The Translator of `locale` (cached). Any valid tag works; its chain ends with defaultLocale. */
  translator(locale: string): Translator {
    let tr = this.translators.get(locale);
    if (tr !== undefined) return tr;
    const tag = canonicalizeTag(locale) ?? this.defaultLocale;
    tr = this.translators.get(tag);
    if (tr === undefined) {
      const chain: string[] = [];
      const add = (l: string) => { if (!chain.includes(l)) chain.push(l); };
      for (const l of localeChain(tag)) add(l);
      for (const l of this.options.fallbacks?.[tag] ?? []) for (const p of localeChain(canonicalizeTag(l) ?? l)) add(p);
      for (const l of localeChain(this.defaultLocale)) add(l);
      tr = new Translator(this, tag, chain, toEscaper(this.options.escape));
      // Locales may come from requests: bound the cache so arbitrary tags cannot grow it forever.
      if (this.translators.size >= 1000) this.translators.clear();
      this.translators.set(tag, tr);
    }
    if (locale !== tag && this.translators.size < 1000) this.translators.set(locale, tr);
    return tr;
  }

  /** Locale detection middleware for Armature apps (see I18nMiddlewareOptions). */
  middleware(options?: I18nMiddlewareOptions): Middleware {
    return i18nMiddleware(this, options);
  }

  /** Shorthand for `translator(locale).t(key, args, options)`. */
  t(locale: string, key: string, args?: MessageArgs, options?: TranslateOptions): string {
    return this.translator(locale).t(key, args, options);
  }

  /** Compiles an ICU message for `locale` (used by translators; handy for one-off messages). */
  compile(source: string, locale: string): CompiledMessage {
    const strict = this.options.strict === true;
    const opts = {
      ...(this.options.formats !== undefined ? { formats: this.options.formats } : {}),
      ...(this.options.timeZone !== undefined ? { timeZone: this.options.timeZone } : {}),
      ...(strict ? { onMissingArgument: (name: string) => { throw new TypeError(`Missing argument "${name}" in ${JSON.stringify(source)}`); } } : {}),
    };
    return compileMessage(source, formattersFor(locale), opts);
  }

  /** @internal The first message for `key` along `chain`. */
  find(chain: readonly string[], key: string): { locale: string; source: string } | undefined {
    const ns = this.options.defaultNamespace;
    const alt = ns !== undefined && !key.includes(this.separator) ? ns + this.separator + key : undefined;
    for (const locale of chain) {
      const cat = this.catalogs.get(locale);
      if (cat === undefined) continue;
      const s = cat.get(key) ?? (alt === undefined ? undefined : cat.get(alt));
      if (s !== undefined) return { locale, source: s };
    }
    return undefined;
  }

  /** @internal Missing-key policy: throw when strict, else warn once and return the key. */
  missingKey(key: string, locale: string): string {
    if (this.options.strict === true) throw new MissingTranslationError(key, locale);
    const id = locale + '\u0000' + key;
    if (!this.warned.has(id)) {
      this.warned.add(id);
      if (this.options.onMissingKey !== undefined) this.options.onMissingKey(key, locale);
      else console.warn(`[armature/i18n] missing message "${key}" for locale ${locale}`);
    }
    return key;
  }
}

/** Creates an I18n service. */
export function createI18n(options: I18nOptions): I18n {
  return new I18n(options);
}
