import { createInformerFactory } from '@kubeinformers/core';
import { pods, replicaSets, services } from '@kubeinformers/k8s-client-adapter';
import { type ClusterConnection, connectToCluster } from './cluster-connection.js';
import { EventLog } from './event-log.js';
import { LiveChurn } from './live-churn.js';
import { showLookups } from './lookups.js';
import { type MetricsEndpoint, startMetricsEndpoint } from './metrics-endpoint.js';
import { observedTransport } from './observed-transport.js';
import type { DemoOptions } from './options.js';
import { type PodsPerNodeController, startPodsPerNodeController } from './pods-per-node-controller.js';
import { type SyncingInformer, SyncProgress } from './sync-progress.js';
import type { Terminal } from './terminal.js';

/** The walkthrough's resync period. Resync replays the cache to the handlers; it never relists. */
const resyncPeriodMs = 10 * 60_000;
/** How often the embedded cluster changes after the scripted round, until Ctrl-C. */
const churnIntervalMs = 2_000;

/** An informer of the walkthrough under its resource name, as the progress line and the summary show it. */
type NamedInformer = readonly [name: string, informer: SyncingInformer];

/**
 * The walkthrough: connect, create a factory and three informers with a `byIP` index, start them and
 * wait for their sync with visible progress, look objects up, then show live changes and recoveries.
 * With `once`, prints a summary and aborts `controller` itself; otherwise runs until something else
 * aborts it (Ctrl-C). Either way everything it started is released before it returns.
 */
