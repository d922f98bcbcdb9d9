/**
 * The 64-bit FNV-1a hash of a string's UTF-8 bytes, as the API server computes it for `shardSelector`
 * (apimachinery's `sharding.HashField`: Go's `hash/fnv` New64a over `[]byte(value)`). Lone surrogates are
 * hashed as U+FFFD, as `TextEncoder` and Go's JSON decoder turn them into it.
 *
 * The arithmetic runs on two 32-bit halves in plain numbers and makes a single `bigint` at the end: a
 * `bigint` multiply per byte costs about ten times as much, and the client-side fallback hashes every object
 * it receives.
 */
export function fnv1a64(value: string): bigint {
  hashHalves(value);
  return (BigInt(high) << 32n) | BigInt(low);
}

// The FNV-1a 64 offset basis 0xcbf29ce484222325 and prime 0x100000001b3 = 2^40 + 0x1b3 (published constants).
const offsetHigh = 0xcbf29ce4;
const offsetLow = 0x84222325;
const primeLow = 0x1b3;

// The state of the hash being computed: the hash is synchronous, and module state keeps it free of allocations.
let high = 0;
let low = 0;

function mix(byte: number): void {
  low = (low ^ byte) >>> 0;
  // (high·2^32 + low) · (2^40 + 0x1b3) mod 2^64: low·0x1b3 fits in 41 bits, so it is exact in a double;
  // its carry and low·2^40 (low shifted by 8 into the high half) go to the high half.
  const lowProduct = low * primeLow;
  const carry = Math.floor(lowProduct / 0x1_0000_0000);
  high = (Math.imul(high, primeLow) + carry + (low << 8)) >>> 0;
  low = lowProduct >>> 0;
}

function hashHalves(value: string): void {
  high = offsetHigh;
  low = offsetLow;
  for (let index = 0; index < value.length; index++) {
    let code = value.charCodeAt(index);
    if (code < 0x80) {
      mix(code);
      continue;
    }
    if (code < 0x800) {
      mix(0xc0 | (code >> 6));
      mix(0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(index + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index++;
        mix(0xf0 | (code >> 18));
        mix(0x80 | ((code >> 12) & 0x3f));
        mix(0x80 | ((code >> 6) & 0x3f));
        mix(0x80 | (code & 0x3f));
        continue;
      }
      code = 0xfffd;
    }
    mix(0xe0 | (code >> 12));
    mix(0x80 | ((code >> 6) & 0x3f));
    mix(0x80 | (code & 0x3f));
  }
}
