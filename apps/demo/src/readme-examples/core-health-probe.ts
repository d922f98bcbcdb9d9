// The core README's liveness sample: readiness and liveness endpoints from the factory's health.
import { createServer } from 'node:http';
import { createInformerFactory, type Transport } from '@kubeinformers/core';

declare const transport: Transport;
const factory = createInformerFactory(transport);
// … informerFor(…), factory.start(signal)

createServer((request, response) => {
  const health = factory.health();
  const live = Object.values(health.informers).every(
    (informer) =>
      informer.consecutiveFailures < 5 || performance.now() - (informer.lastActivityAt ?? 0) < 5 * 60_000,
  );
  const ok = request.url === '/readyz' ? health.ready : live;
  response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  response.end(JSON.stringify(health.informers));
}).listen(8080);
