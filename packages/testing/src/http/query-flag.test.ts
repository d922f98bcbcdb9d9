import { describe, expect, it } from 'vitest';
import { queryFlag } from './query-flag.js';

describe('queryFlag', () => {
  it.each([
    ['watch=true', true],
    ['watch=True', true],
    ['watch=1', true],
    ['watch=yes', true],
    ['watch=', true],
    ['watch=false', false],
    ['watch=FALSE', false],
    ['watch=0', false],
    ['other=true', undefined],
  ])('reads %s as %s, like the API server', (query, expected) => {
    expect(queryFlag(new URLSearchParams(query), 'watch')).toBe(expected);
  });
});
