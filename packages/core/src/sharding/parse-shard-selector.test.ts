import { describe, expect, it } from 'vitest';
import { ShardSelectorError } from '../errors/shard-selector-error.js';
import { parseShardSelector } from './parse-shard-selector.js';
import { formatShardSelector } from './shard-selector.js';

const uid = 'object.metadata.uid';
const half = 0x8000000000000000n;
const end = 1n << 64n;

function reasonFor(text: string): string {
  try {
    parseShardSelector(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ShardSelectorError);
    expect(error).toMatchObject({
      code: 'KI_INVALID_SHARD_SELECTOR',
      name: 'ShardSelectorError',
      selector: text,
    });
    return (error as ShardSelectorError).reason;
  }
  throw new Error(`parsed ${JSON.stringify(text)} that the API server refuses`);
}

describe('parseShardSelector', () => {
  // The accepted inputs of k8s.io/apiserver's sharding parser tests.
  it.each([
    ["shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000')", uid, [[0n, half]]],
    ["shardRange(object.metadata.uid, '0x0000000000000000', '0x10000000000000000')", uid, [[0n, end]]],
    [
      "shardRange(object.metadata.namespace, '0x00000000000000aa', '0x00000000000000ff')",
      'object.metadata.namespace',
      [[0xaan, 0xffn]],
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000') || shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')",
      uid,
      [
        [0n, half],
        [half, end],
      ],
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x0000000000000005') || shardRange(object.metadata.uid, '0x0000000000000005', '0x000000000000000a') || shardRange(object.metadata.uid, '0x000000000000000a', '0x000000000000000f')",
      uid,
      [
        [0n, 5n],
        [5n, 10n],
        [10n, 15n],
      ],
    ],
    ["shardRange(object.metadata.uid,'0x0000000000000000','0x8000000000000000')", uid, [[0n, half]]],
    [
      "  shardRange( object.metadata.uid ,  '0x0000000000000000' ,  '0x8000000000000000' )  ",
      uid,
      [[0n, half]],
    ],
    // General CEL syntax the server's cel-go parser takes too: double quotes, raw strings, escapes,
    // parentheses, newlines, comments and spaces around the dots.
    ['shardRange(object.metadata.uid, "0x0000000000000000", r\'0x8000000000000000\')', uid, [[0n, half]]],
    ["shardRange(object.metadata.uid, '\\x30x0000000000000000', '0x8000000000000000')", uid, [[0n, half]]],
    [
      "(shardRange(object . metadata . uid, '0x0000000000000000', '0x8000000000000000')) ||\n // rest\n (shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000'))",
      uid,
      [
        [0n, half],
        [half, end],
      ],
    ],
  ])('accepts %j', (text, field, ranges) => {
    const selector = parseShardSelector(text);
    expect(selector.field).toBe(field);
    expect(selector.ranges.map(({ start, end }) => [start, end])).toEqual(ranges);
  });

  // The refused inputs of the same tests, with the server's wording.
  it.each([
    ['', 'empty shard selector is not allowed; omit the parameter for unfiltered lists'],
    ['   ', 'empty shard selector is not allowed; omit the parameter for unfiltered lists'],
    [
      "shardRange(object.metadata.uid, '0000000000000000', '0x8000000000000000')",
      `hexStart must have '0x' prefix, got "0000000000000000"`,
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '8000000000000000')",
      `hexEnd must have '0x' prefix, got "8000000000000000"`,
    ],
    [
      "shardRange(object.metadata.uid, '0x', '0x8000000000000000')",
      "hexStart: hex value is required after '0x'",
    ],
    [
      "shardRange(object.metadata.name, '0x00', '0x80')",
      'unsupported field path "object.metadata.name"; supported: object.metadata.uid, object.metadata.namespace',
    ],
    [
      "shardRange(metadata.uid, '0x00', '0x80')",
      'unsupported field path "metadata.uid"; supported: object.metadata.uid, object.metadata.namespace',
    ],
    [
      "invalidFunc(object.metadata.uid, '0x00', '0x80')",
      'unsupported function "invalidFunc"; only shardRange() and || are allowed',
    ],
    [
      "shardRange(object.metadata.uid, '0x000000000000000000', '0x80')",
      'hexStart: hex value too long (18 chars, max 17): "000000000000000000"',
    ],
    ["shardRange(object.metadata.uid, '0x0g', '0x80')", 'hexStart: invalid hex character "g" in "0x0g"'],
    [
      "shardRange(object.metadata.uid, '0xABCDEF0000000000', '0x10000000000000000')",
      'hexStart: invalid hex character "A" in "0xABCDEF0000000000"',
    ],
    [
      "shardRange(object.metadata.uid, '0x0', '0x8') && shardRange(object.metadata.uid, '0x8', '0xf')",
      'unsupported function "_&&_"; only shardRange() and || are allowed',
    ],
    ['shardRange(object.metadata.uid, 0, 8)', 'hexStart must be a string literal, got int64'],
    [
      "shardRange(object.metadata.uid, b'0x0000000000000000', '0x8')",
      'hexStart must be a string literal, got []uint8',
    ],
    ["object.metadata.uid > '0x0'", 'unsupported function "_>_"; only shardRange() and || are allowed'],
    ["shardRange(object.metadata.uid, '0x0')", 'shardRange() requires exactly 3 arguments, got 2'],
    [
      "shardRange(object.metadata.uid, hex(0), '0x8')",
      "hexStart must be a string literal (e.g. '0xff'), got expression kind 1",
    ],
    [
      "shardRange('uid', '0x0000000000000000', '0x8000000000000000')",
      'shardRange() first argument: expected field path (e.g. object.metadata.uid), got expression kind 5',
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000') || shardRange(object.metadata.namespace, '0x8000000000000000', '0x10000000000000000')",
      'all shard ranges must use the same field, got "object.metadata.uid" and "object.metadata.namespace"',
    ],
    [
      "shardRange(object.metadata.uid, '0x0', '0x8000000000000000')",
      'hexStart must be a 0x-prefixed 16-digit hex value, got "0x0" (did you mean "0x0000000000000000"?)',
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0xff')",
      'hexEnd must be a 0x-prefixed 16-digit hex value, got "0xff" (did you mean "0x00000000000000ff"?)',
    ],
    [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x20000000000000000')",
      `hexEnd: 17-digit hex value must be '0x10000000000000000' (2^64), got "0x20000000000000000"`,
    ],
    [
      "shardRange(object.metadata.uid, '0x8000000000000000', '0x8000000000000000')",
      'shard range start 0x8000000000000000 must be less than end 0x8000000000000000',
    ],
    [
      "shardRange(object.metadata.uid, '0xffffffffffffffff', '0x0000000000000000')",
      'shard range start 0xffffffffffffffff must be less than end 0x0000000000000000',
    ],
    ['object.metadata.uid', 'unexpected expression kind 7; expected shardRange() call or || operator'],
  ])('refuses %j as the server does', (text, reason) => {
    expect(reasonFor(text)).toBe(reason);
  });

  it.each([
    "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000'",
    "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000') ||",
    "shardRange(object.metadata.uid, '0x0000000000000000, '0x8000000000000000')",
    "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000') shardRange",
    "shardRange(object.metadata.uid; '0x0000000000000000', '0x8000000000000000')",
    `${'('.repeat(300)}shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000')${')'.repeat(300)}`,
  ])('refuses the syntax error %j as a CEL parse error', (text) => {
    expect(reasonFor(text)).toMatch(/^CEL parse error: /);
  });

  it('round-trips what the server prints (its round-trip tests)', () => {
    for (const text of [
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000')",
      "shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')",
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x10000000000000000')",
      "shardRange(object.metadata.namespace, '0x00000000000000aa', '0x00000000000000ff')",
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000') || shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')",
    ]) {
      expect(formatShardSelector(parseShardSelector(text))).toBe(text);
    }
  });

  it('normalizes the spelling to the printed form', () => {
    const text = '(shardRange(object . metadata . uid,"0x0000000000000000",\'0x8000000000000000\'))';
    expect(formatShardSelector(parseShardSelector(text))).toBe(
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000')",
    );
  });
});
