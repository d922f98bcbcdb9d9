import { describe, expect, it } from 'vitest';
import { LeaseConflictError } from '../../errors/lease-conflict-error.js';
import { createInformerFactory } from '../../informer/informer-factory.js';
import { defineResource } from '../../protocol/resource-descriptor.js';
import { InMemoryApi } from '../../test-support/in-memory-api.js';
import { ManualClock } from '../../time/manual-clock.js';
import { wholeHashSpace } from '../shard-range.js';
import { intersectRanges, unionRanges } from './hash-ranges.js';
import type { MemberLease, MemberLeaseClient, MemberLeaseRecord } from './member-lease.js';
import type { LeaseObject } from './member-lease-view.js';
import {
  memberClaimsAnnotation,
  memberLeaseOf,
  memberLeaseView,
  memberOfLabel,
} from './member-lease-view.js';
import { RangeOwnership } from './range-ownership.js';

const leases = defineResource<LeaseObject>({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
});

/** Member leases written to the in-memory API with the API server's optimistic concurrency. */
function apiLeaseClient(api: InMemoryApi, group: string): MemberLeaseClient {
  const find = (name: string) => api.list(leases).find((lease) => lease.metadata?.name === name);
  const object = (name: string, record: MemberLeaseRecord): LeaseObject => ({
    metadata: {
      name,
      namespace: 'default',
      labels: { [memberOfLabel]: group },
      annotations: { [memberClaimsAnnotation]: record.claims },
    },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.renewTime === undefined ? {} : { renewTime: record.renewTime }),
    },
  });
  const read = (lease: LeaseObject) => memberLeaseOf(lease) as MemberLease;
  return {
    description: 'leases/default/',
    async get(name) {
      const found = find(name);
      return found === undefined ? undefined : read(found);
    },
    async create(name, record) {
      if (find(name) !== undefined) throw new LeaseConflictError(name);
      return read(api.create(leases, object(name, record)));
    },
    async update(name, record, version) {
      if (find(name)?.metadata?.resourceVersion !== version) throw new LeaseConflictError(name);
      return read(api.update(leases, object(name, record)));
    },
  };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('memberLeaseView', () => {
  it('reads member leases from an informer of leases, and ownership splits the space over it', async () => {
    const api = new InMemoryApi();
    // A lease of another controller, and one that is not a member lease at all, are not members.
    api.create(leases, { metadata: { name: 'shard-member-x', labels: { [memberOfLabel]: 'other' } } });
    api.create(leases, { metadata: { name: 'kube-scheduler' } });
    const stop = new AbortController();
    const clock = new ManualClock(1000);
    const replicas = ['a', 'b'].map((identity) => {
      const factory = createInformerFactory(api);
      const informer = factory.informerFor(leases, { labelSelector: `${memberOfLabel}=demo` });
      factory.start(stop.signal);
      const ownership = new RangeOwnership({
        identity,
        leases: apiLeaseClient(api, 'demo'),
        view: memberLeaseView(informer),
        clock,
        onError: () => {},
      });
      const running = ownership.run(stop.signal);
      return { ownership, running, informer };
    });
    for (let step = 0; step < 40; step++) {
      clock.advance(100);
      for (let index = 0; index < 5; index++) await turn();
      const [a, b] = replicas.map((replica) => [...replica.ownership.ownedRanges]);
      expect(intersectRanges(a ?? [], b ?? [])).toEqual([]);
    }
    const [a, b] = replicas;
    expect(a?.ownership.members).toEqual(['a', 'b']);
    expect(unionRanges([...(a?.ownership.ownedRanges ?? [])], [...(b?.ownership.ownedRanges ?? [])])).toEqual(
      [wholeHashSpace],
    );
    expect(
      memberLeaseView(a?.informer as never)
        .list()
        .map((lease) => lease.name)
        .sort(),
    ).toEqual(['shard-member-a', 'shard-member-b']);
    stop.abort();
    await Promise.all(replicas.map((replica) => replica.running));
  });
});
