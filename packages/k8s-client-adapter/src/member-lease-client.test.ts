import {
  createInformerFactory,
  LeaseConflictError,
  memberLeaseView,
  memberOfLabel,
  RangeOwnership,
  wholeHashSpace,
} from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { leases } from './built-in-resources.js';
import { kubeConfigTransport } from './kube-config-transport.js';
import { createMemberLeaseClient } from './member-lease-client.js';

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function kubeConfig(): Promise<KubeConfig> {
  server = await FakeApiServer.start({});
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  return config;
}

const record = (holderIdentity: string, claims = '') => ({
  holderIdentity,
  leaseDurationSeconds: 15,
  renewTime: '2026-01-02T03:04:05.678000Z',
  claims,
});

describe('createMemberLeaseClient against the fake API server', () => {
  it('creates, reads and updates labelled member leases, and turns every 409 into LeaseConflictError', async () => {
    const client = createMemberLeaseClient(await kubeConfig(), { namespace: 'default', memberOf: 'demo' });
    const signal = new AbortController().signal;
    expect(await client.get('shard-member-a', signal)).toBeUndefined();
    const created = await client.create(
      'shard-member-a',
      record('a_1', '0000000000000000-8000000000000000'),
      signal,
    );
    expect(created).toMatchObject({
      name: 'shard-member-a',
      ...record('a_1', '0000000000000000-8000000000000000'),
    });
    await expect(client.create('shard-member-a', record('b'), signal)).rejects.toBeInstanceOf(
      LeaseConflictError,
    );
    const updated = await client.update('shard-member-a', record('a_1'), created.version, signal);
    expect(updated.claims).toBe('');
    expect(updated.version).not.toBe(created.version);
    const stale = await client
      .update('shard-member-a', record('c'), created.version, signal)
      .catch((error) => error);
    expect(stale).toMatchObject({ code: 'KI_LEASE_CONFLICT', lease: 'leases/default/shard-member-a' });
    expect((await client.get('shard-member-a', signal))?.holderIdentity).toBe('a_1');
  });

  it('in real time, two replicas split the space over the fake server and one takes over when the other stops', async () => {
    const config = await kubeConfig();
    const stop = new AbortController();
    const timings = { leaseDurationMs: 2000, renewDeadlineMs: 1200, retryPeriodMs: 200 };
    const replica = (identity: string) => {
      const factory = createInformerFactory(kubeConfigTransport(config, { signal: stop.signal }), {
        namespace: 'default',
      });
      const informer = factory.informerFor(leases, { labelSelector: `${memberOfLabel}=demo` });
      factory.start(stop.signal);
      const own = new AbortController();
      const ownership = new RangeOwnership({
        identity,
        leases: createMemberLeaseClient(config, { namespace: 'default', memberOf: 'demo' }),
        view: memberLeaseView(informer),
        ...timings,
      });
      return { ownership, own, running: ownership.run(AbortSignal.any([own.signal, stop.signal])) };
    };
    const a = replica('a');
    const b = replica('b');
    const until = async (condition: () => boolean) => {
      for (let waited = 0; waited < 10_000 && !condition(); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return condition();
    };
    expect(await until(() => a.ownership.ownedRanges.length > 0 && b.ownership.ownedRanges.length > 0)).toBe(
      true,
    );
    a.own.abort();
    await a.running;
    expect(await until(() => b.ownership.ownedRanges.length === 1)).toBe(true);
    expect(b.ownership.ownedRanges).toEqual([wholeHashSpace]);
    stop.abort();
    await b.running;
  });
});
