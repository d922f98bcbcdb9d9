/**
 * A v4-UUID-shaped uid, unique per counter and deterministic. Shaped like the API server's random ones so
 * that shard hashes spread as on a cluster: uids that differ only in their last characters (`uid-1`,
 * `uid-2`…) barely differ in the high bits of their FNV-1a hash, which the shard ranges split on.
 */
export function uidFor(counter: number): string {
  let state = counter;
  let hex = '';
  for (let round = 0; round < 4; round++) {
    // Each step is a bijection of 32-bit numbers, so the first block alone is unique per counter.
    state = (Math.imul(state ^ (state >>> 16), 0x45d9f3b) + 0x9e3779b9) | 0;
    hex += (state >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
