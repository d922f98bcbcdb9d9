import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/seeded-random.js';
import { maxJsonDepth, strictJsonValueEnd } from './json-value-end.js';

/** Whether `text` is exactly one JSON value (surrounding whitespace allowed), by the validator. */
function validByScanner(text: string): boolean {
  const end = strictJsonValueEnd(text, 0);
  return end >= 0 && /^[ \t\n\r]*$/.test(text.slice(end));
}

function validByParse(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('strictJsonValueEnd', () => {
  it('finds the end of each kind of value, leaving what follows', () => {
    const values = ['"a\\"b\\u00e9"', '-0.5e+3', '0', 'true', 'false', 'null', '{ "a" : [ 1 , {} ] }', '[]'];
    for (const value of values)
      expect(strictJsonValueEnd(` ${value},"next"`, 0), value).toBe(value.length + 1);
  });

  it('refuses what JSON.parse refuses', () => {
    const invalid = [
      '01',
      '1.',
      '.5',
      '-',
      '1e',
      '+1',
      'tru',
      'nul',
      '"\u0001"',
      '"\\x"',
      '"\\u12g4"',
      '"open',
    ];
    const structural = [
      '[1,]',
      '{"a":1,}',
      '{"a" 1}',
      '{a:1}',
      '[1 2]',
      '{"a":1]',
      '[}',
      '{,}',
      '\u000c1',
      '\u00a01',
    ];
    for (const text of [...invalid, ...structural]) {
      expect(validByParse(text), text).toBe(false);
      expect(validByScanner(text), text).toBe(false);
    }
  });

  it('gives up past its nesting depth rather than overflow', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    expect(strictJsonValueEnd(nested(maxJsonDepth), 0)).toBe(2 * maxJsonDepth + 1);
    expect(strictJsonValueEnd(nested(maxJsonDepth + 1), 0)).toBe(-1);
  });

  const seeds = [7, 99, 20_261_130];
  it.each(seeds)('agrees with JSON.parse on random values and single-character edits (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)] as T;
    const value = (depth: number): unknown => {
      const kind = depth > 4 ? Math.floor(random() * 4) : Math.floor(random() * 6);
      if (kind === 0) return pick(['', 'f:app', 'quote"back\\slash', 'tab\tline\nü😀', '\u0000\u001f']);
      if (kind === 1) return pick([0, -1, 1.5, -2e-7, 1e21, 123456789]);
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return {};
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [
          pick(['f:spec', '.', 'k:{"x"}', 'a']),
          value(depth + 1),
        ]),
      );
    };
    const edits = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      '\\',
      'u',
      '0',
      '-',
      '.',
      'e',
      't',
      ' ',
      '\n',
      '\u000c',
      'x',
    ];
    let invalid = 0;
    for (let index = 0; index < 2000; index++) {
      let text = JSON.stringify(value(0), undefined, random() < 0.3 ? 1 : undefined);
      if (random() < 0.7) {
        const at = Math.floor(random() * (text.length + 1));
        const operation = Math.floor(random() * 3);
        const edit = pick(edits);
        if (operation === 0) text = text.slice(0, at) + text.slice(at + 1);
        else if (operation === 1) text = text.slice(0, at) + edit + text.slice(at);
        else text = text.slice(0, at) + edit + text.slice(at + 1);
      }
      const expected = validByParse(text);
      if (!expected) invalid++;
      expect(validByScanner(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(expected);
    }
    // Both sides must be exercised, or the comparison proves little.
    expect(invalid).toBeGreaterThan(300);
    expect(invalid).toBeLessThan(1700);
  });
});
