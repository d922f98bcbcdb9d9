const errorBrand = Symbol.for('kubeinformers.error');

/**
 * The base of every error kubeinformers produces. Each subclass has a stable literal `code` (`KI_…`) and a
 * `name`, keeps the underlying error as `cause`, and carries context fields of its own.
 *
 * `instanceof` works across duplicate copies of the package (two versions in one `node_modules` tree): it
 * compares a global brand and the `code`, not the prototype chain alone.
 */
export abstract class KubeInformersError extends Error {
  abstract override readonly name: string;
  abstract readonly code: `KI_${string}`;
  readonly [errorBrand] = true;

  // `this` in the static method below is the subclass being tested against, by design.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: see above.
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(errorBrand in value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: see above.
    if (this === KubeInformersError) return true;
    // biome-ignore lint/complexity/noThisInStatic: see above.
    const expected = (this as unknown as { readonly code?: unknown }).code;
    return expected !== undefined && (value as { code?: unknown }).code === expected;
  }
}
