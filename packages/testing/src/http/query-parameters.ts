/**
 * A boolean query parameter read as the API server reads one (apimachinery's string-slice-to-bool
 * conversion): its first value is false when it is `0` or `false` in any case, true otherwise (`true`,
 * `1`, the Python client's `True`, even an empty value); an absent parameter is false.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return queryOptionalFlag(query, name) ?? false;
}

/** Like `queryFlag`, but `undefined` when the parameter is absent (Go's `*bool` options). */
export function queryOptionalFlag(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  return value !== '0' && value.toLowerCase() !== 'false';
}
