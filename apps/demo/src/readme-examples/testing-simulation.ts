import { ManualClock } from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';

const deployment = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 100,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
  },
};

const clock = new ManualClock();
const server = await FakeApiServer.start({ clock, simulate: { nodes: 10 } });
server.store.create('deployments.apps', deployment); // 100 replicas
for (let step = 0; step < 60; step += 1) clock.advance(1_000); // scheduled, started, ready: rolled out
server.simulation?.failNode('sim-node-3'); // NotReady; its pods Unknown, evicted after 300 s, replaced

await server.close();
