import { describe, expect, it } from 'vitest';
import { KubeInformersError } from '../errors/kube-informers-error.js';
import { SelectorError } from '../errors/selector-error.js';
import { parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', 'example.com/team': 'blue', replicas: '3' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web , tier == frontend', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app in (db)', false],
    ['app notin (db,cache)', true],
    ['missing notin (db)', true],
    ['app notin (web)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['example.com/team=blue', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['missing>0', false],
    ['tier=', false],
    ['app=web,tier in (backend)', false],
  ])('%j matches the labels: %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('matches an object without labels only by absence requirements', () => {
    expect(parseLabelSelector('!app').matches(undefined)).toBe(true);
    expect(parseLabelSelector('app!=web').matches(undefined)).toBe(true);
    expect(parseLabelSelector('app').matches(undefined)).toBe(false);
  });

  it('matches the empty value when asked for it', () => {
    expect(parseLabelSelector('tier=').matches({ tier: '' })).toBe(true);
  });

  it('keeps the requirements it parsed', () => {
    expect(parseLabelSelector('a in (x,y),!b').requirements).toEqual([
      { key: 'a', operator: 'in', values: ['x', 'y'] },
      { key: 'b', operator: 'doesNotExist', values: [] },
    ]);
  });

  it.each([
    ['app=', undefined],
    ['app in ()', 'cannot be empty'],
    ['app in (a', `expected ',' or ')'`],
    ['app in a', `expected '('`],
    ['=web', 'expected a label key'],
    ['app=web,', 'expected a label key'],
    ['app==web==x', `expected ',' or the end`],
    ['-app=web', 'must be at most 63'],
    ['app=-web', 'label value'],
    ['Example.com/app=web', 'DNS subdomain'],
    ['replicas>x', 'expected an integer'],
    ['app web', 'expected an operator'],
  ])('rejects %j with a typed error', (selector, reason) => {
    if (reason === undefined) {
      expect(() => parseLabelSelector(selector)).not.toThrow();
      return;
    }
    const error = catchError(() => parseLabelSelector(selector));
    expect(error).toBeInstanceOf(SelectorError);
    expect(error).toBeInstanceOf(KubeInformersError);
    expect(error).toMatchObject({ code: 'KI_INVALID_SELECTOR', name: 'SelectorError', selector });
    expect((error as Error).message).toContain(reason);
  });

  it('renders back to the text it came from', () => {
    expect(parseLabelSelector('  app in (a,b) ').toString()).toBe('app in (a,b)');
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
