import {
  createController,
  createInformerFactory,
  LeaseConflictError,
  type MemberLeaseClient,
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
import { connectToCluster } from './cluster-connection.js';
import type { DemoOptions } from './options.js';
import type { Terminal } from './terminal.js';

/**
 * Shorter than client-go's 15 s / 10 s / 2 s so the demo shows a takeover in seconds; the rules are the
 * same (a replica owns nothing once it could not renew within the renew deadline).
 */
const timings = { leaseDurationMs: 5000, renewDeadlineMs: 3000, retryPeriodMs: 1000 };
const space = 2 ** 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Replica {
  readonly name: string;
  readonly ownership: RangeOwnership;
  /** The pods in its cache that it owns. */
  readonly owned: () => number;
  /** Every owned range is listed into the cache: what it shows is its whole share. */
  readonly ready: () => boolean;
  reconciled: number;
  /** Set when the replica "crashes": its lease writes fail from then on. */
  dead: boolean;
}

/** Lease writes that fail once the replica is dead, as a crashed process's would never arrive. */
function dying(client: MemberLeaseClient, replica: () => Replica | undefined): MemberLeaseClient {
  const gone = () => Promise.reject(new Error('the replica is dead'));
  return {
    description: client.description,
    get: (name, signal) => (replica()?.dead ? gone() : client.get(name, signal)),
    create: (name, record, signal) => (replica()?.dead ? gone() : client.create(name, record, signal)),
    update: (name, record, version, signal) =>
      replica()?.dead ? gone() : client.update(name, record, version, signal),
  };
}

/**
 * `--replicas N`: N replicas of a sharded pod controller in this process, each with its own connection,
 * informers and membership Lease, split the pods of the cluster; then one dies and the others take its
 * ranges over once its lease expires. With `--once` it exits after the takeover.
 */
export async function runShardedDemo(
  options: DemoOptions & { readonly replicas: number },
  terminal: Terminal,
  controller: AbortController,
): Promise<void> {
  const { signal } = controller;
  terminal.heading(`kubeinformers demo: ${options.replicas} replicas split the pods`);
  const connection = await connectToCluster(options);
  terminal.line('cluster', connection.description);
  terminal.line(
    'timings',
    `lease ${timings.leaseDurationMs / 1000} s, renew deadline ${timings.renewDeadlineMs / 1000} s, retry ${timings.retryPeriodMs / 1000} s`,
  );
  const replicas: Replica[] = [];
  const transports: ReturnType<typeof kubeConfigTransport>[] = [];
  try {
    for (let index = 1; index <= options.replicas; index++) {
      const name = `replica-${index}`;
      const transport = kubeConfigTransport(connection.kubeConfig, { signal });
      transports.push(transport);
      const factory = createInformerFactory(transport, { pruneManagedFields: true, onError: () => {} });
      const members = factory.informerFor(leases, {
        namespace: 'default',
        labelSelector: `${memberOfLabel}=demo-pods`,
      });
      const podInformer = factory.informerFor(pods, { shardSelector: unownedShardSelector });
      let self: Replica | undefined;
      const ownership = new RangeOwnership({
        identity: name,
        leases: dying(
          createMemberLeaseClient(connection.kubeConfig, { namespace: 'default', memberOf: 'demo-pods' }),
          () => self,
        ),
        view: memberLeaseView(members),
        onError: (error) => {
          if (!(error instanceof LeaseConflictError) && !self?.dead)
            terminal.line(name, error.message, 'red');
        },
        ...timings,
      });
      const primary = new ShardedPrimary(podInformer, ownership);
      const size = (ranges: readonly { start: bigint; end: bigint }[]) =>
        ranges.reduce((sum, range) => sum + (range.end - range.start), 0n);
      const replica: Replica = {
        name,
        ownership,
        owned: () => podInformer.store.list().filter((pod) => ownership.owns(pod)).length,
        ready: () => size(primary.readyRanges) === size(ownership.ownedRanges),
        reconciled: 0,
        dead: false,
      };
      self = replica;
      replicas.push(replica);
      const podController = createController({
        name,
        primary,
        onError: () => {},
        reconcile: primary.reconcileOwned((key) => {
          const pod = podInformer.store.getByKey(key);
          if (pod === undefined || replica.dead) return;
          ownership.assertOwns(pod); // right before a write would go out
          replica.reconciled += 1;
        }),
      });
      factory.start(signal);
      void ownership.run(signal);
      void podController.run(signal).catch(() => {});
    }
    const show = () => {
      for (const replica of replicas) {
        const share = replica.ownership.ownedRanges.reduce(
          (sum, range) => sum + Number(range.end - range.start),
          0,
        );
        terminal.line(
          replica.name,
          `${replica.dead ? 'dead · ' : ''}owns ${((share / space) * 100).toFixed(1).padStart(5)} % of the uid space in ${replica.ownership.ownedRanges.length} ranges · ${replica.owned()} pods owned · ${replica.reconciled} reconciled`,
          replica.dead ? 'red' : 'cyan',
        );
      }
    };
    const covered = (alive: readonly Replica[]) =>
      alive.reduce(
        (sum, replica) =>
          sum + replica.ownership.ownedRanges.reduce((total, range) => total + (range.end - range.start), 0n),
        0n,
      ) ===
        1n << 64n && alive.every((replica) => replica.ownership.ownedRanges.length > 0 && replica.ready());
    const waitFor = async (condition: () => boolean, boundMs: number) => {
      const from = performance.now();
      while (!condition() && !signal.aborted && performance.now() - from < boundMs) await sleep(200);
      return performance.now() - from;
    };
    terminal.heading('1. The replicas join and split the hash space of metadata.uid');
    const joined = await waitFor(() => covered(replicas), 60_000);
    terminal.line('split', `in ${Math.round(joined)} ms`, 'green');
    await sleep(1500);
    show();
    const victim = replicas[1] ?? replicas[0];
    if (victim !== undefined && replicas.length > 1 && !signal.aborted) {
      terminal.heading(`2. ${victim.name} dies: its lease stops changing`);
      victim.dead = true;
      const alive = replicas.filter((replica) => replica !== victim);
      const tookOver = await waitFor(() => covered(alive), 60_000);
      terminal.line(
        'takeover',
        `the others own everything ${Math.round(tookOver)} ms later (lease ${timings.leaseDurationMs} ms + retry ${timings.retryPeriodMs} ms)`,
        'green',
      );
      await sleep(1500);
      show();
    }
    if (options.once) controller.abort();
    else {
      terminal.line('running', 'Ctrl-C to stop', 'dim');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
  } finally {
    controller.abort();
    await sleep(100);
    for (const transport of transports) await transport.close();
    await connection.close();
  }
}
