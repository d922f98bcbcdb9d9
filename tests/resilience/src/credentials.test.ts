import { inspect } from 'node:util';
import {
  createBackoffPolicy,
  createInformerFactory,
  ForbiddenError,
  type InformerFactory,
  type KubeInformersError,
  type KubeObject,
  type SharedInformer,
  TransportError,
  UnauthorizedError,
} from '@kubeinformers/core';
import { type KubeConfigTransport, kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { CertificateAuthority, FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { credentialLeaks } from './credential-leaks.js';
import { ObservedTransport } from './observed-transport.js';

const bounded = { timeout: 10_000, interval: 5 };
const fastBackoff = createBackoffPolicy({ initialDelayMs: 1, maxDelayMs: 5 });
const goodToken = 'good-0f3c9a1e7b5d2468ace0';
const rotatedToken = 'rotated-9d8c7b6a5f4e3d2c1b0a';

let server: FakeApiServer;
let transports: KubeConfigTransport[];
let factories: InformerFactory[];
let controller: AbortController;
/** Every error of every test in this file, searched for credentials at the end. */
const allErrors: KubeInformersError[] = [];
const allSecrets: string[] = [goodToken, rotatedToken];

beforeEach(async () => {
  server = await FakeApiServer.start({ tls: true, tokens: [goodToken], clientCertificates: true });
  server.store.create('pods', {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
  });
  transports = [];
  factories = [];
  controller = new AbortController();
});

afterEach(async () => {
  controller.abort();
  await Promise.all(factories.map((factory) => factory.shutdown()));
  await Promise.all(transports.map((transport) => transport.close()));
  await server.close();
});

function podInformer(kubeConfig: KubeConfig, errors: KubeInformersError[]) {
  const adapter = kubeConfigTransport(kubeConfig);
  transports.push(adapter);
  const transport = new ObservedTransport(adapter);
  const factory = createInformerFactory(transport, {
    backoff: fastBackoff,
    onError: (error) => {
      errors.push(error);
      allErrors.push(error);
    },
  });
  factories.push(factory);
  const informer = factory.informerFor(pods) as unknown as SharedInformer<KubeObject>;
  factory.start(controller.signal);
  return { informer, transport };
}

function loaded(text: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(text);
  return kubeConfig;
}

/** A kubeconfig for `server` authenticating with `goodToken`, trusting `caPem` or skipping verification. */
function kubeConfigTrusting(trust: { caPem?: string; skipTLSVerify?: boolean }): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'fake',
        server: server.url,
        ...(trust.caPem === undefined ? {} : { caData: Buffer.from(trust.caPem).toString('base64') }),
        ...(trust.skipTLSVerify === undefined ? {} : { skipTLSVerify: trust.skipTLSVerify }),
      },
    ],
    users: [{ name: 'tester', token: goodToken }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return kubeConfig;
}

describe('authentication failures', () => {
  it('401: reported as UnauthorizedError, retried with backoff, and synced once the token is accepted', async () => {
    const errors: KubeInformersError[] = [];
    const { informer, transport } = podInformer(loaded(server.kubeconfig({ token: rotatedToken })), errors);
    await vi.waitFor(
      () => expect(errors.filter((error) => error instanceof UnauthorizedError).length).toBeGreaterThan(2),
      bounded,
    );
    expect(informer.hasSynced()).toBe(false);
    expect(informer.isRunning).toBe(true);
    expect(transport.counts.lists).toBeGreaterThan(2);
    // Credentials rotate: the server starts accepting the token the informer holds.
    server.auth.addToken(rotatedToken);
    await vi.waitFor(() => expect(informer.store.getByKey('default/web')).toBeDefined(), bounded);
  });

  it('403: reported as ForbiddenError and retried until permitted', async () => {
    server.faults.failNextRequests({ verb: 'list', status: 403, count: 2 });
    const errors: KubeInformersError[] = [];
    const { informer } = podInformer(loaded(server.kubeconfig()), errors);
    await vi.waitFor(() => expect(informer.store.getByKey('default/web')).toBeDefined(), bounded);
    expect(errors.filter((error) => error instanceof ForbiddenError)).toHaveLength(2);
    expect(informer.isRunning).toBe(true);
  });
});

