// One replica of a sharded controller, as its own process, for `sharded-replicas.test.ts` (started with
// `node` on this file: Node 24 strips the types). It reports over IPC to the parent, which stands for the
// API server's view of time: every reconcile asks the parent before it starts (so the parent's clock sees
// the start no later than it happens) and reports its write after `assertOwns` passed.
//
// Environment: KUBECONFIG_TEXT, IDENTITY, LEASE_DURATION_MS, RENEW_DEADLINE_MS, RETRY_PERIOD_MS.
import {
  createController,
  createInformerFactory,
  memberLeaseView,
  memberOfLabel,
  RangeOwnership,
  ShardedPrimary,
  unownedShardSelector,
} from '@kubeinformers/core';
import {
  createMemberLeaseClient,
  kubeConfigTransport,
  leases,
  pods,
} from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

/** Messages to the parent. */
export type ReplicaMessage =
  | { readonly type: 'owned'; readonly ranges: readonly (readonly [string, string])[] }
  | { readonly type: 'start'; readonly id: number; readonly key: string; readonly version: string }
  | { readonly type: 'write'; readonly id: number; readonly key: string; readonly version: string }
  | { readonly type: 'refused'; readonly id: number; readonly key: string };

/** Messages from the parent. */
export type ParentMessage = { readonly type: 'ack'; readonly id: number } | { readonly type: 'stop' };

function environment(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

function send(message: ReplicaMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const identity = environment('IDENTITY');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(environment('KUBECONFIG_TEXT'));
  const stop = new AbortController();
  const acks = new Map<number, () => void>();
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'ack') {
      acks.get(message.id)?.();
      acks.delete(message.id);
    } else stop.abort();
  });
  process.on('disconnect', () => stop.abort());
  const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }), {
    onError: () => {},
  });
  const memberInformer = factory.informerFor(leases, {
    namespace: 'default',
    labelSelector: `${memberOfLabel}=sharded-test`,
  });
  const podInformer = factory.informerFor(pods, { shardSelector: unownedShardSelector });
  factory.start(stop.signal);
  const ownership = new RangeOwnership({
    identity,
    leases: createMemberLeaseClient(kubeConfig, { namespace: 'default', memberOf: 'sharded-test' }),
    view: memberLeaseView(memberInformer),
    leaseDurationMs: Number(environment('LEASE_DURATION_MS')),
    renewDeadlineMs: Number(environment('RENEW_DEADLINE_MS')),
    retryPeriodMs: Number(environment('RETRY_PERIOD_MS')),
    onError: () => {},
  });
  ownership.subscribe((change) =>
    send({
      type: 'owned',
      ranges: change.owned.map((range) => [range.start.toString(16), range.end.toString(16)] as const),
    }),
  );
  const primary = new ShardedPrimary(podInformer, ownership);
  if (process.env.SHARDED_DEBUG !== undefined) {
    const timer = setInterval(() => {
      console.error(
        `${identity} owned ${ownership.ownedRanges.length} assigned ${ownership.assignedRanges.length} members ${ownership.members.join(',')} ready ${primary.readyRanges.length} pods ${podInformer.store.list().length}`,
      );
    }, 1000);
    stop.signal.addEventListener('abort', () => clearInterval(timer));
  }
  let nextId = 0;
  const controller = createController({
    name: identity,
    primary,
    workers: 4,
    onError: () => {},
    reconcile: primary.reconcileOwned(async (key) => {
      const pod = podInformer.store.getByKey(key);
      if (pod === undefined) return;
      const id = nextId++;
      const version = pod.metadata?.resourceVersion ?? '';
      const acknowledged = new Promise<void>((resolve) => acks.set(id, resolve));
      send({ type: 'start', id, key, version });
      await acknowledged;
      // Some work, then the write, guarded.
      await new Promise((resolve) => setTimeout(resolve, 2));
      try {
        ownership.assertOwns(pod);
      } catch {
        send({ type: 'refused', id, key });
        return;
      }
      send({ type: 'write', id, key, version });
    }),
  });
  await Promise.all([ownership.run(stop.signal), controller.run(stop.signal)]);
  process.disconnect?.();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
