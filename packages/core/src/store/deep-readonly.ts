/**
 * `T` with every property, array and nested object made read-only. Stores and handlers hand out the very
 * objects they hold (copying would double memory), so the type system is what keeps consumers from
 * mutating shared state. Functions, dates and `any` are left as they are.
 */
export type DeepReadonly<T> = 0 extends 1 & T
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends Date
      ? T
      : T extends ReadonlyArray<infer Element>
        ? ReadonlyArray<DeepReadonly<Element>>
        : T extends ReadonlyMap<infer Key, infer Value>
          ? ReadonlyMap<Key, DeepReadonly<Value>>
          : T extends ReadonlySet<infer Element>
            ? ReadonlySet<DeepReadonly<Element>>
            : T extends object
              ? { readonly [Property in keyof T]: DeepReadonly<T[Property]> }
              : T;

/** Marks an object the caller hands over (and will not mutate again) as shared and read-only. */
export function asReadonly<T>(object: T): DeepReadonly<T> {
  return object as unknown as DeepReadonly<T>;
}