describe('TLS verification', () => {
  it('refuses a server whose certificate is signed by an unknown CA, with a typed error', async () => {
    const errors: KubeInformersError[] = [];
    const stranger = await CertificateAuthority.create('unrelated-ca');
    const { informer } = podInformer(kubeConfigTrusting({ caPem: stranger.certificate }), errors);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1), bounded);
    expect(errors.every((error) => error instanceof TransportError)).toBe(true);
    expect(informer.hasSynced()).toBe(false);
    expect(informer.isRunning).toBe(true);
  });

  it('refuses it with no CA configured too (the system trust store does not know it)', async () => {
    const errors: KubeInformersError[] = [];
    const { informer } = podInformer(kubeConfigTrusting({}), errors);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1), bounded);
    expect(errors.every((error) => error instanceof TransportError)).toBe(true);
    expect(informer.hasSynced()).toBe(false);
  });

  it('accepts it only when the kubeconfig explicitly disables verification', async () => {
    const errors: KubeInformersError[] = [];
    const { informer } = podInformer(kubeConfigTrusting({ skipTLSVerify: true }), errors);
    await vi.waitFor(() => expect(informer.store.getByKey('default/web')).toBeDefined(), bounded);
    expect(errors).toEqual([]);
  });

  it('accepts it with its own CA', async () => {
    const errors: KubeInformersError[] = [];
    const { informer } = podInformer(kubeConfigTrusting({ caPem: server.certificateAuthorityPem }), errors);
    await vi.waitFor(() => expect(informer.store.getByKey('default/web')).toBeDefined(), bounded);
    expect(errors).toEqual([]);
  });
});

describe('no credential in any error', () => {
  it('client certificate: failures of every kind carry neither the key nor the certificate', async () => {
    const issued = await server.auth.issueClientCertificate('cert-user');
    // The base64 body of the PEM: what a leak would contain even if the armour lines were trimmed.
    const keyBody = issued.key.split('\n').slice(1, -2).join('');
    allSecrets.push(keyBody, issued.key);
    server.faults.failNextRequests({ verb: 'list', status: 500, count: 2 });
    server.faults.failNextRequests({ verb: 'list', status: 401, count: 2 });
    const errors: KubeInformersError[] = [];
    const { informer } = podInformer(
      loaded(server.kubeconfig({ clientCertificate: issued, token: '' })),
      errors,
    );
    await vi.waitFor(() => expect(informer.store.getByKey('default/web')).toBeDefined(), bounded);
    // Connections cut under a running watch, and a server gone for a while.
    await server.faults.restart({ downtimeMs: 50 });
    await vi.waitFor(
      () => expect(errors.some((error) => error instanceof TransportError)).toBe(true),
      bounded,
    );
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(credentialLeaks(errors, [keyBody, issued.key])).toEqual([]);
  });

  it('the default error hook logs failures without the token', async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const adapter = kubeConfigTransport(loaded(server.kubeconfig({ token: rotatedToken })));
      transports.push(adapter);
      // No onError: the factory's default hook writes to console.error.
      const factory = createInformerFactory(adapter, { backoff: fastBackoff });
      factories.push(factory);
      factory.informerFor(pods);
      factory.start(controller.signal);
      await vi.waitFor(() => expect(logged.length).toBeGreaterThan(2), bounded);
      controller.abort();
      await factory.shutdown();
    } finally {
      spy.mockRestore();
    }
    const lines = logged.map((args) =>
      args.map((value) => (typeof value === 'string' ? value : inspect(value))).join(' '),
    );
    expect(lines.some((line) => line.includes('Unauthorized'))).toBe(true);
    expect(lines.filter((line) => line.includes(rotatedToken) || line.includes(goodToken))).toEqual([]);
  });

  it('nothing any test of this file collected contains a token or key', () => {
    // Runs last (vitest keeps file order): the 401, 403 and TLS failures above included.
    expect(allErrors.length).toBeGreaterThan(10);
    expect(credentialLeaks(allErrors, [...allSecrets, `Bearer ${goodToken}`])).toEqual([]);
  });
});
