#!/usr/bin/env node
// Measures the simulated cluster at scale: a server with `simulate` and 500 nodes, 500 Deployments of
// 100 replicas (50,000 pods) created at once, timed until every Deployment reports all replicas
// available (scheduled, started, ready). Then 200 pod deletions per second for a while, as churn: the
// ReplicaSet controller, scheduler and kubelets must keep up, so the number of pods not ready stays
// bounded (about rate × startup time) instead of growing, and all Deployments are whole again soon
// after. One HTTP watch of all pods runs throughout, as an informer would. Run after `pnpm build`:
//   node scripts/measure-simulation.mjs [nodes] [pods] [deletionsPerSecond] [churnSeconds]
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FakeApiServer } from '../dist/index.js';

const nodes = Number(process.argv[2] ?? 500);
const pods = Number(process.argv[3] ?? 50_000);
const rate = Number(process.argv[4] ?? 200);
const churnSeconds = Number(process.argv[5] ?? 20);
const replicas = 100;
const deployments = Math.ceil(pods / replicas);
const podStartupMs = 1_000;

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value, digits = 1) => Number(value.toFixed(digits));

// The watcher must not be cut off for falling behind during the 250,000-event start (the default
// backlog limit is 100,000 events).
const server = await FakeApiServer.start({
  simulate: { nodes, podStartupMs },
  watchBacklogLimit: 10_000_000,
});
const { store } = server;

// One watch of every pod, counted line by line.
let watchEvents = 0;
let watchEnded = false;
const watch = request(
  `${server.url}/api/v1/pods?watch=1&resourceVersion=${server.resourceVersion}`,
  (response) => {
    response.on('data', (chunk) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) watchEvents += 1;
    });
    response.on('end', () => {
      watchEnded = true;
    });
  },
);
watch.on('error', () => {});
watch.end();
await sleep(200);

const deploymentsAvailable = () => {
  let whole = 0;
  for (const deployment of store.list('deployments.apps')) {
    if (deployment.status?.availableReplicas === replicas && deployment.status?.replicas === replicas)
      whole += 1;
  }
  return whole;
};

const startWall = performance.now();
const startCpu = cpu();
for (let index = 0; index < deployments; index += 1) {
  const app = `app-${index}`;
  store.create('deployments.apps', {
    metadata: { name: app, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [
            { name: 'main', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
          ],
        },
      },
    },
  });
}
const deadline = performance.now() + 300_000;
for (let ready = deploymentsAvailable(); ready < deployments; ready = deploymentsAvailable()) {
  if (performance.now() > deadline)
    throw new Error(`only ${ready}/${deployments} deployments available after 300 s`);
  await sleep(250);
}
const startup = {
  seconds: round((performance.now() - startWall) / 1000, 2),
  cpuSeconds: round(cpu() - startCpu, 2),
  pods: store.count('pods'),
  loadAverage: loadavg().map((value) => round(value, 2)),
};
console.log(JSON.stringify({ phase: 'startup', nodes, deployments, ...startup }));

// Churn: `rate` pod deletions per second (force deletes, as an eviction storm would be), in ~20 ms ticks.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const names = store.list('pods').map((pod) => pod.metadata.name);
const churnWall = performance.now();
const churnCpu = cpu();
const watchBefore = watchEvents;
let deleted = 0;
let maxNotReady = 0;
const notReadySamples = [];
const tickMs = 20;
let owed = 0;
// Paced by elapsed time, not ticks: a busy event loop must not lower the rate asked for.
let previous = performance.now();
let lastSample = 0;
while (performance.now() - churnWall < churnSeconds * 1000) {
  const now = performance.now();
  owed += (rate * (now - previous)) / 1000;
  previous = now;
  while (owed >= 1 && names.length > 0) {
    owed -= 1;
    // A pod of the start, picked at random and forgotten (its replacement has another name).
    const index = Math.floor(Math.random() * names.length);
    const [name] = names.splice(index, 1);
    store.delete('pods', `default/${name}`, { gracePeriodSeconds: 0 });
    deleted += 1;
  }
  if (now - lastSample >= 500) {
    lastSample = now;
    const notReady = pods - store.count('pods', { fieldSelector: 'status.phase=Running' });
    maxNotReady = Math.max(maxNotReady, notReady);
    notReadySamples.push(notReady);
  }
  await sleep(tickMs);
}
const churnElapsed = (performance.now() - churnWall) / 1000;
const recoverStart = performance.now();
while (deploymentsAvailable() < deployments) {
  if (performance.now() - recoverStart > 60_000)
    throw new Error('deployments not whole 60 s after the churn');
  await sleep(100);
}
delay.disable();
console.log(
  JSON.stringify({
    phase: 'churn',
    targetDeletionsPerSecond: rate,
    achievedDeletionsPerSecond: round(deleted / churnElapsed),
    seconds: round(churnElapsed, 2),
    cpuSeconds: round(cpu() - churnCpu, 2),
    maxPodsNotRunning: maxNotReady,
    podsNotRunningSamples: notReadySamples,
    wholeAgainSecondsAfterChurn: round((performance.now() - recoverStart) / 1000, 2),
    watchEnded,
    watchEventsPerSecond: round((watchEvents - watchBefore) / ((performance.now() - churnWall) / 1000)),
    eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6, 1),
    loadAverage: loadavg().map((value) => round(value, 2)),
  }),
);
console.log(JSON.stringify({ simulationErrors: server.simulation.errors.length }));
watch.destroy();
await server.close();
