import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test-support/seeded-random.js';
import { type PruneShape, pruneManagedFields } from './prune-managed-fields.js';

/** What pruning must equal: parse, then delete `metadata.managedFields` from each object. */
function parseThenDelete(text: string, shape: PruneShape): unknown {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const objects = shape === 'list' ? parsed.items : [parsed.object];
  if (Array.isArray(objects)) {
    for (const object of objects) {
      if (typeof object !== 'object' || object === null || Array.isArray(object)) continue;
      const metadata = (object as { metadata?: unknown }).metadata;
      if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)) {
        delete (metadata as { managedFields?: unknown }).managedFields;
      }
    }
  }
  return parsed;
}

function outcome(text: string): { value: unknown } | { error: true } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: true };
  }
}

const pod = (managedFields: string) =>
  `{"metadata":{"name":"web","namespace":"default","managedFields":${managedFields},"uid":"1"},"spec":{}}`;

describe('pruneManagedFields, examples', () => {
  it('cuts the member from each list item and keeps the list metadata', () => {
    const text = `{"kind":"PodList","metadata":{"resourceVersion":"7","managedFields":[1]},"items":[${pod('[{"manager":"kubelet"}]')},${pod('[]')}]}`;
    const pruned = pruneManagedFields(text, 'list');
    expect(pruned).not.toContain('kubelet');
    expect(JSON.parse(pruned as string)).toEqual(parseThenDelete(text, 'list'));
    // The list's own metadata is not an item's: its member stays.
    expect(JSON.parse(pruned as string).metadata.managedFields).toEqual([1]);
  });

  it('cuts first, middle, last, only and repeated members with their commas', () => {
    const cases = [
      '{"managedFields":[],"name":"a"}',
      '{"name":"a","managedFields":[],"uid":"u"}',
      '{"name":"a","managedFields":[]}',
      '{"managedFields":[]}',
      '{ "managedFields" : [ ] , "managedFields" : null , "name" : "a" }',
      '{"name":"a","managedFields":1,"managedFields":{"x":"}"}}',
      '{"managedFields":"a","name":"n","managedFields":"b","uid":"u","managedFields":"c"}',
    ];
    for (const metadata of cases) {
      const text = `{"type":"MODIFIED","object":{"metadata":${metadata}}}`;
      const pruned = pruneManagedFields(text, 'watchEvent');
      expect(pruned, metadata).not.toContain('managedFields');
      expect(JSON.parse(pruned as string), metadata).toEqual(parseThenDelete(text, 'watchEvent'));
    }
  });

  it('keeps the key everywhere else: strings, annotations, data, spec, nested objects', () => {
    const object = {
      metadata: {
        name: 'a',
        annotations: { managedFields: '"managedFields":[]', 'x\\"managedFields': 'y' },
        labels: { a: '\\' },
        nested: { managedFields: [1] },
      },
      data: { 'config.json': '{"metadata":{"managedFields":[]}}' },
      spec: { metadata: { managedFields: [2] }, managedFields: [3] },
    };
    const text = JSON.stringify({ type: 'ADDED', object });
    expect(pruneManagedFields(text, 'watchEvent')).toBe(text);
  });

  it('understands keys written with escapes', () => {
    const text = '{"type":"ADDED","obj\\u0065ct":{"m\\u0065tadata":{"name":"a","managed\\u0046ields":[1]}}}';
    expect(JSON.parse(pruneManagedFields(text, 'watchEvent') as string)).toEqual({
      type: 'ADDED',
      object: { metadata: { name: 'a' } },
    });
  });

  it('returns the text itself when there is nothing to cut', () => {
    const text = '{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[]}';
    expect(pruneManagedFields(text, 'list')).toBe(text);
  });

  it('never turns malformed text into valid JSON', () => {
    const malformed = [
      pod('[}'),
      pod('[1,]'),
      pod('"\u0001"'),
      pod('"\\x"'),
      pod('01'),
      pod('tru'),
      pod('[1]\u000c'),
      '{"metadata":{"managedFields":[] "name":"a"}}',
      '{"metadata":{"name":"a",,"managedFields":[]}}',
      '{"metadata":{"managedFields":[],}}',
      '{"metadata":{"managedFields":[]}',
      '{"metadata":{"managedFields":[]}}}',
      '{"metadata":{"managedFields":[]}}x',
      '\ufeff{"metadata":{"managedFields":[]}}',
      '{"metadata":{"managedFields"\u00a0:[]}}',
    ];
    for (const object of malformed) {
      for (const [shape, text] of [
        ['list', `{"items":[${object}]}`],
        ['watchEvent', `{"type":"ADDED","object":${object}}`],
      ] as const) {
        expect(() => JSON.parse(text), text).toThrow();
        const pruned = pruneManagedFields(text, shape);
        if (pruned !== undefined) expect(() => JSON.parse(pruned), text).toThrow();
      }
    }
  });
});

