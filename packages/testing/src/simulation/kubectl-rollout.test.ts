import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, ensureBuilt, findKubectl, startCli } from '../test-support/cli-process.js';
import { type WatchEvent, WatchStream, within } from '../test-support/http-client.js';

// biome-ignore lint/suspicious/noExplicitAny: watch objects are probed freely.
type Any = any;

// kubectl's rollout commands against the CLI started with --simulate: the simulated Deployment and
// ReplicaSet controllers, scheduler and kubelets make them finish, as they would on a real cluster.

const kubectl = findKubectl();
if (kubectl === undefined) {
  console.warn('\n*** kubectl NOT FOUND: the simulated rollout tests are SKIPPED, not passed. ***\n');
}
const run = promisify(execFile);

describe.skipIf(kubectl === undefined)('kubectl rollouts against --simulate', { timeout: 90_000 }, () => {
  let cli: CliServer;
  let directory: string;
  let kubeconfig: string;
  const kubectlRun = async (...args: string[]) =>
    (await run(kubectl!, ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 })).stdout;

  beforeAll(async () => {
    await ensureBuilt();
    directory = mkdtempSync(join(tmpdir(), 'fake-simulate-'));
    cli = await startCli([
      '--simulate',
      '--pod-startup',
      '200',
      '--kubeconfig',
      join(directory, 'config'),
      '--tls',
      '--token',
      'secret',
    ]);
    kubeconfig = cli.ready.kubeconfig!;
  }, 60_000);

  afterAll(async () => {
    if (cli !== undefined) {
      cli.process.kill('SIGTERM');
      await within(cli.exited, 5_000, 'CLI exit');
    }
    rmSync(directory, { recursive: true, force: true });
  });

  /** A watch of the deployment's pods from now on, over the CLI's TLS with the kubeconfig's token. */
  async function watchPods(selector: string): Promise<WatchStream> {
    const config = JSON.parse(readFileSync(kubeconfig, 'utf8'));
    const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
    const list = JSON.parse(await kubectlRun('get', 'pods', '-l', selector, '-o', 'json'));
    const resourceVersion = list.metadata.resourceVersion;
    return WatchStream.open(
      `${cli.ready.url}/api/v1/namespaces/default/pods?watch=1&labelSelector=${encodeURIComponent(selector)}&resourceVersion=${resourceVersion}`,
      { ca, headers: { authorization: 'Bearer secret' } },
    );
  }

  /** Replays watch events over the starting pods: the most pods and fewest ready ones at any moment. */
  function bounds(start: Any[], events: readonly WatchEvent[]) {
    const pods = new Map<string, Any>(start.map((pod) => [pod.metadata.name, pod]));
    const measure = () => {
      const active = [...pods.values()].filter((pod) => pod.metadata.deletionTimestamp === undefined);
      const ready = active.filter((pod) =>
        (pod.status?.conditions ?? []).some(
          (entry: Any) => entry.type === 'Ready' && entry.status === 'True',
        ),
      );
      return { active: active.length, ready: ready.length };
    };
    let most = measure().active;
    let fewestReady = measure().ready;
    for (const event of events) {
      if (event.type === 'DELETED') pods.delete(event.object.metadata.name);
      else if (event.type === 'ADDED' || event.type === 'MODIFIED')
        pods.set(event.object.metadata.name, event.object);
      const { active, ready } = measure();
      most = Math.max(most, active);
      fewestReady = Math.min(fewestReady, ready);
    }
    return { most, fewestReady };
  }

  it('create deployment, rollout status, set image within the surge and unavailability bounds', async () => {
    await kubectlRun('create', 'deployment', 'web', '--image=nginx', '--replicas=3');
    expect(await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=10s')).toContain(
      'deployment "web" successfully rolled out',
    );
    const before = JSON.parse(await kubectlRun('get', 'pods', '-l', 'app=web', '-o', 'json')).items;
    expect(before).toHaveLength(3);
    expect(before.every((pod: Any) => pod.status.phase === 'Running' && pod.spec.nodeName)).toBe(true);

    const watch = await watchPods('app=web');
    await kubectlRun('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    expect(await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain(
      'successfully rolled out',
    );
    const events: WatchEvent[] = [];
    while (watch.pending > 0) events.push(await watch.next());
    watch.close();
    // 3 replicas, 25% each way: one extra pod at most, none unavailable.
    const { most, fewestReady } = bounds(before, events);
    expect(most).toBe(4);
    expect(fewestReady).toBeGreaterThanOrEqual(3);
    const images = JSON.parse(await kubectlRun('get', 'pods', '-l', 'app=web', '-o', 'json'))
      .items.filter((pod: Any) => pod.metadata.deletionTimestamp === undefined)
      .map((pod: Any) => pod.spec.containers[0].image);
    expect(images).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
  });

  it('scale, rollout restart, rollout undo and history', async () => {
    await kubectlRun('scale', 'deployment/web', '--replicas=5');
    await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=20s');
    const scaled = JSON.parse(await kubectlRun('get', 'deployment', 'web', '-o', 'json'));
    expect(scaled.status).toMatchObject({
      replicas: 5,
      readyReplicas: 5,
      availableReplicas: 5,
      updatedReplicas: 5,
    });

    await kubectlRun('rollout', 'restart', 'deployment/web');
    await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=20s');
    const history = await kubectlRun('rollout', 'history', 'deployment/web');
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^3\s/m);

    await kubectlRun('rollout', 'undo', 'deployment/web');
    await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=20s');
    const undone = JSON.parse(await kubectlRun('get', 'deployment', 'web', '-o', 'json'));
    expect(undone.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    expect(undone.metadata.annotations['deployment.kubernetes.io/revision']).toBe('4');
    expect(undone.status.conditions.find((entry: Any) => entry.type === 'Available').status).toBe('True');

    await kubectlRun('scale', 'deployment/web', '--replicas=1');
    await kubectlRun('rollout', 'status', 'deployment/web', '--timeout=20s');
    const replicaSets = JSON.parse(await kubectlRun('get', 'replicasets', '-o', 'json')).items;
    const live = replicaSets.filter((rs: Any) => rs.spec.replicas > 0);
    expect(live).toHaveLength(1);
    expect(live[0].status.readyReplicas).toBe(1);
  });
});
