/**
 * The methods of a class and of its ancestors, each name once (a subclass's override wins), in
 * declaration order from the class itself up. What method decorators are looked up on: route
 * methods of controllers here, event handlers of WebSocket gateways in @armature/websocket.
 */
export function methodsOf(cls: Function): Array<{ key: string | symbol; fn: Function }> {
  const found: Array<{ key: string | symbol; fn: Function }> = [];
  const seen = new Set<string | symbol>();
  for (let proto = cls.prototype; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const fn = Object.getOwnPropertyDescriptor(proto, key)?.value;
      if (typeof fn === 'function') found.push({ key, fn });
    }
  }
  return found;
}
