/**
 * CLDR parent locales: the locale whose messages and formats a locale falls back to. Usually the
 * tag without its last subtag (de-CH → de), except where CLDR says otherwise: regional groups
 * (es-AR → es-419, en-AU → en-001, en-CH → en-150 → en-001, pt-AO → pt-PT) and scripts that
 * must not fall back to the language's default script (zh-Hant, sr-Latn → root).
 *
 * The table is CLDR 48.2's `supplemental/parentLocales.json` (`parentLocale`, Unicode-3.0
 * licensed data, as published in the npm package cldr-core@48.2.0), written compactly: regions
 * grouped by parent. Intl exposes no parent-locale data, hence the copy.
 */

/** Parent → the regions of its language whose parent it is. */
const REGIONAL_PARENTS: Record<string, string> = {
  'en-001': '150 AG AI AU BB BM BS BW BZ CC CK CM CX CY DG DM ER FJ FK FM GB GD GG GH GI GM GS GY HK ID IE IL IM IN IO JE JM KE KI KN KY LC LR LS MG MO MS MT MU MV MW MY NA NF NG NR NU NZ PG PK PN PW RW SB SC SD SG SH SL SS SX SZ TC TK TO TT TV TZ UG VC VG VU WS ZA ZM ZW',
  'en-150': 'AT BE CH CZ DE DK EE ES FI FR GE HU IT LT LV NL NO PL PT RO SE SI SK UA',
  'es-419': 'AR BO BR BZ CL CO CR CU DO EC GT HN JP MX NI PA PE PR PY SV US UY VE',
  'pt-PT': 'AO CH CV FR GQ GW LU MO MZ ST TL',
};

/** Other explicit parents, some in another language. */
const OTHER_PARENTS: Record<string, string> = { 'hi-Latn': 'en-IN', ht: 'fr-HT', nb: 'no', nn: 'no', 'zh-Hant-MO': 'zh-Hant-HK' };

/** Locales whose parent is the root: nothing of the language's default script is inherited. */
const ROOT_CHILDREN = 'az-Arab az-Cyrl bal-Latn blt-Latn bm-Nkoo bs-Cyrl byn-Latn cu-Glag dje-Arab dyo-Arab en-Dsrt en-Shaw ff-Adlm ff-Arab ha-Arab iu-Latn kaa-Latn kk-Arab kok-Latn ks-Deva ku-Arab kxv-Deva kxv-Orya kxv-Telu ky-Arab ky-Latn ml-Arab mn-Mong mni-Mtei ms-Arab pa-Arab sat-Deva sd-Deva sd-Khoj sd-Sind shi-Latn so-Arab sr-Latn sw-Arab suz-Sunu tg-Arab ug-Cyrl uz-Arab uz-Cyrl vai-Latn wo-Arab yo-Arab yue-Hans zh-Hant';

/** lowercased tag → canonical parent, or null for the root. */
const PARENTS = new Map<string, string | null>();
for (const parent of Object.keys(REGIONAL_PARENTS)) {
  const language = parent.slice(0, parent.indexOf('-'));
  for (const region of REGIONAL_PARENTS[parent]!.split(' ')) PARENTS.set(`${language}-${region}`.toLowerCase(), parent);
}
for (const child of Object.keys(OTHER_PARENTS)) PARENTS.set(child.toLowerCase(), OTHER_PARENTS[child]!);
for (const child of ROOT_CHILDREN.split(' ')) PARENTS.set(child.toLowerCase(), null);

/** Languages with a locale whose parent is in another language (ht → fr-HT, nb → no, hi-Latn → en-IN). */
export const CROSS_LANGUAGE_PARENTS: ReadonlySet<string> = new Set(['hi', 'ht', 'nb', 'nn']);

/** The (lowercased) tags whose CLDR parent is not their truncated tag. */
export function tagsWithExplicitParents(): Iterable<string> {
  return PARENTS.keys();
}

/** The parent CLDR names for `lower` (a lowercased tag): a tag, null for the root, undefined when it is the truncated tag. */
export function explicitParent(lower: string): string | null | undefined {
  return PARENTS.get(lower);
}

/**
 * Where `tag` is cut to get its truncated parent (the index of a hyphen), or -1 when it has no
 * subtag left to drop. A dangling extension singleton goes with its subtag (en-US-x-a → en-US).
 */
export function truncationPoint(tag: string): number {
  let cut = tag.lastIndexOf('-');
  // Skip a single-letter extension or private-use singleton left at the end.
  while (cut >= 2 && tag.charCodeAt(cut - 2) === 45 /* - */) cut = tag.lastIndexOf('-', cut - 1);
  return cut > 0 ? cut : -1;
}

/** The CLDR parent of `tag` (the table's spelling for explicit parents), or null when it is the root. */
export function parentLocale(tag: string): string | null {
  const explicit = PARENTS.get(tag.toLowerCase());
  if (explicit !== undefined) return explicit;
  const cut = truncationPoint(tag);
  return cut === -1 ? null : tag.slice(0, cut);
}

/** The tag and its CLDR parents up to the language: es-AR → [es-AR, es-419, es]. */
export function localeChain(tag: string): string[] {
  const out = [tag];
  // Bounded: CLDR's parents form no cycle and every other step drops a subtag.
  for (let parent = parentLocale(tag); parent !== null && !out.includes(parent); parent = parentLocale(parent)) out.push(parent);
  return out;
}
