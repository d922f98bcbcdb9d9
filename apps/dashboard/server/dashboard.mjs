#!/usr/bin/env node
// `pnpm dashboard`: serves the dashboard's production build and, on the same origin under /k8s, an
// embedded fake cluster (with churn and faults) or, with --kubeconfig, a real cluster; both read-only.
// `pnpm dashboard:dev` (--dev) serves the page through Vite's dev server instead.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';
import { startPageServer } from './page-server.mjs';
import { createReadOnlyProxy } from './read-only-proxy.mjs';

const usage = `Usage: pnpm dashboard [-- options]

Options:
  --kubeconfig <file>   a real cluster (read-only) instead of the embedded fake one
  --context <name>      the kubeconfig context (default: its current one)
  --port <n>            the page's port (default 5173)
  --pods <n>            extra pods in namespace "bulk" of the fake cluster (default 0)
  --watch <channel>     fetch (default) or websocket
  --quiet-faults        no dropped watches in the fake cluster
  --dev                 Vite's dev server instead of the production build (pnpm dashboard:dev)
`;

// `pnpm dashboard -- --flag` hands the script a leading `--`, which would end option parsing.
const argumentsGiven = process.argv.slice(2);
if (argumentsGiven[0] === '--') argumentsGiven.shift();
const { values } = parseArgs({
  args: argumentsGiven,
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    port: { type: 'string', default: '5173' },
    pods: { type: 'string', default: '0' },
    watch: { type: 'string', default: 'fetch' },
    'quiet-faults': { type: 'boolean', default: false },
    dev: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
if (values.watch !== 'fetch' && values.watch !== 'websocket')
  throw new Error('--watch must be fetch or websocket');

const controller = new AbortController();
const closers = [];
const kubeConfig = new KubeConfig();
if (values.kubeconfig === undefined) {
  // Loaded only for the embedded cluster: a real one never needs the fake server.
  const [{ FakeApiServer, generatePods, podFixture }, { startClusterActivity }] = await Promise.all([
    import('@kubeinformers/testing'),
    import('./cluster-activity.mjs'),
  ]);
  // The API server's bookmark minute (the fake's default): core counts a quiet informer (nodes) healthy
  // once the server accepts its rewatch, so the indicator needs no faster bookmarks to recover.
  const fake = await FakeApiServer.start({ seed: 'demo' });
  // Listed once, while the cluster holds only the small seed; the bulk pods' keys come from generatePods.
  const podKeys = fake.store.list('pods').map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`);
  const extra = Number(values.pods);
  if (extra > 0) podKeys.push(...generatePods(fake.store, { count: extra, namespace: 'bulk' }));
  startClusterActivity(fake, {
    signal: controller.signal,
    podKeys,
    podFixture,
    faultEveryMs: values['quiet-faults'] ? 2 ** 31 - 1 : 20_000,
  });
  closers.push(() => fake.close());
  kubeConfig.loadFromString(fake.kubeconfig());
  console.log(
    `embedded fake cluster (churn every 500 ms; watches dropped every 20 s): ${podKeys.length} pods`,
  );
} else {
  kubeConfig.loadFromFile(values.kubeconfig);
  if (values.context !== undefined) kubeConfig.setCurrentContext(values.context);
  console.log(`cluster ${kubeConfig.getCurrentCluster()?.server}, read-only`);
}
const transport = kubeConfigTransport(kubeConfig, { signal: controller.signal });
const api = createReadOnlyProxy({ transport, kubeConfig });
closers.push(() => api.close());

const page = await startPageServer({
  root: join(dirname(fileURLToPath(import.meta.url)), '..'),
  dev: values.dev,
  host: '127.0.0.1',
  port: Number(values.port),
  api,
});
closers.push(() => page.close());
console.log(`dashboard: ${page.url}${values.watch === 'websocket' ? '?watch=websocket' : ''}`);

const stop = async () => {
  controller.abort();
  for (const close of closers.reverse()) await close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
