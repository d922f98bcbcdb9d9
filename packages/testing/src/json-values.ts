/**
 * Structural equality of JSON values. Shared subtrees (a patch copies only the path it changes) compare
 * by identity first, so comparing a large object with a slightly patched copy is cheap.
 */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index += 1)
      if (!jsonEqual(left[index], right[index])) return false;
    return true;
  }
  if (Array.isArray(right)) return false;
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  let leftCount = 0;
  for (const key in leftRecord) {
    if (leftRecord[key] === undefined) continue;
    leftCount += 1;
    if (!jsonEqual(leftRecord[key], rightRecord[key])) return false;
  }
  let rightCount = 0;
  for (const key in rightRecord) if (rightRecord[key] !== undefined) rightCount += 1;
  return leftCount === rightCount;
}

/** A deep copy of a JSON value; several times faster than `structuredClone` for plain JSON data. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) copy[key] = cloneJson(entry);
  }
  return copy as T;
}
