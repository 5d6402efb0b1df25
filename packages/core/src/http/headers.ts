import { hasUpperCase } from './chars.js';

/**
 * Request header fields as parallel arrays of lowercased names and values, looked up
 * case-insensitively. The object form is built only when asked for.
 */
export class HeaderList {
  readonly names: readonly string[];
  readonly values: readonly string[];
  private object: Record<string, string> | null = null;

  constructor(names: readonly string[], values: readonly string[]) {
    this.names = names;
    this.values = values;
  }

  /** The field's value; repeated fields are joined with ", " (with "; " for Cookie). */
  get(name: string): string | undefined {
    const found = this.find(name);
    if (found !== undefined || !hasUpperCase(name)) return found;
    return this.find(name.toLowerCase());
  }

  private find(lower: string): string | undefined {
    let found: string | undefined;
    for (let i = 0; i < this.names.length; i++) {
      if (this.names[i] === lower) {
        const v = this.values[i]!;
        found = found === undefined ? v : found + (lower === 'cookie' ? '; ' : ', ') + v;
      }
    }
    return found;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** All fields as a plain object with lowercased keys (built once, on first use). */
  toObject(): Record<string, string> {
    if (this.object === null) {
      const o: Record<string, string> = Object.create(null);
      for (let i = 0; i < this.names.length; i++) {
        const n = this.names[i]!;
        const prev = o[n];
        o[n] = prev === undefined ? this.values[i]! : prev + (n === 'cookie' ? '; ' : ', ') + this.values[i]!;
      }
      this.object = o;
    }
    return this.object;
  }
}
