export { I18n, Translator, createI18n, localeChain, MissingTranslationError, type I18nOptions, type TranslateOptions, type EscapeOption } from './i18n.js';
export { compileMessage, parseMessage, MessageSyntaxError, type CompiledMessage, type CompileOptions, type CustomFormats, type MessageArgs, type Escaper } from './compile.js';
export { Formatters, formattersFor } from './formatters.js';
export { LocaleNegotiator, parseAcceptLanguage, canonicalizeTag, type LanguageRange } from './negotiate.js';
export { flatten, readCatalogDirectory, type MessageTree, type FlatCatalogs } from './catalog.js';
export { escapeHtml } from './escape.js';
export { i18nMiddleware, detectLocale, getT, getTranslator, translateError, type I18nMiddlewareOptions, type LocaleSource } from './middleware.js';
export { I18nModule } from './module.js';
export { checkCatalogs, checkDirectory, referencedKeys, type CatalogProblem, type CheckOptions } from './check.js';
