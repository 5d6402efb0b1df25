/** A route match: the handler value and the path parameters. */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

const NO_PARAMS: Record<string, string> = Object.freeze(Object.create(null)) as Record<string, string>;

/**
 * Method + path lookup. Static paths are answered from one hash map per method.
 * (Parametric routes arrive with the radix tree.)
 */
export class Router<T> {
  private readonly byMethod = new Map<string, Map<string, Match<T>>>();

  add(method: string, path: string, value: T): void {
    if (path.charCodeAt(0) !== 47) throw new Error(`Route path must start with "/": "${path}"`);
    let table = this.byMethod.get(method);
    if (table === undefined) {
      table = new Map();
      this.byMethod.set(method, table);
    }
    if (table.has(path)) throw new Error(`Duplicate route ${method} ${path}`);
    table.set(path, { value, params: NO_PARAMS });
  }

  find(method: string, path: string): Match<T> | null {
    return this.byMethod.get(method)?.get(path) ?? null;
  }

  /** Methods that have a route for `path` (for 405 and OPTIONS). */
  allowed(path: string): string[] {
    const methods: string[] = [];
    for (const [method, table] of this.byMethod) if (table.has(path)) methods.push(method);
    return methods;
  }
}
