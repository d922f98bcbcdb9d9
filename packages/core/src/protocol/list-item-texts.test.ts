import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/seeded-random.js';
import { splitListItems } from './list-item-texts.js';

/** The parsed head with the parsed items put back (`undefined` when the text was not split). */
function rejoined(text: string): unknown {
  const split = splitListItems(text);
  if (split === undefined) return undefined;
  const head = JSON.parse(split.head) as { items?: unknown };
  if (!('items' in head)) {
    expect(split.items).toEqual([]);
    return head;
  }
  expect(head.items).toEqual([]);
  return { ...head, items: split.items.map((item) => JSON.parse(item)) };
}

/** `JSON.parse`, with `"items": null` read as no items (as a list page is). */
function parsedList(text: string): unknown {
  const parsed = JSON.parse(text) as { items?: unknown };
  return parsed.items === null ? { ...parsed, items: [] } : parsed;
}

const item = (name: string) =>
  `{"metadata":{"name":"${name}","labels":{"a":"}]\\"x"}},"spec":{"n":[1,2.5e3,{}]}}`;

describe('splitListItems', () => {
  it('cuts each item out and leaves the rest of the body as the head', () => {
    const text = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"c"},"items":[${item('a')},${item('b')}]}`;
    const split = splitListItems(text);
    expect(split?.items).toEqual([item('a'), item('b')]);
    expect(JSON.parse(split?.head ?? '')).toEqual({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7', continue: 'c' },
      items: [],
    });
    expect(rejoined(text)).toEqual(JSON.parse(text));
  });

  it('accepts whitespace anywhere JSON does, items before metadata, empty, null and absent items', () => {
    for (const text of [
      ` \n{ "items" : [ ${item('a')} ,\t${item('b')} ] , "metadata" : { "resourceVersion" : "1" } }\r\n`,
      '{"metadata":{"resourceVersion":"1"},"items":[]}',
      '{"metadata":{"resourceVersion":"1"},"items":null}',
      '{"metadata":{"resourceVersion":"1"}}',
      '{}',
      `{"\\u0069tems":[${item('escaped')}]}`,
    ]) {
      expect(rejoined(text), text).toEqual(parsedList(text));
    }
  });

  it('gives up on what it cannot prove, so that the caller parses the body whole', () => {
    for (const text of [
      '',
      '[]',
      '{"items":[1]}',
      '{"items":{}}',
      '{"items":[{}],"items":[{}]}',
      `{"items":[${item('a')} ${item('b')}]}`,
      `{"items":[${item('a')},]}`,
      '{"items":[{"a":}]}',
      '{"items":[]} x',
      '{"items":[]},',
      '{"metadata":{"resourceVersion":"1"},}',
      '{"items":[{"a":"\u0001"}]}',
    ]) {
      expect(splitListItems(text), text).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on random lists and their corruptions (seeded)', () => {
    const seed = 20_261_207;
    const random = seededRandom(seed);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth > 3 || roll < 0.4) return pick([0, -1.5e-3, 'x', 'q"u\\o\nte', true, null, '}]']);
      if (roll < 0.7) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 3) }, (_, index) => [`k${index}`, value(depth + 1)]),
      );
    };
    let splits = 0;
    for (let round = 0; round < 500; round++) {
      const items = Array.from({ length: Math.floor(random() * 4) }, (_, index) => ({
        metadata: { name: `n${index}` },
        spec: value(0),
      }));
      let text = JSON.stringify({ metadata: { resourceVersion: '1' }, items }, null, random() < 0.3 ? 1 : 0);
      if (random() < 0.5) {
        const at = Math.floor(random() * text.length);
        text = text.slice(0, at) + pick(['', ',', '}', ']', '"', ' ', 'x']) + text.slice(at + 1);
      }
      let expected: unknown;
      try {
        expected = parsedList(text);
      } catch {
        expect(splitListItems(text), `seed ${seed} round ${round}: ${text}`).toBeUndefined();
        continue;
      }
      const split = rejoined(text);
      // Undefined is allowed (the caller parses whole); a split must be exact.
      if (split !== undefined) expect(split, `seed ${seed} round ${round}: ${text}`).toEqual(expected);
      if (split !== undefined) splits++;
    }
    expect(splits).toBeGreaterThan(200);
  });
});
