import { describe, expect, it } from 'vitest';
import { bearerTokenProtocol } from './bearer-protocol.js';

describe('bearerTokenProtocol', () => {
  it('encodes the token as unpadded base64url after the API server prefix', () => {
    // "a?b>" is "YT9iPg==" in base64: the URL alphabet and the stripped padding both show.
    expect(bearerTokenProtocol('a?b>')).toBe('base64url.bearer.authorization.k8s.io.YT9iPg');
    expect(bearerTokenProtocol('~~~')).toBe('base64url.bearer.authorization.k8s.io.fn5-');
  });

  it('encodes non-ASCII tokens as UTF-8', () => {
    const encoded = bearerTokenProtocol('jeton-é').split('.').at(-1) ?? '';
    expect(
      new TextDecoder().decode(
        Uint8Array.from(atob(encoded.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)),
      ),
    ).toBe('jeton-é');
  });
});