export async function runDemo(
  options: DemoOptions,
  terminal: Terminal,
  controller: AbortController,
): Promise<void> {
  const { signal } = controller;
  terminal.heading('kubeinformers demo');
  const connection = await connectToCluster(options);
  let endpoint: MetricsEndpoint;
  try {
    endpoint = await startMetricsEndpoint(options.metricsPort);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const log = new EventLog(terminal);
  const factory = createInformerFactory(observedTransport(connection.transport, log.onRequest), {
    resyncPeriodMs,
    reflectorMetrics: endpoint.metrics.reflectorMetrics,
    // What controllers should use: managedFields are cut from the response text before the parse.
    pruneManagedFields: true,
    onError: log.onError,
  });
  let podsPerNode: PodsPerNodeController | undefined;
  try {
    signal.throwIfAborted(); // Ctrl-C while connecting
    terminal.line('cluster', connection.description);

    terminal.heading('1. A factory and three shared informers');
    terminal.line(
      'factory',
      `createInformerFactory(kubeConfigTransport(kubeConfig), { resyncPeriodMs: ${resyncPeriodMs}, pruneManagedFields: true })`,
    );
    const progress = new SyncProgress(terminal);
    const podInformer = factory.informerFor(pods, {
      indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
      onListProgress: progress.reporter('pods'),
    });
    const replicaSetInformer = factory.informerFor(replicaSets, {
      onListProgress: progress.reporter('replicasets'),
    });
    const serviceInformer = factory.informerFor(services, { onListProgress: progress.reporter('services') });
    terminal.line('informers', "pods (index 'byIP' over status.podIPs), replicasets, services");
    podInformer.addEventHandler(log.handlerFor('pods', 'pod'));
    replicaSetInformer.addEventHandler(log.handlerFor('replicasets', 'replicaset'));
    serviceInformer.addEventHandler(log.handlerFor('services', 'service'));
    const informers: readonly NamedInformer[] = [
      ['pods', podInformer],
      ['replicasets', replicaSetInformer],
      ['services', serviceInformer],
    ];
    endpoint.metrics.observeInformer('pods', podInformer);
    endpoint.metrics.observeInformer('replicasets', replicaSetInformer);
    endpoint.metrics.observeInformer('services', serviceInformer);
    terminal.line('metrics', `${endpoint.url}: Prometheus, through the OpenTelemetry SDK`);

    terminal.heading('2. Start, and wait for the caches to sync');
    const startedAt = performance.now();
    factory.start(signal);
    await progress.wait(new Map(informers), () => factory.waitForCacheSync(signal));
    for (const [name] of informers) {
      const omitted = log.initialLinesOmitted(name);
      if (omitted > 0)
        terminal.line(name, terminal.paint('dim', `… and ${omitted} more ADDED from the initial list`));
    }
    terminal.line(
      'synced',
      `in ${Math.round(performance.now() - startedAt)} ms: ${informers.map(([name, informer]) => `${name} ${informer.store.size}`).join(' · ')}`,
      'green',
    );

    terminal.heading('3. Lookups from the cache (synchronous, no request)');
    showLookups({ pods: podInformer, replicaSets: replicaSetInformer, services: serviceInformer }, terminal);

    terminal.heading('4. A controller under leader election');
    const server = connection.embeddedServer;
    if (server === undefined) {
      terminal.line(
        'read-only',
        'the controller writes ConfigMaps, so it runs on the embedded server only',
        'yellow',
      );
    } else {
      // The first ConfigMap writes fail: the controller retries them through its rate limiter.
      server.faults.failNextRequests({
        verb: ['create', 'update'],
        path: '/configmaps',
        status: 500,
        count: 3,
      });
      terminal.line('faults', 'the next 3 ConfigMap writes answer 500 Internal Server Error', 'yellow');
      podsPerNode = startPodsPerNodeController({
        factory,
        podInformer,
        kubeConfig: connection.kubeConfig,
        identity: 'demo-1',
        terminal,
        signal,
        metrics: endpoint.metrics,
      });
      await podsPerNode.converged(signal);
      terminal.line('controller', 'every node has a ConfigMap listing its pods', 'green');
    }

    terminal.heading('5. Live changes and recoveries');
    if (!options.once) terminal.line('watching', 'for changes; press Ctrl-C to stop', 'green');
    await showLiveChanges(connection, log, terminal, options, signal);

    if (options.once) {
      if (podsPerNode !== undefined) {
        await podsPerNode.converged(signal);
        terminal.line('controller', 'the ConfigMaps followed the live changes', 'green');
      }
      printSummary(informers, log, terminal);
      controller.abort();
    } else {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } catch (error) {
    // Once Ctrl-C aborted the signal, whatever was awaited rejects (with the signal's reason, or as a
    // stopped informer): that is a normal stop.
    if (!signal.aborted) throw error;
  } finally {
    if (!signal.aborted) controller.abort();
    await podsPerNode?.stopped;
    await factory.shutdown();
    await connection.close();
    await endpoint.close();
    terminal.line('stopped', 'informers, watches, connections and timers released', 'green');
  }
}

async function showLiveChanges(
  connection: ClusterConnection,
  log: EventLog,
  terminal: Terminal,
  options: DemoOptions,
  signal: AbortSignal,
): Promise<void> {
  const server = connection.embeddedServer;
  if (server === undefined) {
    terminal.line(
      'read-only',
      'a real cluster is never changed: its own events appear as they happen',
      'yellow',
    );
    return;
  }
  const churn = new LiveChurn(server, log, terminal, signal);
  await churn.playScript();
  if (!options.once) await churn.keepChanging(churnIntervalMs);
}

function printSummary(informers: readonly NamedInformer[], log: EventLog, terminal: Terminal): void {
  terminal.heading('Summary');
  for (const [name, informer] of informers) {
    const counts = log.counts.get(name);
    terminal.line(
      name,
      `${informer.store.size} objects · events: ${counts?.added ?? 0} added, ${counts?.updated ?? 0} updated, ${counts?.deleted ?? 0} deleted`,
    );
  }
  const { rewatches, relists, errors } = log.recoveries;
  const errorList = [...errors].map(([code, count]) => `${code} ×${count}`).join(', ');
  terminal.line(
    'recoveries',
    `${rewatches} rewatches, ${relists} relists, ${[...errors.values()].reduce((sum, count) => sum + count, 0)} errors survived${errorList === '' ? '' : ` (${errorList})`}`,
  );
}
