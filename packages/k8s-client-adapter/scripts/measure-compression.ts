// What gzip costs a client on a large list: serves one PodList over loopback, plain and gzipped at the
// API server's level (1, BestSpeed, for responses over 128 KiB), and measures the client's wall and CPU
// time to stream the body through the transport. Loopback has no bandwidth limit, so this isolates the
// decompression cost; on a real network the smaller transfer is what compression buys.
// Run after a build: node scripts/measure-compression.ts [pods]

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigTransport } from '../dist/index.js';

const podCount = Number(process.argv[2] ?? 10_000);
const rounds = 7;

function pod(index: number): object {
  const name = `web-${index.toString(36)}-${(index * 7919).toString(36)}`;
  return {
    metadata: {
      name,
      namespace: `team-${index % 40}`,
      uid: randomUUID(),
      resourceVersion: String(100_000 + index),
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '5d8f7c9b6', tier: 'frontend' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7c9b6', uid: 'r', controller: true },
      ],
    },
    spec: {
      nodeName: `node-${index % 200}`,
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:1.27.3',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
        },
      ],
      serviceAccountName: 'default',
      restartPolicy: 'Always',
    },
    status: {
      phase: 'Running',
      podIP: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
      hostIP: `192.168.${(index % 200) >> 8}.${index % 200}`,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2025-01-01T00:00:05Z',
      })),
      // Digests and IDs are random hex in real pods too: they are what keeps real lists from compressing
      // as well as synthetic ones would.
      containerStatuses: [
        {
          name: 'web',
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/web:1.27.3',
          imageID: `registry.example.com/web@sha256:${randomBytes(32).toString('hex')}`,
          containerID: `containerd://${randomBytes(32).toString('hex')}`,
          state: { running: { startedAt: '2025-01-01T00:00:04Z' } },
        },
      ],
    },
  };
}

const plain = Buffer.from(
  JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '200000' },
    items: Array.from({ length: podCount }, (_, index) => pod(index)),
  }),
);
const gzipped = gzipSync(plain, { level: 1 });

const server = createServer((request, response) => {
  const gzip = request.headers['accept-encoding']?.includes('gzip') === true;
  response.writeHead(200, gzip ? { 'content-encoding': 'gzip' } : {});
  response.end(gzip ? gzipped : plain);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [
    { name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
  ],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
  currentContext: 'c',
});

async function measure(compression: boolean): Promise<{ wallMs: number; cpuMs: number }> {
  const transport = kubeConfigTransport(kubeConfig, { compression });
  const results: { wallMs: number; cpuMs: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const response = await transport.request({ path: '/api/v1/pods', signal: AbortSignal.timeout(60_000) });
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.byteLength;
    if (bytes !== plain.byteLength) throw new Error(`read ${bytes} bytes, expected ${plain.byteLength}`);
    const used = process.cpuUsage(cpu);
    results.push({ wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 });
  }
  await transport.close();
  // The median round; the first warms up the connection and JIT.
  const sorted = results.slice(1).sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const off = await measure(false);
const on = await measure(true);
const megabytes = plain.byteLength / 1e6;
console.log(
  `${podCount} pods: ${megabytes.toFixed(1)} MB plain, ${(gzipped.byteLength / 1e6).toFixed(1)} MB gzip level 1`,
);
console.log(`plain: ${off.wallMs.toFixed(1)} ms wall, ${off.cpuMs.toFixed(1)} ms CPU (server included)`);
console.log(`gzip:  ${on.wallMs.toFixed(1)} ms wall, ${on.cpuMs.toFixed(1)} ms CPU (server included)`);
const parseStart = performance.now();
JSON.parse(plain.toString());
console.log(`for scale, JSON.parse of the list: ${(performance.now() - parseStart).toFixed(1)} ms`);
console.log(`decompression: +${((on.cpuMs - off.cpuMs) / megabytes).toFixed(2)} ms CPU per decoded MB`);
server.close();
