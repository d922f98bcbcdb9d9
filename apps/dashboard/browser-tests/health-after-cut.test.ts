import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { type DashboardProcess, freePort, startDashboardProcess } from './support/dashboard-process.js';
import { recordHealth } from './support/health-log.js';
import { loadPerCore, underLoad } from './support/machine-load.js';

// After a watch cut, the indicator must say healthy as soon as the table is current again, not when the
// quiet nodes informer next hears a bookmark (a minute on a real API server, and on the fake one by
// default): core counts an informer healthy once the server accepted its rewatch or a relist completed.

let browser: Browser;
let dashboard: DashboardProcess | undefined;
let server: FakeApiServer | undefined;
let page: Page | undefined;
let directory: string | undefined;

beforeAll(async () => {
  if (chromiumAvailable) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await page?.close();
  await dashboard?.stop();
  await server?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  page = dashboard = server = directory = undefined;
});

const healthyWithinMs = 2_000;
/** Where the load does not allow the 2 s limit: still far below the fake server's 60 s bookmark period. */
const healthyUnderLoadWithinMs = 30_000;

/** The dashboard's printed URL (which may carry `?watch=websocket`) with a view chosen. */
function view(url: string, choices: Record<string, string>): string {
  const address = new URL(url);
  for (const [name, value] of Object.entries(choices)) address.searchParams.set(name, value);
  return address.href;
}

/**
 * The page's clock (`performance.now()`) once `condition(argument)` holds: `condition` runs in the page
 * every animation frame and returns that clock when it holds, `false` until then.
 */
async function pageTimeWhen(
  target: Page,
  condition: (argument: string) => number | false,
  argument: string,
  timeout: number,
): Promise<number> {
  const handle = await target.waitForFunction(condition, argument, { timeout });
  return (await handle.jsonValue()) as number;
}

function healthyNow(): number | false {
  const phase = document.querySelector('[data-testid=health]')?.getAttribute('data-phase');
  return phase === 'healthy' && performance.now();
}

/** Waits for the indicator to say healthy after the table converged at `convergedAt`, and checks how soon. */
async function expectHealthySoonAfter(
  target: Page,
  convergedAt: number,
  loadBefore: number,
  what: string,
): Promise<void> {
  const healthyAt = await pageTimeWhen(target, healthyNow, '', 90_000);
  const afterMs = Math.max(0, healthyAt - convergedAt);
  console.info(
    `${what}: healthy ${afterMs.toFixed(0)} ms after the table converged; load ${loadPerCore().toFixed(1)} per core`,
  );
  underLoad(
    loadBefore,
    `healthy within ${healthyWithinMs} ms of the table converging (${what})`,
    () => expect(afterMs).toBeLessThanOrEqual(healthyWithinMs),
    () => expect(afterMs).toBeLessThanOrEqual(healthyUnderLoadWithinMs),
  );
}

describe.skipIf(!chromiumAvailable).each(['fetch', 'websocket'])(
  'pnpm dashboard --kubeconfig, watches over %s, a cut while the data changes',
  (watch) => {
    it('is healthy within 2 s of the table converging (enforced at load <= 1.5 per core)', async () => {
      // The fake server's default bookmark period is the API server's minute: no bookmark comes in time.
      server = await FakeApiServer.start({ seed: {} });
      directory = mkdtempSync(join(tmpdir(), 'dashboard-'));
      const kubeconfig = join(directory, 'config');
      writeFileSync(kubeconfig, server.kubeconfig());
      dashboard = await startDashboardProcess(await freePort(), [
        '--kubeconfig',
        kubeconfig,
        '--watch',
        watch,
      ]);
      page = await browser.newPage();
      const target = page;
      await target.goto(view(dashboard.url, { namespace: 'shop' }));
      await pageTimeWhen(target, healthyNow, '', 30_000);
      const changed = server.store.list('pods', { namespace: 'shop' })[0]?.metadata?.name ?? '';
      await target.waitForSelector(`[data-testid=pods] tr[data-pod="${changed}"]`, { timeout: 5_000 });

      const loadBefore = loadPerCore();
      const health = await recordHealth(target);
      // The embedded cluster's fault: the next two watch requests are refused, so the page backs off (and
      // shows it: a reconnection within one animation frame would never reach the indicator). The changes
      // are synchronous with the cut, so before any reconnection: the page learns of them only through
      // its new watches (or a relist).
      server.faults.failNextRequests({ verb: 'watch', count: 2, status: 503 });
      server.faults.closeWatches({ abrupt: true });
      server.store.mutate('pods', `shop/${changed}`, (pod) => {
        pod.metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, probe: 'during-cut' } };
      });
      server.store.create('pods', podFixture({ name: 'made-during-cut', namespace: 'shop' }));

      const convergedAt = await pageTimeWhen(
        target,
        (name: string) => {
          const labels = document.querySelectorAll(`[data-testid=pods] tr[data-pod="${name}"] .label`);
          const relabelled = [...labels].some((label) => label.textContent === 'probe=during-cut');
          const created = document.querySelector('[data-testid=pods] tr[data-pod="made-during-cut"]');
          return relabelled && created !== null && performance.now();
        },
        changed,
        30_000,
      );
      expect(await health.phases()).toContain('recovering');
      await expectHealthySoonAfter(target, convergedAt, loadBefore, `--kubeconfig, ${watch}`);
      expect(await target.$('[data-testid=health] .last-error')).toBeNull();
    }, 120_000);
  },
);

describe.skipIf(!chromiumAvailable).each(['fetch', 'websocket'])(
  'pnpm dashboard, embedded cluster, its own watch cuts, watches over %s',
  (watch) => {
    it('is healthy within 2 s of the table converging after a cut (enforced at load <= 1.5 per core)', async () => {
      // Without --quiet-faults the embedded cluster drops every watch 20 s after its start (and refuses the
      // next two watch requests) while its activity keeps creating `app=batch` pods in `shop` every 3 s.
      dashboard = await startDashboardProcess(await freePort(), ['--watch', watch]);
      page = await browser.newPage();
      const target = page;
      await target.goto(view(dashboard.url, { namespace: 'shop', labels: 'app=batch' }));
      await pageTimeWhen(target, healthyNow, '', 30_000);
      const loadBefore = loadPerCore();
      const health = await recordHealth(target);
      await expect.poll(() => health.phases(), { timeout: 40_000, interval: 50 }).toContain('recovering');

      // A pod the cluster created after the page saw the cut, read through the dashboard's own read-only API.
      const batchPods = async () => {
        const response = await fetch(
          new URL('/k8s/api/v1/namespaces/shop/pods?labelSelector=app%3Dbatch', dashboard?.url),
        );
        const list = (await response.json()) as { items: { metadata: { name: string } }[] };
        return list.items.map((pod) => pod.metadata.name);
      };
      const before = new Set(await batchPods());
      let createdAfterCut: string | undefined;
      await expect
        .poll(
          async () => {
            createdAfterCut = (await batchPods()).find((name) => !before.has(name));
            return createdAfterCut;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBeDefined();

      const convergedAt = await pageTimeWhen(
        target,
        (name: string) =>
          document.querySelector(`[data-testid=pods] tr[data-pod="${name}"]`) !== null && performance.now(),
        createdAfterCut ?? '',
        30_000,
      );
      await expectHealthySoonAfter(target, convergedAt, loadBefore, `embedded cluster, ${watch}`);
    }, 120_000);
  },
);
