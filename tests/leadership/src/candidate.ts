// One replica of the README's "Controllers" example, as a real process (run with Node's type stripping by
// leadership.test.ts): leader election on a Lease with short timings, a controller whose reconcile reads
// its input from the API and writes an output ConfigMap through the guarded client. Everything it does
// that the test checks is visible on the server; it tells the parent only what the server cannot show
// (writes the guard refused), over IPC.
//
// argv: identity, kubeconfig file, onStop mode ('drain' | 'abandon').
import { readFileSync } from 'node:fs';
import { createController, createInformerFactory, LeaderElector } from '@kubeinformers/core';
import {
  configMaps,
  createLeaseLock,
  kubeConfigTransport,
  makeGuardedApiClient,
} from '@kubeinformers/k8s-client-adapter';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';

const [identity = 'candidate', kubeconfigFile = '', onStop = 'drain'] = process.argv.slice(2);
const tell = (message: object) => process.send?.(message);
const debug = (line: string) => {
  if (process.env.KI_LEADERSHIP_DEBUG)
    console.error(`${performance.timeOrigin + performance.now()} ${identity}: ${line}`);
};

const kubeConfig = new KubeConfig();
kubeConfig.loadFromString(readFileSync(kubeconfigFile, 'utf8'));
const stop = new AbortController();
process.on('SIGTERM', () => {
  debug('SIGTERM');
  stop.abort();
});
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }), {
  onError: () => {},
});
const inputs = factory.informerFor(configMaps, { namespace: 'default', labelSelector: 'role=input' });

const elector = new LeaderElector({
  lock: createLeaseLock(kubeConfig, { namespace: 'default', name: 'outputs-controller' }),
  identity,
  leaseDurationMs: 3000,
  renewDeadlineMs: 2000,
  retryPeriodMs: 500,
  onStartedLeading: (leading) => controller.run(leading),
  onNewLeader: (leader) => {
    debug(`sees leader ${leader}`);
    tell({ standing: true });
  },
  onError: (error) =>
    debug(`election: ${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}`),
});
// Writes on behalf of the leader: refused, never sent, once this replica no longer leads.
const core = makeGuardedApiClient(kubeConfig, CoreV1Api, elector);

const controller = createController({
  primary: inputs,
  workers: 2,
  onStop: onStop === 'abandon' ? 'abandon' : 'drain',
  async reconcile(key, { signal }) {
    const [namespace = 'default', name = ''] = key.split('/');
    // The input is read from the API: the await that a pause or a partition lands in.
    const input = await core.readNamespacedConfigMap({ name, namespace }).catch(notFound);
    if (input === undefined) return;
    signal.throwIfAborted(); // stopping, or leadership lost: write nothing more
    const body: V1ConfigMap = {
      metadata: { name: `out-${name}`, namespace, labels: { role: 'output' } },
      data: { value: input.data?.value ?? '', writer: identity },
    };
    await core
      .replaceNamespacedConfigMap({ name: `out-${name}`, namespace, body })
      .catch(async (error: unknown) => {
        if ((error as { code?: number }).code !== 404) throw error;
        await core.createNamespacedConfigMap({ namespace, body });
      });
  },
  onError: (error) => {
    // A write the guard refused surfaces as the reconcile's failure.
    if ((error.cause as { code?: string } | undefined)?.code === 'KI_LEADERSHIP_LOST') tell({ refused: 1 });
  },
});

function notFound(error: unknown): undefined {
  if ((error as { code?: number }).code === 404) return undefined;
  throw error;
}

factory.start(stop.signal);
// Like a controller whose pod restarts after it lost its lease: the test's supervisor starts it again.
await elector.run(stop.signal);
debug('election over');
stop.abort();
await factory.shutdown();
process.exit(0);
