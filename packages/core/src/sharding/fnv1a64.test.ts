import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/seeded-random.js';
import { fnv1a64 } from './fnv1a64.js';

// The plain definition, one bigint multiply per byte, to check the two-halves arithmetic against.
function referenceFnv1a64(value: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(value)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

describe('fnv1a64', () => {
  // Computed independently with python3 (hash = (hash ^ byte) * 0x100000001b3 mod 2^64 over str.encode('utf-8'));
  // "", "a" and "foobar" are also the FNV authors' published test vectors.
  it.each([
    ['', 0xcbf29ce484222325n],
    ['a', 0xaf63dc4c8601ec8cn],
    ['abc', 0xe71fa2190541574bn],
    ['foobar', 0x85944171f73967e8n],
    ['test-uid-12345', 0xd4c53b72f9287c28n],
    ['aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 0x93754b7248a00eb9n],
    ['kube-system', 0xdf65c7bc1d82b35en],
    ['default', 0xebada5168620c5fen],
    ['héllo wörld', 0x11824ab841812022n],
    ['日本語', 0xee9ee2b5c854ef87n],
    ['😀 emoji', 0x81024d2e7744aaa6n],
    ['\ufffd', 0x6f6d661b9658624an],
  ])('hashes %j to the value the API server computes', (value, expected) => {
    expect(fnv1a64(value)).toBe(expected);
  });

  it('hashes a lone surrogate as U+FFFD, as TextEncoder and Go do', () => {
    expect(fnv1a64('\ud800')).toBe(fnv1a64('\ufffd'));
    expect(fnv1a64('a\udc00b')).toBe(fnv1a64('a\ufffdb'));
  });

  it('agrees with the bigint definition on random strings of every UTF-8 length (seed printed on failure)', () => {
    const seed = 20_261_207;
    const random = seededRandom(seed);
    const alphabet = [
      'a',
      'Z',
      '-',
      '0',
      'é',
      'ß',
      'ऄ',
      '日',
      '\uffff',
      '😀',
      '\ud83d',
      '\udca9',
      '\u007f',
      '\u0080',
    ];
    for (let round = 0; round < 2000; round++) {
      let value = '';
      const length = Math.floor(random() * 40);
      for (let index = 0; index < length; index++) value += alphabet[Math.floor(random() * alphabet.length)];
      if (fnv1a64(value) !== referenceFnv1a64(value)) {
        throw new Error(`fnv1a64 disagrees for ${JSON.stringify(value)} (seed ${seed}, round ${round})`);
      }
    }
  });
});
