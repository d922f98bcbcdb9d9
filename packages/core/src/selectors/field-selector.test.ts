import { describe, expect, it } from 'vitest';
import { SelectorError } from '../errors/selector-error.js';
import { parseFieldSelector } from './field-selector.js';

describe('parseFieldSelector', () => {
  const fields: Record<string, string> = {
    'metadata.name': 'web-0',
    'spec.nodeName': 'node-1',
    'status.phase': '',
  };
  const read = (field: string) => fields[field];

  it.each([
    ['', true],
    ['metadata.name=web-0', true],
    ['metadata.name==web-0', true],
    ['metadata.name!=web-0', false],
    ['metadata.name=web-0,spec.nodeName!=node-2', true],
    ['spec.nodeName=node-2', false],
    ['status.phase=', true],
    ['spec.missing=', true],
    ['spec.missing!=x', true],
  ])('%j matches: %s', (selector, expected) => {
    expect(parseFieldSelector(selector).matches(read)).toBe(expected);
  });

  it('unescapes commas and equals signs in values', () => {
    const selector = parseFieldSelector(String.raw`metadata.name=a\,b\=c`);
    expect(selector.requirements).toEqual([{ field: 'metadata.name', operator: 'equals', value: 'a,b=c' }]);
  });

  it.each(['metadata.name', 'metadata.name in (a)', '=x', String.raw`a=b\x`, 'a=b=c'])(
    'rejects %j',
    (selector) => {
      expect(() => parseFieldSelector(selector)).toThrow(SelectorError);
    },
  );
});
