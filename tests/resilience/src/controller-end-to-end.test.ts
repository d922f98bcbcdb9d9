import {
  byLabel,
  createBackoffPolicy,
  createController,
  createDefaultControllerRateLimiter,
  createInformerFactory,
  type KubeInformersError,
  ReconcileError,
  systemClock,
} from '@kubeinformers/core';
import { configMaps, kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer, podFixture, SeededRandom } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, expect, it, vi } from 'vitest';

// The controller end to end: the official client's transport, real HTTPS to the fake API server, churn
// with faults, a reconcile that fails now and then. `pnpm test:controller` runs it with 10⁵ changes.

const environment = process.env;
const changes = Number(environment.KI_CONTROLLER_CHANGES ?? 10_000);
const seed = Number(environment.KI_CONTROLLER_SEED ?? Date.now() % 1_000_000);
const podLabel = 'example.com/pod';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it(
  `reconciles every object's final state after ${changes} changes with faults, never one key twice at once (seed ${seed})`,
  async () => {
    console.log(`controller end-to-end seed: ${seed} (replay with KI_CONTROLLER_SEED=${seed})`);
    const random = new SeededRandom(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random.next() * values.length)] as T;
    const server = await FakeApiServer.start({});
    const stop = new AbortController();
    cleanup = async () => {
      stop.abort();
      await server.close();
    };
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeconfig());
    const errors: KubeInformersError[] = [];
    const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }), {
      backoff: createBackoffPolicy({ initialDelayMs: 10, maxDelayMs: 100 }),
      onError: (error) => errors.push(error),
    });
    const podInformer = factory.informerFor(pods);
    const configMapInformer = factory.informerFor(configMaps);

    const active = new Set<string>();
    let overlaps = 0;
    let reconciles = 0;
    const reconcileErrors: unknown[] = [];
    /** Per pod key, what the last successful reconcile saw: the pod's and its ConfigMap's versions. */
    const seen = new Map<string, string>();
    const observed = (key: string) =>
      `${podInformer.store.getByKey(key)?.metadata?.resourceVersion ?? 'gone'}|${
        configMapInformer.store.getByKey(key)?.metadata?.resourceVersion ?? 'gone'
      }`;
    const controller = createController({
      name: 'pods',
      primary: podInformer,
      secondaries: [{ informer: configMapInformer, toPrimaryKeys: byLabel(podLabel) }],
      workers: 8,
      // Fast retries so a run takes seconds; the default schedule is the work queue's own test.
      rateLimiter: createDefaultControllerRateLimiter(systemClock, {
        itemExponential: { baseDelayMs: 1, maxDelayMs: 50 },
        tokenBucket: { qps: 2000, burst: 200 },
      }),
      reconcile: async (key) => {
        if (active.has(key)) overlaps++;
        active.add(key);
        reconciles++;
        try {
          const state = observed(key);
          await new Promise((resolve) => setImmediate(resolve));
          if (random.next() < 0.08) throw new Error('transient failure');
          seen.set(key, state);
        } finally {
          active.delete(key);
        }
      },
      onError: (error) => reconcileErrors.push(error),
    });
    // An object created and deleted while an informer was reconnecting is never seen by anyone (the
    // relist finds neither), so only keys the informers announced are owed a reconcile.
    const announced = new Set<string>();
    const announce = (object: { metadata?: { namespace?: string; name?: string } }) => {
      announced.add(`${object.metadata?.namespace}/${object.metadata?.name}`);
    };
    for (const informer of [podInformer, configMapInformer]) {
      informer.addEventHandler({
        onAdd: announce,
        onUpdate: (_, object) => announce(object),
        onDelete: announce,
      });
    }
    const running = controller.run(stop.signal);
    factory.start(stop.signal);

    const names = Array.from({ length: 250 }, (_, index) => `pod-${index}`);
    const namespaces = ['default', 'team-a', 'team-b'];
    for (const namespace of namespaces.slice(1)) {
      server.store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    }
    const everKeys = new Set<string>();
    let made = 0;
    let deletes = 0;
    for (let batch = 0; made < changes; batch++) {
      for (let index = 0; index < 200 && made < changes; index++) {
        const namespace = pick(namespaces);
        const name = pick(names);
        const key = `${namespace}/${name}`;
        const pod = server.store.get(pods, key);
        const roll = random.next();
        if (pod === undefined) {
          server.store.create(pods, podFixture({ name, namespace, phase: 'Pending' }));
          everKeys.add(key);
        } else if (roll < 0.45) {
          server.store.patch(pods, key, { metadata: { labels: { step: String(made) } } });
        } else if (roll < 0.75) {
          const configMap = server.store.get(configMaps, key);
          if (configMap === undefined) {
            server.store.create(configMaps, {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name, namespace, labels: { [podLabel]: name } },
              data: { step: String(made) },
            });
          } else if (roll < 0.65) {
            server.store.patch(configMaps, key, { data: { step: String(made) } });
          } else {
            server.store.delete(configMaps, key);
          }
        } else {
          server.store.delete(pods, key);
          deletes++;
        }
        made++;
      }
      // A fault every few batches: the informers must recover and the controller must not care.
      switch (batch % 10) {
        case 2:
          server.faults.closeWatches({ abrupt: random.next() < 0.5 });
          break;
        case 5:
          server.faults.compact();
          server.faults.closeWatches();
          break;
        case 7:
          server.faults.failNextRequests({ verb: ['list', 'watch'], status: 500, count: 3 });
          server.faults.closeWatches();
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(made).toBeGreaterThanOrEqual(changes);

    const truth = (key: string) =>
      `${server.store.get(pods, key)?.metadata?.resourceVersion ?? 'gone'}|${
        server.store.get(configMaps, key)?.metadata?.resourceVersion ?? 'gone'
      }`;
    await vi.waitFor(
      () => {
        const behind = [...everKeys].filter((key) =>
          announced.has(key) ? seen.get(key) !== truth(key) : truth(key) !== 'gone|gone',
        );
        const detail = behind
          .slice(0, 5)
          .map(
            (key) => `${key}: truth ${truth(key)}, informers ${observed(key)}, reconciled ${seen.get(key)}`,
          );
        expect(behind, `final states not reconciled: ${detail.join('; ')}`).toEqual([]);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(overlaps).toBe(0);
    expect(deletes).toBeGreaterThan(100);
    expect([...everKeys].some((key) => seen.get(key)?.startsWith('gone|'))).toBe(true);
    expect(reconcileErrors.length).toBeGreaterThan(0);
    expect(reconcileErrors.every((error) => error instanceof ReconcileError)).toBe(true);
    expect(reconcileErrors[0]).toMatchObject({ code: 'KI_RECONCILE_FAILED', controllerName: 'pods' });
    // Keys collapse while they wait: far fewer reconciles than changes plus retries would need one by one.
    expect(reconciles).toBeLessThan(changes + reconcileErrors.length);
    stop.abort();
    await running;
  },
  Math.max(120_000, changes * 10),
);
