import { X509Certificate } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { call } from '../test-support/http-client.js';
import { CertificateAuthority } from './certificate-authority.js';

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const pods = '/api/v1/namespaces/default/pods';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('certificate authority', () => {
  it('issues server and client certificates that chain to the CA', async () => {
    const authority = await CertificateAuthority.create();
    const ca = new X509Certificate(authority.certificate);
    expect(ca.ca).toBe(true);
    const serving = new X509Certificate(
      (await authority.issueServerCertificate(['127.0.0.1', 'localhost', '::1'])).certificate,
    );
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkHost('localhost')).toBe('localhost');
    const client = new X509Certificate(
      (await authority.issueClientCertificate({ commonName: 'alice', organizations: ['devs'] })).certificate,
    );
    expect(client.subject).toContain('CN=alice');
    expect(client.subject).toContain('O=devs');
    expect(client.verify(ca.publicKey)).toBe(true);
  });
});

describe('authentication and authorization', () => {
  it('refuses requests without a valid token with a 401 Status, and read-only tokens on writes with 403', async () => {
    server = await FakeApiServer.start({
      tokens: ['admin', { token: 'viewer', user: 'viewer', readOnly: true }],
    });
    const missing = await call(`${server.url}${pods}`);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await call(`${server.url}${pods}`, { headers: bearer('wrong') })).status).toBe(401);
    expect((await call(`${server.url}/api`, { headers: bearer('wrong') })).status).toBe(401);
    expect((await call(`${server.url}${pods}`, { headers: bearer('viewer') })).status).toBe(200);
    const body = { metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const forbidden = await call(`${server.url}${pods}`, { method: 'POST', headers: bearer('viewer'), body });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.message).toBe(
      'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "default"',
    );
    expect(
      (await call(`${server.url}${pods}`, { method: 'POST', headers: bearer('admin'), body })).status,
    ).toBe(201);
  });

  it('rotates, revokes and expires tokens at runtime', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    server = await FakeApiServer.start({ tokens: ['first'], now: () => now });
    server.auth.setTokens([{ token: 'second', expiresAt: new Date('2025-01-01T00:10:00Z') }]);
    expect((await call(`${server.url}${pods}`, { headers: bearer('first') })).status).toBe(401);
    expect((await call(`${server.url}${pods}`, { headers: bearer('second') })).status).toBe(200);
    now = new Date('2025-01-01T00:10:00Z');
    expect((await call(`${server.url}${pods}`, { headers: bearer('second') })).status).toBe(401);
    server.auth.addToken('third');
    expect((await call(`${server.url}${pods}`, { headers: bearer('third') })).status).toBe(200);
    expect(server.auth.revokeToken('third')).toBe(true);
    expect((await call(`${server.url}${pods}`, { headers: bearer('third') })).status).toBe(401);
  });

  it('serves TLS with an in-process CA and authenticates client certificates', async () => {
    server = await FakeApiServer.start({ tls: true, clientCertificates: true });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = server.certificateAuthorityPem!;
    const anonymous = await call(`${server.url}${pods}`, { ca });
    expect(anonymous.status).toBe(401);
    const alice = await server.auth.issueClientCertificate('alice');
    const authenticated = await call(`${server.url}${pods}`, { ca, cert: alice.certificate, key: alice.key });
    expect(authenticated.status).toBe(200);
    const foreign = await (await CertificateAuthority.create()).issueClientCertificate({
      commonName: 'mallory',
    });
    expect(
      (await call(`${server.url}${pods}`, { ca, cert: foreign.certificate, key: foreign.key })).status,
    ).toBe(401);
    await expect(call(`${server.url}${pods}`)).rejects.toThrow(/certificate/);
  });

  it('writes kubeconfigs that @kubernetes/client-node accepts: CA data, tokens and client certificates', async () => {
    server = await FakeApiServer.start({ tls: true, tokens: ['secret'], clientCertificates: true });
    const load = (text: string) => {
      const config = new KubeConfig();
      config.loadFromString(text);
      return config.makeApiClient(CoreV1Api);
    };
    const parsed = JSON.parse(server.kubeconfig());
    expect(parsed.clusters[0].cluster['certificate-authority-data']).toEqual(expect.any(String));
    expect(parsed.users[0].user.token).toBe('secret');
    expect((await load(server.kubeconfig()).listNamespace()).items.length).toBeGreaterThanOrEqual(3);
    const withCertificate = server.kubeconfig({
      clientCertificate: await server.auth.issueClientCertificate('bob'),
      user: 'bob',
      token: null,
    });
    expect(JSON.parse(withCertificate).users[0].user).toEqual({
      'client-certificate-data': expect.any(String),
      'client-key-data': expect.any(String),
    });
    expect((await load(withCertificate).readNamespace({ name: 'default' })).metadata?.name).toBe('default');
    await expect(load(server.kubeconfig({ token: 'nope' })).listNamespace()).rejects.toMatchObject({
      code: 401,
    });
  });
});
