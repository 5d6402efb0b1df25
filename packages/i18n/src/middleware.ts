/**
 * Per-request locale detection for Armature apps: path prefix, query, cookie, Accept-Language
 * (in a configurable order), then defaultLocale. Sets `ctx.state.locale` and `ctx.state.i18n`
 * (the locale's Translator), `Content-Language`, and `Vary: Accept-Language` when the header
 * is consulted.
 */
import { HttpError, ValidationError, type Context, type Middleware } from '@armature/core';
import type { I18n, Translator } from './i18n.js';
import { errorKey } from './error-keys.js';

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
  /**
   * Translate client errors thrown after the middleware (default true): a ValidationError by the
   * key `errors.validation`, any other exposed HttpError by `errors.<status>` — a message for the
   * detail, or `{ title, detail }` for both (`errors.404.title`, `errors.404.detail`) — each with
   * the arguments { message, status, count } (count: the number of validation issues). Errors
   * whose keys the locale's chain lacks are answered unchanged.
   */
  translateErrors?: boolean;
}

/**
 * The error to answer with: when the catalogs say how, a copy of `error` (same class, so
 * exception filters still recognise it; same issues, extensions and headers) whose detail and
 * title are in the request's locale and which says so in `Content-Language`. The thrown error
 * itself is never changed: it may be a shared instance thrown on other requests too.
 */
export function translateError(tr: Translator, error: unknown): unknown {
  if (!(error instanceof HttpError) || !error.expose) return error;
  const base = errorKey(error.status, error instanceof ValidationError);
  const detailKey = tr.has(base) ? base : tr.has(base + '.detail') ? base + '.detail' : null;
  const titleKey = tr.has(base + '.title') ? base + '.title' : null;
  if (detailKey === null && titleKey === null) return error;
  const args = { message: error.message, status: error.status, count: error instanceof ValidationError ? error.issues.length : 0 };
  let detail: string;
  let title: string | undefined;
  try {
    detail = detailKey === null ? error.message : tr.t(detailKey, args);
    title = titleKey === null ? error.title : tr.t(titleKey, args);
  } catch {
    return error; // strict mode and a message with an argument errors do not get: answer untranslated
  }
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as HttpError;
  Object.defineProperties(copy, {
    message: { value: detail, writable: true, configurable: true, enumerable: false },
    title: { value: title, writable: true, configurable: true, enumerable: true },
    // the error answer replaces the representation: say again which language it is in
    headers: { value: { ...error.headers, 'Content-Language': tr.locale }, writable: true, configurable: true, enumerable: true },
    cause: { value: error, writable: true, configurable: true, enumerable: false },
  });
  return copy;
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
  const translateErrors = options.translateErrors !== false;
  return (ctx, next) => {
    const { locale } = detectLocale(i18n, ctx, options);
    const state = ctx.state;
    state.locale = locale;
    state.i18n = i18n.translator(locale);
    if (contentLanguage) ctx.set('Content-Language', locale);
    if (usesHeader) ctx.append('Vary', 'Accept-Language');
    if (!translateErrors) return next();
    const tr = state.i18n;
    let result: unknown;
    try {
      result = next();
    } catch (error) {
      throw translateError(tr, error);
    }
    return result instanceof Promise ? result.catch((error: unknown) => { throw translateError(tr, error); }) : result;
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
