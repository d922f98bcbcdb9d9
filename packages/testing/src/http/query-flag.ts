/**
 * A boolean query parameter as the API server reads it (apimachinery's `Convert_Slice_string_To_bool`):
 * absent is `undefined`; `0` and `false` in any case are false; any other value, the empty one
 * included, is true — so the Python client's `watch=True` opens a watch.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  return value !== '0' && value.toLowerCase() !== 'false';
}
