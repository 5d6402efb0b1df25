/**
 * Per-request locale detection for Armature apps: path prefix, query, cookie, Accept-Language
 * (in a configurable order), then defaultLocale. Sets `ctx.state.locale` and `ctx.state.i18n`
 * (the locale's Translator), `Content-Language`, and `Vary: Accept-Language` when the header
 * is consulted.
 */
import type { Context, Middleware } from '@armature/core';
import type { I18n, Translator } from './i18n.js';

declare module '@armature/core' {
  interface ContextState {
    /** The negotiated locale (set by the i18n middleware). */
    locale?: string;
    /** The Translator of the negotiated locale (set by the i18n middleware). */
    i18n?: Translator;
  }
}

export type LocaleSource = 'path' | 'query' | 'cookie' | 'header';

export interface I18nMiddlewareOptions {
  /** Sources tried in order (default: query, cookie, header). */
  order?: readonly LocaleSource[];
  /** Query parameter (default `lang`). */
  queryParam?: string;
  /** Cookie name (default `locale`). */
  cookie?: string;
  /** Set Content-Language on responses (default true). */
  contentLanguage?: boolean;
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/** Detects the locale of a request (without touching the response). */
export function detectLocale(i18n: I18n, ctx: Context, options: I18nMiddlewareOptions = {}): { locale: string; source: LocaleSource | 'default' } {
  const order = options.order ?? ['query', 'cookie', 'header'];
  for (const source of order) {
    let found: string | undefined;
    if (source === 'path') {
      const seg = firstSegment(ctx.path);
      if (seg !== '') found = i18n.match(seg);
    } else if (source === 'query') {
      const v = ctx.query[options.queryParam ?? 'lang'];
      const s = Array.isArray(v) ? v[0] : v;
      if (s !== undefined && s !== '') found = i18n.match(s);
    } else if (source === 'cookie') {
      const s = ctx.cookies[options.cookie ?? 'locale'];
      if (s !== undefined && s !== '') found = i18n.match(s);
    } else if (source === 'header') {
      found = i18n.negotiator.negotiateOrNull(ctx.req.headers.get('accept-language')) ?? undefined;
    }
    if (found !== undefined) return { locale: found, source };
  }
  return { locale: i18n.defaultLocale, source: 'default' };
}

/** The middleware: `app.use(i18nMiddleware(i18n, { order: ['path', 'query', 'cookie', 'header'] }))`. */
export function i18nMiddleware(i18n: I18n, options: I18nMiddlewareOptions = {}): Middleware {
  const usesHeader = (options.order ?? ['query', 'cookie', 'header']).includes('header');
  const contentLanguage = options.contentLanguage !== false;
  return (ctx, next) => {
    const { locale } = detectLocale(i18n, ctx, options);
    const state = ctx.state;
    state.locale = locale;
    state.i18n = i18n.translator(locale);
    if (contentLanguage) ctx.set('Content-Language', locale);
    if (usesHeader) ctx.append('Vary', 'Accept-Language');
    return next();
  };
}

/** The request's Translator (set by the middleware); throws if the middleware did not run. */
export function getTranslator(ctx: Context): Translator {
  const tr = ctx.state.i18n;
  if (tr === undefined) throw new Error('No i18n state on this request: add app.use(i18n.middleware()) first');
  return tr;
}

/** The request's `t` function: `getT(ctx)('greeting', { name })`. */
export function getT(ctx: Context): Translator['t'] {
  return getTranslator(ctx).t;
}
