import { expect, it } from 'vitest';

it('@kubeinformers/web exports exactly these runtime names (types are checked by the compiler)', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toEqual([
    'bearerProtocolPrefix',
    'bearerTokenProtocol',
    'browserTransport',
  ]);
});
