import { createInformerFactory, type InformerFactory } from '@kubeinformers/core';
import { configMaps, kubeConfigTransport, leases } from '@kubeinformers/k8s-client-adapter';
import type { KubeConfig } from '@kubernetes/client-node';

interface LeaseEntry {
  readonly resourceVersion: number;
  readonly holder: string;
  readonly receivedAt: number;
}

interface WriteEntry {
  readonly resourceVersion: number;
  readonly writer: string;
  readonly name: string;
}

/**
 * Every committed Lease change and output write, from watches of the test's own (never faulted)
 * connection. The fake server hands out one resourceVersion counter across resources, so ordering both
 * by it says who held the lease when each write committed, with no clock compared.
 */
export class WriteLedger {
  readonly leaseChanges: LeaseEntry[] = [];
  readonly writes: WriteEntry[] = [];
  private readonly stop = new AbortController();
  private readonly factory: InformerFactory;

  constructor(kubeConfig: KubeConfig, leaseName: string) {
    this.factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: this.stop.signal }), {
      onError: () => {},
    });
    const leaseInformer = this.factory.informerFor(leases, {
      namespace: 'default',
      fieldSelector: `metadata.name=${leaseName}`,
    });
    const recordLease = (lease: {
      metadata?: { resourceVersion?: string };
      spec?: { holderIdentity?: string };
    }) => {
      this.leaseChanges.push({
        resourceVersion: Number(lease.metadata?.resourceVersion),
        holder: lease.spec?.holderIdentity ?? '',
        receivedAt: performance.now(),
      });
    };
    leaseInformer.addEventHandler({ onAdd: recordLease, onUpdate: (_, lease) => recordLease(lease) });
    const outputs = this.factory.informerFor(configMaps, {
      namespace: 'default',
      labelSelector: 'role=output',
    });
    const recordWrite = (output: {
      metadata?: { resourceVersion?: string; name?: string };
      data?: Record<string, string>;
    }) => {
      this.writes.push({
        resourceVersion: Number(output.metadata?.resourceVersion),
        writer: output.data?.writer ?? '',
        name: output.metadata?.name ?? '',
      });
    };
    outputs.addEventHandler({ onAdd: recordWrite, onUpdate: (_, output) => recordWrite(output) });
  }

  async start(): Promise<void> {
    this.factory.start(this.stop.signal);
    await this.factory.waitForCacheSync(AbortSignal.timeout(10_000));
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.factory.shutdown();
  }

  /** The holder the lease names now, as last seen; `''` when released or before it exists. */
  get holder(): string {
    return this.leaseChanges.at(-1)?.holder ?? '';
  }

  /** Milliseconds from `since` until the lease first named a holder other than `previous` (and not ''). */
  takeoverAfter(since: number, previous: string): number | undefined {
    const entry = this.leaseChanges.find(
      (change) => change.receivedAt >= since && change.holder !== '' && change.holder !== previous,
    );
    return entry === undefined ? undefined : entry.receivedAt - since;
  }

  /** Writes committed while the lease named someone else than their writer (or no one). */
  writesByNonHolders(): string[] {
    const events = [
      ...this.leaseChanges.map((change) => ({ ...change, kind: 'lease' as const })),
      ...this.writes.map((write) => ({ ...write, kind: 'write' as const })),
    ].sort((a, b) => a.resourceVersion - b.resourceVersion);
    let holder = '';
    const violations: string[] = [];
    for (const event of events) {
      if (event.kind === 'lease') holder = event.holder;
      else if (event.writer !== holder) {
        violations.push(
          `rv ${event.resourceVersion}: ${event.writer} wrote ${event.name} while the lease named ${JSON.stringify(holder)}`,
        );
      }
    }
    return violations;
  }
}
