/**
 * Names of generated pieces from what the user typed: `cats`, `user-profile`, `UserProfile`,
 * `admin/users` (a folder path, then the name). Files are kebab-case, classes PascalCase.
 */

export interface PieceName {
  /** Folders under src/ before the piece's own (`admin` for `admin/users`). */
  readonly parents: readonly string[];
  /** kebab-case: file names and URL paths (`user-profiles`). */
  readonly kebab: string;
  /** PascalCase: class names (`UserProfiles`). */
  readonly pascal: string;
  /** camelCase: fields (`userProfiles`). */
  readonly camel: string;
  /** The singular, PascalCase: a resource's entity (`UserProfile`). */
  readonly entity: string;
}

/** Words of a name: `UserProfile`, `user_profile`, `user-profile`, `user profile` → ['user', 'profile']. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** English singular of a plural word, for the common cases (`categories` → `category`, `boxes` → `box`). */
export function singular(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word) && !/(us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Parses `admin/user-profiles`; throws a readable error for a name that makes no identifier. */
export function pieceName(input: string): PieceName {
  const segments = input.split(/[\\/]+/).filter((s) => s !== '');
  const last = segments.pop();
  const w = last === undefined ? [] : words(last);
  if (w.length === 0 || /^[0-9]/.test(w[0]!)) throw new Error(`"${input}" is not a usable name: use letters, digits and dashes, starting with a letter (e.g. cats, user-profiles)`);
  for (const s of segments) if (!/^[A-Za-z0-9._-]+$/.test(s) || s === '..' || s === '.') throw new Error(`"${s}" is not a usable folder name in "${input}"`);
  const pascal = w.map(cap).join('');
  const entityWords = [...w.slice(0, -1), singular(w[w.length - 1]!)];
  return {
    parents: segments.map((s) => words(s).join('-') || s),
    kebab: w.join('-'),
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    entity: entityWords.map(cap).join(''),
  };
}
