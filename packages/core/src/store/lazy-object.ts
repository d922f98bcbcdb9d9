/**
 * A read-only stand-in for an object that is parsed only when first looked at: property reads, `in`,
 * `Object.keys`, spreading and `JSON.stringify` all see the object (parsed once, then kept by the
 * stand-in). Writes throw in strict mode (objects an informer hands out are shared and read-only).
 *
 * Why: an update hands a handler the old object as well as the new one, and most handlers never read
 * the old one; in a compact store it exists only as text, so parsing it for every update would cost
 * what the compact store saves. The stand-in costs a small allocation; a handler that reads it pays one
 * `JSON.parse` of the old text, on first access. Not supported: `structuredClone` of the stand-in (a
 * proxy cannot be cloned; clone `{ ...oldObject }` or `JSON.parse(JSON.stringify(oldObject))` instead).
 */
export function lazyObject<T extends object>(materialize: () => T): T {
  let value: T | undefined;
  const target = (): T => {
    value ??= materialize();
    return value;
  };
  return new Proxy({} as T, {
    get: (_, property) => Reflect.get(target(), property),
    has: (_, property) => Reflect.has(target(), property),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, property) => Reflect.getOwnPropertyDescriptor(target(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    setPrototypeOf: () => false,
  });
}
