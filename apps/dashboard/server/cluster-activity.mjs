// Keeps the embedded fake cluster moving so the dashboard has something to show: pod status changes,
// pods created and deleted, and now and then dropped watches that the page must recover from.

const phases = ['Running', 'Running', 'Running', 'Pending', 'Failed'];

/**
 * Starts churn and faults on `server` until `signal` aborts: every `tickMs` a pod's phase or restart count
 * changes; every 6 ticks a pod is created in `shop` (the oldest such pod is deleted past 5); every
 * `faultEveryMs` the next two watch requests fail with 503 and every open watch is dropped, so the page
 * shows recovering, then healthy after core's backoff.
 */
export function startClusterActivity(
  server,
  { signal, tickMs = 500, faultEveryMs = 20_000, podFixture, random = Math.random },
) {
  const created = [];
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    const keys = server.store.list('pods').map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`);
    const key = keys[Math.floor(random() * keys.length)];
    if (key !== undefined) {
      server.store.mutate('pods', key, (pod) => {
        const phase = phases[Math.floor(random() * phases.length)];
        pod.status.phase = phase;
        for (const status of pod.status.containerStatuses ?? []) {
          status.ready = phase === 'Running';
          if (phase === 'Failed') status.restartCount = (status.restartCount ?? 0) + 1;
        }
      });
    }
    if (tick % 6 === 0) {
      const name = `batch-${tick}`;
      server.store.create(
        'pods',
        podFixture({
          name,
          namespace: 'shop',
          app: 'batch',
          nodeName: 'node-1',
          podIP: `10.244.9.${tick % 250}`,
        }),
      );
      created.push(`shop/${name}`);
      if (created.length > 5) server.store.delete('pods', created.shift());
    }
  }, tickMs);
  const faults = setInterval(() => {
    server.faults.failNextRequests({ verb: 'watch', count: 2, status: 503 });
    server.faults.closeWatches({ abrupt: true });
  }, faultEveryMs);
  signal.addEventListener(
    'abort',
    () => {
      clearInterval(timer);
      clearInterval(faults);
    },
    { once: true },
  );
}
