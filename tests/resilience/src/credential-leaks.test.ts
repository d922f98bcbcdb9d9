import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { credentialLeaks } from './credential-leaks.js';

const secret = 'sekret-token-123';

describe('credentialLeaks', () => {
  it('finds a secret in the message, deep in a cause chain, in a property and in AggregateError members', () => {
    const inMessage = new Error(`Authorization: Bearer ${secret}`);
    const inCause = new Error('outer', { cause: new Error('middle', { cause: new Error(secret) }) });
    const inProperty = Object.assign(new Error('request failed'), { headers: { authorization: secret } });
    const inAggregate = new AggregateError([new Error(secret)], 'several');
    const leaks = credentialLeaks([inMessage, inCause, inProperty, inAggregate], [secret]);
    const flagged = new Set(leaks.map((leak) => leak.slice(0, leak.indexOf(']') + 1)));
    expect([...flagged].sort()).toEqual(['errors[0]', 'errors[1]', 'errors[2]', 'errors[3]']);
    // The chain is followed down to where the secret sits.
    expect(leaks.some((leak) => leak.startsWith('errors[1].cause.cause:'))).toBe(true);
  });

  it('finds a secret only util.inspect shows (a non-enumerable property)', () => {
    const error = new Error('request failed');
    Object.defineProperty(error, 'request', { value: { token: secret }, enumerable: false });
    expect(inspect(error)).not.toContain(secret);
    expect(credentialLeaks([error], [secret])).toHaveLength(1);
  });

  it('finds nothing in clean errors', () => {
    expect(credentialLeaks([new Error('list failed', { cause: new Error('503') })], [secret])).toEqual([]);
  });
});
