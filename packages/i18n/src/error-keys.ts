/**
 * The catalog keys the i18n middleware reads by itself to translate error answers, and the
 * arguments it formats them with. Shared by the middleware and the catalog checker.
 *
 *   errors.validation          detail of a ValidationError (400 with `issues`)
 *   errors.<status>            detail of any other exposed HttpError (errors.404, errors.413…)
 *   errors.<…>.detail / .title the same in object form, with the problem's title
 */

/** The arguments an error message is formatted with: `{message}` (the error's own), `{status}`, `{count}` (validation issues). */
export const ERROR_ARGUMENTS: readonly string[] = ['message', 'status', 'count'];

const ERROR_KEY = /^errors\.(?:validation|[45][0-9][0-9])(?:\.(?:title|detail))?$/;

/** Whether `key` (without namespace) is one the middleware reads. */
export function isErrorKey(key: string): boolean {
  return ERROR_KEY.test(key);
}

/** The base key of an error: `errors.validation` or `errors.<status>`. */
export function errorKey(status: number, validation: boolean): string {
  return validation ? 'errors.validation' : `errors.${status}`;
}
