// Keeps the embedded fake cluster moving so the dashboard has something to show: pod status changes,
// pods created and deleted, and now and then dropped watches that the page must recover from.

const phases = ['Running', 'Running', 'Running', 'Pending', 'Failed'];

/**
 * Starts churn and faults on `server` until `signal` aborts: every `tickMs` a pod's phase or restart count
 * changes; every 6 ticks a pod is created in `shop` (the oldest such pod is deleted past 5); every
 * `faultEveryMs` the next two watch requests fail with 503 and every open watch is dropped, so the page
 * shows recovering, then healthy after core's backoff.
 *
 * `podKeys` are the pods that exist at the start (`namespace/name`); the activity keeps that list itself as
 * it creates and deletes, because listing the store copies every pod, which at 10,000 pods costs
 * hundreds of milliseconds a tick. Nothing else writes to the embedded cluster.
 */
export function startClusterActivity(
  server,
  { signal, podKeys, tickMs = 500, faultEveryMs = 20_000, podFixture, random = Math.random },
) {
  const keys = [...podKeys];
  const created = [];
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
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
      keys.push(`shop/${name}`);
      if (created.length > 5) {
        const oldest = created.shift();
        server.store.delete('pods', oldest);
        // Swap-remove: the order of `keys` does not matter, only that a random pick is cheap.
        const at = keys.lastIndexOf(oldest);
        keys[at] = keys[keys.length - 1];
        keys.pop();
      }
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
