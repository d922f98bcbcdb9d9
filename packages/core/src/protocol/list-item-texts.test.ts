import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/seeded-random.js';
import { pruneListItems, splitListItems } from './list-item-texts.js';
import { deleteManagedFields } from './prune-managed-fields.js';

/**
 * The parsed head with the parsed items put back, as the caller builds it: `undefined` when the text
 * was not split, `'invalid'` when the head or an item does not parse (the caller then reports the body).
 */
function rejoined(text: string, cut = splitListItems): unknown {
  const split = cut(text);
  if (split === undefined) return undefined;
  let head: { items?: unknown };
  let items: unknown[];
  try {
    head = JSON.parse(split.head) as { items?: unknown };
    items = split.items.map((item) => JSON.parse(item));
  } catch {
    return 'invalid';
  }
  if (!('items' in head)) {
    expect(split.items).toEqual([]);
    return head;
  }
  expect(head.items).toEqual([]);
  return { ...head, items };
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

  it('gives up on a skeleton it cannot read, so that the caller parses the body whole', () => {
    for (const text of [
      '',
      '[]',
      '{"items":[1]}',
      '{"items":{}}',
      '{"items":[{}],"items":[{}]}',
      `{"items":[${item('a')} ${item('b')}]}`,
      `{"items":[${item('a')},]}`,
      '{"items":[{"a":"unterminated}]}',
      '{"items":[]} x',
      '{"items":[]},',
      '{"metadata":{"resourceVersion":"1"},}',
    ]) {
      expect(splitListItems(text), text).toBeUndefined();
    }
  });

  it('cuts a malformed item whole, so that its own parse fails', () => {
    for (const text of ['{"items":[{"a":}]}', '{"items":[{"a":"\u0001"}]}', '{"items":[{"a":[}]]}']) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(rejoined(text), text).toBe('invalid');
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
        // Not JSON: either not split, or a piece that does not parse either.
        expect([undefined, 'invalid'], `seed ${seed} round ${round}: ${text}`).toContain(rejoined(text));
        continue;
      }
      const split = rejoined(text);
      // Undefined is allowed (the caller parses whole); a split must be exact.
      if (split !== undefined) expect(split, `seed ${seed} round ${round}: ${text}`).toEqual(expected);
      if (split !== undefined) splits++;
    }
    expect(splits).toBeGreaterThan(200);
  });

  it('prunes and cuts in one walk (pruneListItems): exact on random lists with managedFields, never wrong on corruptions (seeded)', () => {
    const seed = 20_261_208;
    const random = seededRandom(seed);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
    const managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }];
    let exact = 0;
    for (let round = 0; round < 500; round++) {
      const items = Array.from({ length: Math.floor(random() * 4) }, (_, index) => {
        const members: [string, unknown][] = [
          ['name', `n${index}`],
          ['labels', { managedFields: 'kept: not the metadata member' }],
        ];
        if (random() < 0.7) members.splice(Math.floor(random() * 3), 0, ['managedFields', managedFields]);
        return {
          metadata: Object.fromEntries(members),
          spec: { managedFields: [1], s: pick(['}]', 'x"y']) },
        };
      });
      let text = JSON.stringify({ metadata: { resourceVersion: '1' }, items }, null, random() < 0.3 ? 1 : 0);
      if (random() < 0.2) text = text.replace('"managedFields":[{', '"managed\\u0046ields":[{');
      if (random() < 0.5) {
        const at = Math.floor(random() * text.length);
        text = text.slice(0, at) + pick(['', ',', '}', ']', '"', ' ', 'x']) + text.slice(at + 1);
      }
      let expected: { items?: unknown[] };
      try {
        expected = JSON.parse(text) as { items?: unknown[] };
      } catch {
        expect([undefined, 'invalid'], `seed ${seed} round ${round}: ${text}`).toContain(
          rejoined(text, pruneListItems),
        );
        continue;
      }
      for (const item of expected.items ?? []) deleteManagedFields(item);
      const split = rejoined(text, pruneListItems);
      if (split !== undefined) {
        expect(split, `seed ${seed} round ${round}: ${text}`).toEqual(expected);
        exact++;
      }
    }
    expect(exact).toBeGreaterThan(200);
  });
});
