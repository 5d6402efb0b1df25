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
  private readonly byMethod = new Map<string, Map<string, T>>();

  add(method: string, path: string, value: T): void {
    if (path.charCodeAt(0) !== 47) throw new Error(`Route path must start with "/": "${path}"`);
    let table = this.byMethod.get(method);
    if (table === undefined) {
      table = new Map();
      this.byMethod.set(method, table);
    }
    if (table.has(path)) throw new Error(`Duplicate route ${method} ${path}`);
    table.set(path, value);
  }

  find(method: string, path: string): Match<T> | null {
    const value = this.byMethod.get(method)?.get(path);
    return value === undefined ? null : { value, params: NO_PARAMS };
  }

  /** Methods that have a route for `path` (for 405 and OPTIONS). */
  allowed(path: string): string[] {
    const methods: string[] = [];
    for (const [method, table] of this.byMethod) if (table.has(path)) methods.push(method);
    return methods;
  }
}
