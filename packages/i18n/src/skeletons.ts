/**
 * ICU skeletons (`{n, number, ::…}`, `{d, date, ::…}`) turned into Intl options for one locale,
 * once, when a message is compiled:
 *
 * - number skeletons through @formatjs/icu-skeleton-parser, plus ICU's `per-measure-unit/…`
 *   stem, which it ignores (`measure-unit/length-kilometer per-measure-unit/duration-hour` is
 *   `kilometer-per-hour`); compound units in the short form (`unit/kilometer-per-hour`) pass as is;
 * - date skeletons with the locale hour symbols of UTS #35: `j` is the hour in the locale's hour
 *   cycle with its day period where it has one (`1:05 PM` in en, `13:05` in de), `J` the same
 *   without the day period, `C` as `j` (Intl exposes no flexible-day-period preference). They
 *   leave `hourCycle` unset so that Intl applies the locale's own, a `-u-hc-` extension included.
 */
import { parseDateTimeSkeleton, parseNumberSkeleton, type NumberSkeletonToken } from '@formatjs/icu-skeleton-parser';

/** Intl options of a number skeleton, and the factor `scale/…` multiplies the value by. */
export interface NumberSkeletonOptions {
  options: Intl.NumberFormatOptions;
  scale: number;
}

/** `length-kilometer` → `kilometer`: ICU's long unit identifiers start with the unit's type. */
function withoutUnitType(unit: string): string {
  const dash = unit.indexOf('-');
  return dash === -1 ? unit : unit.slice(dash + 1);
}

/** Intl.NumberFormat options of a parsed number skeleton. Throws on a malformed stem. */
export function numberSkeletonOptions(tokens: readonly NumberSkeletonToken[]): NumberSkeletonOptions {
  const { scale, ...options } = parseNumberSkeleton(tokens as NumberSkeletonToken[]);
  for (const token of tokens) {
    // `unit/kilometer-per-hour` is ECMA-402's identifier already (skeleton parsers before 2.1.13
    // stripped its first part as if it were a type: `per-hour`).
    if (token.stem === 'unit' && token.options[0] !== undefined) options.unit = token.options[0];
    if (token.stem !== 'per-measure-unit') continue;
    const per = token.options[0];
    if (options.unit === undefined || per === undefined) throw new RangeError('per-measure-unit needs a measure-unit before it and a unit after the slash');
    options.unit = `${options.unit}-per-${withoutUnitType(per)}`;
  }
  return { options: options as Intl.NumberFormatOptions, scale: typeof scale === 'number' ? scale : 1 };
}

/** Intl options of a date skeleton, and whether the day period (AM/PM) is to be left out (`J`). */
export interface DateSkeletonOptions {
  options: Intl.DateTimeFormatOptions;
  dayPeriod: boolean;
}

const LOCALE_HOUR = /[jJC]+/g;

/** Intl.DateTimeFormat options of a date skeleton in `locale`. Throws on an unsupported field. */
export function dateSkeletonOptions(skeleton: string, locale: string): DateSkeletonOptions {
  let localeHour = false;
  let dayPeriod = true;
  // The hour width follows the run length as in ICU (j numeric, jj 2-digit, jjj numeric…); the
  // placeholder H is removed again below, leaving the hour cycle to the locale.
  const pattern = skeleton.replace(LOCALE_HOUR, (run) => {
    localeHour = true;
    if (run[0] === 'J') dayPeriod = false;
    return run.length % 2 === 0 ? 'HH' : 'H';
  });
  const parsed = parseDateTimeSkeleton(pattern);
  if (!localeHour) return { options: parsed, dayPeriod: true };
  const { hourCycle: _cycle, hour12: _twelve, ...options } = parsed;
  if (!dayPeriod) {
    const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
    // In a 24-hour locale there is no day period to leave out.
    if (cycle === 'h23' || cycle === 'h24') dayPeriod = true;
  }
  return { options, dayPeriod };
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

/** Formats with `df` and drops the day period and the blank that separates it (`J`). */
export function formatWithoutDayPeriod(df: Intl.DateTimeFormat, value: Date | number): string {
  const parts = df.formatToParts(value);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.type === 'dayPeriod') continue;
    if (part.type === 'literal' && isBlank(part.value) && (parts[i - 1]?.type === 'dayPeriod' || parts[i + 1]?.type === 'dayPeriod')) continue;
    out += part.value;
  }
  return out;
}
