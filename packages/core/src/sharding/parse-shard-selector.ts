import { ShardSelectorError } from '../errors/shard-selector-error.js';
import { type CelExpression, CelSyntaxError, celKindNumber, parseCelExpression } from './cel-expression.js';
import type { ShardRange } from './shard-range.js';
import type { ShardField, ShardSelector } from './shard-selector.js';

/**
 * Parses a `shardSelector` as the API server does (k8s.io/apiserver's `sharding.Parse`): a CEL expression
 * made only of `shardRange(<field>, '<start>', '<end>')` calls joined by `||` (parentheses allowed), every
 * call on the same field, `object.metadata.uid` or `object.metadata.namespace`. Bounds are string literals
 * of `0x` and exactly 16 lowercase hex digits, or `'0x10000000000000000'` (2^64), with start < end.
 *
 * Throws {@link ShardSelectorError} whose `reason` is the server's own wording for the same input (the
 * server answers `invalid shard selector: <reason>`); CEL syntax errors are worded like cel-go's, not
 * character for character.
 */
export function parseShardSelector(text: string): ShardSelector {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new ShardSelectorError(
      text,
      'empty shard selector is not allowed; omit the parameter for unfiltered lists',
    );
  }
  let expression: CelExpression;
  try {
    expression = parseCelExpression(trimmed);
  } catch (error) {
    if (error instanceof CelSyntaxError)
      throw new ShardSelectorError(text, `CEL parse error: Syntax error: ${error.message}`);
    throw error;
  }
  const requirements: Requirement[] = [];
  collectRequirements(text, expression, requirements);
  const first = requirements[0] as Requirement;
  for (const requirement of requirements) {
    if (requirement.field !== first.field) {
      throw new ShardSelectorError(
        text,
        `all shard ranges must use the same field, got ${JSON.stringify(first.field)} and ${JSON.stringify(requirement.field)}`,
      );
    }
  }
  return { field: first.field, ranges: requirements.map(({ range }) => range) };
}

interface Requirement {
  readonly field: ShardField;
  readonly range: ShardRange;
}

function collectRequirements(text: string, expression: CelExpression, into: Requirement[]): void {
  if (expression.kind !== 'call') {
    throw new ShardSelectorError(
      text,
      `unexpected expression kind ${celKindNumber(expression)}; expected shardRange() call or || operator`,
    );
  }
  if (expression.name === '_||_') {
    for (const side of expression.args) collectRequirements(text, side, into);
    return;
  }
  if (expression.name !== 'shardRange') {
    throw new ShardSelectorError(
      text,
      `unsupported function ${JSON.stringify(expression.name)}; only shardRange() and || are allowed`,
    );
  }
  const args = expression.args;
  if (args.length !== 3) {
    throw new ShardSelectorError(text, `shardRange() requires exactly 3 arguments, got ${args.length}`);
  }
  const path = fieldPath(text, args[0] as CelExpression);
  if (path !== 'object.metadata.uid' && path !== 'object.metadata.namespace') {
    throw new ShardSelectorError(
      text,
      `unsupported field path ${JSON.stringify(path)}; supported: object.metadata.uid, object.metadata.namespace`,
    );
  }
  const start = hexBound(text, args[1] as CelExpression, 'hexStart');
  const end = hexBound(text, args[2] as CelExpression, 'hexEnd');
  if (start.value >= end.value) {
    throw new ShardSelectorError(text, `shard range start ${start.text} must be less than end ${end.text}`);
  }
  into.push({ field: path, range: { start: start.value, end: end.value } });
}

function fieldPath(text: string, expression: CelExpression): string {
  if (expression.kind === 'ident') return expression.name;
  if (expression.kind === 'select') return `${fieldPath(text, expression.operand)}.${expression.field}`;
  throw new ShardSelectorError(
    text,
    `shardRange() first argument: expected field path (e.g. object.metadata.uid), got expression kind ${celKindNumber(expression)}`,
  );
}

const utf8 = new TextEncoder();

function hexBound(text: string, expression: CelExpression, name: string): { text: string; value: bigint } {
  if (expression.kind !== 'literal') {
    throw new ShardSelectorError(
      text,
      `${name} must be a string literal (e.g. '0xff'), got expression kind ${celKindNumber(expression)}`,
    );
  }
  if (expression.goType !== 'string' || expression.value === null) {
    throw new ShardSelectorError(text, `${name} must be a string literal, got ${expression.goType}`);
  }
  const literal = expression.value;
  if (!literal.startsWith('0x')) {
    throw new ShardSelectorError(text, `${name} must have '0x' prefix, got ${JSON.stringify(literal)}`);
  }
  const digits = literal.slice(2);
  if (digits === '') throw new ShardSelectorError(text, `${name}: hex value is required after '0x'`);
  // The server measures the length in bytes (Go's len of a string).
  const byteLength = utf8.encode(digits).length;
  if (byteLength > 17) {
    throw new ShardSelectorError(
      text,
      `${name}: hex value too long (${byteLength} chars, max 17): ${JSON.stringify(digits)}`,
    );
  }
  for (const character of digits) {
    if (!/[0-9a-f]/.test(character)) {
      throw new ShardSelectorError(
        text,
        `${name}: invalid hex character ${JSON.stringify(character)} in ${JSON.stringify(literal)}`,
      );
    }
  }
  if (digits.length === 17) {
    if (literal !== '0x10000000000000000') {
      throw new ShardSelectorError(
        text,
        `${name}: 17-digit hex value must be '0x10000000000000000' (2^64), got ${JSON.stringify(literal)}`,
      );
    }
  } else if (digits.length !== 16) {
    const padded = `0x${digits.padStart(16, '0')}`;
    throw new ShardSelectorError(
      text,
      `${name} must be a 0x-prefixed 16-digit hex value, got ${JSON.stringify(literal)} (did you mean ${JSON.stringify(padded)}?)`,
    );
  }
  return { text: literal, value: BigInt(literal) };
}