/**
 * Writes adversarial JSON text directly (not through `JSON.stringify`), so it can hold what a
 * serializer never emits: duplicate keys, escaped key letters, every whitespace character.
 */
class AdversarialJson {
  constructor(private readonly random: () => number) {}

  pick<T>(choices: readonly T[]): T {
    return choices[Math.floor(this.random() * choices.length)] as T;
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  whitespace(): string {
    if (this.chance(0.6)) return '';
    let text = '';
    const count = 1 + Math.floor(this.random() * 3);
    for (let index = 0; index < count; index++) text += this.pick([' ', '\t', '\n', '\r']);
    return text;
  }

  /** A string literal; characters are sometimes written as `\u` escapes. */
  string(content: string): string {
    let text = '"';
    for (const character of content) {
      const code = character.codePointAt(0) as number;
      if (character === '"' || character === '\\') text += `\\${character}`;
      else if (code < 0x20) text += this.pick(['\\n', '\\t', `\\u${code.toString(16).padStart(4, '0')}`]);
      else if (code < 0x10000 && this.chance(0.05)) text += `\\u${code.toString(16).padStart(4, '0')}`;
      else text += character;
    }
    return `${text}"`;
  }

  stringContent(): string {
    return this.pick([
      'managedFields',
      '"managedFields":[]',
      '{"metadata":{"managedFields":[1]}}',
      'a\\"b',
      '\\',
      '\\\\"',
      '"',
      'é中',
      '😀 x 🚀',
      '\ud800',
      '\u2028\u2029',
      '\u0000\u001f',
      '\u00a0\ufeff',
      '',
      'plain',
      '}]},{',
    ]);
  }

  key(name: string): string {
    return this.string(name);
  }

  scalar(): string {
    return this.pick([
      () => this.string(this.stringContent()),
      () => this.pick(['0', '-1', '3.25', '1e3', '-0.5E-2', '12345678901234567890']),
      () => this.pick(['true', 'false', 'null']),
    ])();
  }

  value(depth: number): string {
    if (depth > 4 || this.chance(0.4)) return this.scalar();
    if (this.chance(0.5)) {
      const count = Math.floor(this.random() * 4);
      return this.array(Array.from({ length: count }, () => this.value(depth + 1)));
    }
    const names = ['managedFields', 'metadata', 'items', 'object', 'f:metadata', 'name', ''];
    const count = Math.floor(this.random() * 4);
    return this.object(
      Array.from({ length: count }, () => [this.pick(names), this.value(depth + 1)] as const),
    );
  }

  array(elements: readonly string[]): string {
    if (elements.length === 0) return `[${this.whitespace()}]`;
    return `[${elements.map((element) => `${this.whitespace()}${element}${this.whitespace()}`).join(',')}]`;
  }

  object(members: ReadonlyArray<readonly [string, string]>): string {
    if (members.length === 0) return `{${this.whitespace()}}`;
    const written = members.map(
      ([name, value]) =>
        `${this.whitespace()}${this.key(name)}${this.whitespace()}:${this.whitespace()}${value}${this.whitespace()}`,
    );
    return `{${written.join(',')}}`;
  }

  managedFields(): string {
    return this.pick([
      () => '[]',
      () => 'null',
      () => this.scalar(),
      () =>
        this.array(
          Array.from({ length: 1 + Math.floor(this.random() * 3) }, () =>
            this.object([
              ['manager', this.string(this.pick(['kubelet', 'kube-controller-manager', 'e"vil\\']))],
              ['operation', this.string('Update')],
              ['fieldsV1', this.value(1)],
            ]),
          ),
        ),
    ])();
  }

  metadata(): string {
    const members: Array<readonly [string, string]> = [
      ['name', this.string(this.stringContent() || 'name')],
      ['annotations', this.object([[this.pick(['managedFields', 'a']), this.string(this.stringContent())]])],
      ['labels', this.value(2)],
    ];
    const copies = this.pick([0, 1, 1, 1, 2, 3]);
    for (let copy = 0; copy < copies; copy++) {
      members.splice(Math.floor(this.random() * (members.length + 1)), 0, [
        'managedFields',
        this.managedFields(),
      ]);
    }
    return this.object(members);
  }

  kubeObject(): string {
    if (this.chance(0.05)) return this.scalar();
    const members: Array<readonly [string, string]> = [
      ['apiVersion', this.string('v1')],
      ['metadata', this.chance(0.9) ? this.metadata() : this.value(1)],
      [
        'spec',
        this.object([
          ['managedFields', this.managedFields()],
          ['metadata', this.metadata()],
        ]),
      ],
      ['data', this.object([['managedFields', this.string(this.stringContent())]])],
    ];
    if (this.chance(0.2)) members.push(['metadata', this.metadata()]);
    if (this.chance(0.1)) members.push(['managedFields', this.managedFields()]);
    return this.object(this.shuffle(members));
  }

  list(): string {
    const items = Array.from({ length: Math.floor(this.random() * 5) }, () => this.kubeObject());
    const members: Array<readonly [string, string]> = [
      ['kind', this.string('PodList')],
      [
        'metadata',
        this.object([
          ['resourceVersion', this.string('9')],
          ['managedFields', '[1]'],
        ]),
      ],
      ['items', this.chance(0.9) ? this.array(items) : this.value(1)],
    ];
    if (this.chance(0.1)) members.push(['items', this.array([this.kubeObject()])]);
    return `${this.whitespace()}${this.object(this.shuffle(members))}${this.whitespace()}`;
  }

  watchEvent(): string {
    const members: Array<readonly [string, string]> = [
      ['type', this.string(this.pick(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']))],
      ['object', this.kubeObject()],
    ];
    if (this.chance(0.1)) members.push(['object', this.kubeObject()]);
    if (this.chance(0.1)) members.push(['metadata', this.metadata()]);
    return `${this.whitespace()}${this.object(this.shuffle(members))}${this.whitespace()}`;
  }

  /** One random edit: a character deleted, inserted (structural or odd whitespace) or replaced. */
  mutate(text: string): string {
    const position = Math.floor(this.random() * text.length);
    const inserted = this.pick([
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      ' ',
      '\f',
      '\v',
      '\u00a0',
      'x',
      '0',
    ]);
    const edit = this.pick(['delete', 'insert', 'replace', 'truncate']);
    if (edit === 'delete') return text.slice(0, position) + text.slice(position + 1);
    if (edit === 'insert') return text.slice(0, position) + inserted + text.slice(position);
    if (edit === 'replace') return text.slice(0, position) + inserted + text.slice(position + 1);
    return text.slice(0, position);
  }

  private shuffle<T>(entries: T[]): T[] {
    for (let index = entries.length - 1; index > 0; index--) {
      const other = Math.floor(this.random() * (index + 1));
      [entries[index], entries[other]] = [entries[other] as T, entries[index] as T];
    }
    return entries;
  }
}

/** Deep equality; the cheap comparison first (same key order), the thorough one only to explain a miss. */
function expectSameValue(actual: unknown, expected: unknown, message: () => string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, message()).toStrictEqual(expected);
}

const seeds = [1, 2, 3, 42, 1337, 20_261_130];
const documentsPerSeed = 1000;

describe('pruneManagedFields, randomized against parse-then-delete', () => {
  it.each(seeds)('equals parse-then-delete on valid and malformed text (seed %i)', (seed) => {
    const generate = new AdversarialJson(seededRandom(seed));
    const failure = (kind: string, text: string) =>
      `seed ${seed} (replay with seeds = [${seed}]): ${kind}: ${JSON.stringify(text)}`;
    let cut = 0;
    let malformed = 0;
    for (let index = 0; index < documentsPerSeed; index++) {
      const shape: PruneShape = generate.chance(0.5) ? 'list' : 'watchEvent';
      const text = shape === 'list' ? generate.list() : generate.watchEvent();
      const pruned = pruneManagedFields(text, shape);
      // Valid text is always within the scanner's reach: it must never need the fallback.
      if (pruned === undefined) expect.fail(failure('gave up on valid text', text));
      expectSameValue(JSON.parse(pruned), parseThenDelete(text, shape), () => failure('differs', text));
      if (pruned !== text) cut++;

      const mutated = generate.mutate(text);
      const original = outcome(mutated);
      const prunedMutated = pruneManagedFields(mutated, shape);
      if ('error' in original) {
        malformed++;
        if (prunedMutated !== undefined && !('error' in outcome(prunedMutated))) {
          expect.fail(failure('made malformed text valid', mutated));
        }
      } else if (prunedMutated !== undefined) {
        expectSameValue(JSON.parse(prunedMutated), parseThenDelete(mutated, shape), () =>
          failure('differs after an edit', mutated),
        );
      }
    }
    // The generator must exercise both sides, or the test proves nothing.
    expect(cut).toBeGreaterThan(documentsPerSeed / 3);
    expect(malformed).toBeGreaterThan(documentsPerSeed / 3);
  });
});
