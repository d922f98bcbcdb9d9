import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeApiServer } from '../fake-api-server.js';
import { podFixture } from '../fixtures/pod-fixture.js';

let server: FakeApiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tokenProtocol(token: string): string {
  return `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`;
}

/** Opens a WebSocket watch; resolves with the echoed protocol and the first message, or the refusal. */
function openWatch(
  url: string,
  protocols: string[],
): Promise<{ readonly protocol: string; readonly firstMessage: string } | { readonly refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('message', (data) => {
      resolve({ protocol: socket.protocol, firstMessage: String(data) });
      socket.close();
    });
    socket.once('error', reject);
  });
}

describe('bearer tokens in the WebSocket subprotocol', () => {
  it('authenticates a watch by the token protocol and echoes the other protocol', async () => {
    server = await FakeApiServer.start({ tokens: ['s3cret/with+odd=chars'] });
    server.store.create('pods', podFixture({ name: 'web' }));
    const url = `${server.url.replace('http', 'ws')}/api/v1/pods?watch=true`;
    const opened = await openWatch(url, ['base64.binary.k8s.io', tokenProtocol('s3cret/with+odd=chars')]);
    expect(opened).toMatchObject({ protocol: 'base64.binary.k8s.io' });
    expect(JSON.parse((opened as { firstMessage: string }).firstMessage)).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'web' } },
    });
  });

  it('refuses a wrong or undecodable token with 401, and no token when one is required', async () => {
    server = await FakeApiServer.start({ tokens: ['secret'] });
    const url = `${server.url.replace('http', 'ws')}/api/v1/pods?watch=true`;
    expect(await openWatch(url, ['base64.binary.k8s.io', tokenProtocol('wrong')])).toEqual({ refused: 401 });
    expect(
      await openWatch(url, ['base64.binary.k8s.io', 'base64url.bearer.authorization.k8s.io.!!']),
    ).toEqual({ refused: 401 });
    expect(await openWatch(url, ['base64.binary.k8s.io'])).toEqual({ refused: 401 });
  });
});
