#!/usr/bin/env node
// `pnpm dashboard`: serves the dashboard with Vite against an embedded fake cluster (with churn and
// faults), or, with --kubeconfig, against a real cluster through a local read-only proxy.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer, generatePods, podFixture } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { createServer } from 'vite';
import { startClusterActivity } from './cluster-activity.mjs';
import { startReadOnlyProxy } from './read-only-proxy.mjs';

const usage = `Usage: pnpm dashboard [-- options]

Options:
  --kubeconfig <file>   a real cluster (read-only, through a local proxy) instead of the fake one
  --context <name>      the kubeconfig context (default: its current one)
  --port <n>            the page's port (default 5173)
  --pods <n>            extra pods in namespace "bulk" of the fake cluster (default 0)
  --watch <channel>     fetch (default) or websocket
  --quiet-faults        no dropped watches in the fake cluster
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
let apiUrl;
if (values.kubeconfig === undefined) {
  // Informers stay `recovering` after a fault until they make progress; quiet ones (nodes) prove it
  // with a bookmark, so a short interval keeps the indicator's recovery visible within seconds.
  const fake = await FakeApiServer.start({ seed: 'demo', cors: true, bookmarkIntervalMs: 2_000 });
  const extra = Number(values.pods);
  if (extra > 0) generatePods(fake.store, { count: extra, namespace: 'bulk' });
  startClusterActivity(fake, {
    signal: controller.signal,
    podFixture,
    faultEveryMs: values['quiet-faults'] ? 2 ** 31 - 1 : 20_000,
  });
  closers.push(() => fake.close());
  apiUrl = fake.url;
  console.log(`fake cluster at ${fake.url} (CORS on; churn every 500 ms; watches dropped every 20 s)`);
} else {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(values.kubeconfig);
  if (values.context !== undefined) kubeConfig.setCurrentContext(values.context);
  const transport = kubeConfigTransport(kubeConfig, { signal: controller.signal });
  const proxy = await startReadOnlyProxy(transport);
  closers.push(() => proxy.close());
  apiUrl = proxy.url;
  console.log(`read-only proxy to ${kubeConfig.getCurrentCluster()?.server} at ${proxy.url}`);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = await createServer({
  root,
  configFile: join(root, 'vite.config.ts'),
  server: { host: '127.0.0.1', port: Number(values.port) },
});
await vite.listen();
closers.push(() => vite.close());
const address = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${values.port}/`;
console.log(`dashboard: ${address}?api=${encodeURIComponent(apiUrl)}&watch=${values.watch}`);

const stop = async () => {
  controller.abort();
  for (const close of closers.reverse()) await close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
