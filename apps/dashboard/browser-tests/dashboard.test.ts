import { availableParallelism, loadavg } from 'node:os';
import { FakeApiServer, generatePods, podFixture } from '@kubeinformers/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import { recordHealth } from './support/health-log.js';
import { serveDashboard } from './support/page-server.js';

let browser: Browser;
let dashboard: { readonly url: string; close(): Promise<void> };
let server: FakeApiServer | undefined;
let page: Page | undefined;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  dashboard = await serveDashboard();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

afterEach(async () => {
  await page?.close();
  page = undefined;
  await server?.close();
  server = undefined;
});

async function openDashboard(query: Record<string, string>): Promise<Page> {
  page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  // Counts WebSockets that opened, so a silent fallback to fetch cannot pass for a WebSocket watch.
  await page.addInitScript(() => {
    const Original = window.WebSocket;
    const counter = { opened: 0 };
    Object.assign(window, { webSocketCounter: counter });
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('open', () => {
          counter.opened += 1;
        });
      }
    };
  });
  await page.goto(`${dashboard.url}?${new URLSearchParams(query)}`);
  await page.waitForSelector('[data-testid=health][data-phase=healthy]', { timeout: 15_000 });
  expect(failures).toEqual([]);
  return page;
}

async function podRows(target: Page): Promise<string[]> {
  return target.$$eval('[data-testid=pods] tbody tr', (rows) =>
    rows.map((row) => row.getAttribute('data-pod') ?? ''),
  );
}

describe.skipIf(!chromiumAvailable).each(['fetch', 'websocket'])(
  'the dashboard, watches over %s',
  (watch) => {
    it('syncs, follows creates and deletes within 1 s, finds pods by a shared host IP, and recovers', async () => {
      // Bookmarks every second: the nodes informer sees no changes, and a bookmark is how it proves
      // progress (and turns healthy) after the dropped watches below.
      // The small default seed: every pod of a namespace fits on the table's first page of 50 rows.
      server = await FakeApiServer.start({
        seed: {},
        cors: true,
        tokens: ['secret'],
        bookmarkIntervalMs: 1_000,
      });
      const target = await openDashboard({ api: server.url, token: 'secret', watch });
      await target.selectOption('[data-testid=namespace]', 'shop');
      const shopPods = server.store
        .list('pods', { namespace: 'shop' })
        .map((pod) => pod.metadata?.name ?? '');
      await expect.poll(() => podRows(target)).toEqual(expect.arrayContaining(shopPods));

      // A pod created on the server shows within a second, and goes within a second of its deletion.
      let startedAt = performance.now();
      server.store.create('pods', podFixture({ name: 'probe', namespace: 'shop', podIP: '10.244.7.7' }));
      await target.waitForSelector('[data-testid=pods] tr[data-pod=probe]', { timeout: 1_000 });
      const appearedMs = performance.now() - startedAt;
      startedAt = performance.now();
      server.store.delete('pods', 'shop/probe');
      await target.waitForSelector('[data-testid=pods] tr[data-pod=probe]', {
        state: 'detached',
        timeout: 1_000,
      });
      console.info(
        `${watch}: pod appeared after ${appearedMs.toFixed(0)} ms, disappeared after ${(performance.now() - startedAt).toFixed(0)} ms`,
      );

      // Host-network pods share their node's IP: the search lists every pod holding it.
      const hostPod = server.store
        .list('pods')
        .find((pod) => (pod as { spec?: { hostNetwork?: boolean } }).spec?.hostNetwork === true) as
        | { status: { podIP: string } }
        | undefined;
      expect(hostPod).toBeDefined();
      const sharedIP = hostPod?.status.podIP ?? '';
      const expected = server.store
        .list('pods')
        .filter((pod) => (pod as { status?: { podIP?: string } }).status?.podIP === sharedIP)
        .map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`)
        .sort();
      expect(expected.length).toBeGreaterThan(1);
      await target.fill('[data-testid=ip-search]', sharedIP);
      await expect
        .poll(async () =>
          (
            await target.$$eval('[data-testid=ip-results] li', (items) =>
              items.map((item) => item.getAttribute('data-pod') ?? ''),
            )
          ).sort(),
        )
        .toEqual(expected);

      // Dropped watches whose reconnection is refused twice: core backs off, the page says so, then
      // recovers once the server accepted every informer's new watch.
      server.faults.failNextRequests({ verb: 'watch', count: 2, status: 503 });
      const health = await recordHealth(target);
      server.faults.closeWatches({ abrupt: true });
      await expect.poll(() => health.phases(), { timeout: 5_000 }).toContain('recovering');
      await target.waitForSelector('[data-testid=health][data-phase=healthy]', { timeout: 15_000 });
      server.store.create('pods', podFixture({ name: 'after-recovery', namespace: 'shop' }));
      await target.waitForSelector('[data-testid=pods] tr[data-pod=after-recovery]', { timeout: 1_000 });
      const webSocketsOpened = await target.evaluate(
        () => (window as unknown as { webSocketCounter: { opened: number } }).webSocketCounter.opened,
      );
      expect(webSocketsOpened > 0).toBe(watch === 'websocket');
    });
  },
);

describe.skipIf(!chromiumAvailable)('the dashboard under load', () => {
  it('stays responsive with 10,000 pods and 1,000 events/s: no long task over 50 ms once synced', async () => {
    const podCount = Number(process.env.DASHBOARD_LOAD_PODS ?? 10_000);
    const eventsPerSecond = Number(process.env.DASHBOARD_LOAD_RATE ?? 1_000);
    const seconds = Number(process.env.DASHBOARD_LOAD_SECONDS ?? 5);
    const loadBefore = loadavg()[0] ?? 0;
    server = await FakeApiServer.start({ cors: true });
    const keys = generatePods(server.store, { count: podCount, namespace: 'bulk' });
    page = await browser.newPage();
    await page.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = [];
      Object.assign(window, { longTasks: tasks });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          tasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${dashboard.url}?${new URLSearchParams({ api: server.url })}`);
    await page.waitForSelector('[data-testid=health][data-phase=healthy]', { timeout: 60_000 });
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid=pod-count]')?.textContent === `${count} pods`,
      podCount,
      {
        timeout: 60_000,
      },
    );
    // "Once synced": from the first frame after the synced list was rendered.
    const syncedAt = await page.evaluate(
      () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
    );

    const batchesPerSecond = 10;
    const perBatch = Math.round(eventsPerSecond / batchesPerSecond);
    let written = 0;
    const startedAt = performance.now();
    for (let batch = 0; batch < seconds * batchesPerSecond; batch += 1) {
      // `churn` patches an annotation of the next pods round-robin and waits until the watch has taken
      // the bytes: the rate the page is offered is the rate it reads.
      written += (await server.churn({ count: perBatch, namespace: 'bulk' })).modified;
      const wait = startedAt + ((batch + 1) * 1_000) / batchesPerSecond - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const elapsedSeconds = (performance.now() - startedAt) / 1_000;
    // The page has kept up: the final state reaches it.
    server.store.mutate('pods', keys[0] ?? '', (pod) => {
      (pod as unknown as { status: { phase: string } }).status.phase = 'Failed';
    });
    await page.waitForSelector(`[data-testid=pods] tr[data-pod="${keys[0]?.split('/')[1]}"] .phase-Failed`, {
      timeout: 10_000,
    });
    const longTasks = await page.evaluate(
      (since) =>
        (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
          (task) => task.start >= since,
        ),
      syncedAt,
    );
    console.info(
      `load: ${podCount} pods, ${written} events in ${elapsedSeconds.toFixed(1)} s; long tasks after sync: ${JSON.stringify(longTasks.map((task) => [Math.round(task.start - syncedAt), Math.round(task.duration)]))}` +
        (longTasks.length === 0
          ? ''
          : ` (longest ${Math.max(...longTasks.map((task) => task.duration)).toFixed(0)} ms)`),
    );
    expect(written / elapsedSeconds).toBeGreaterThanOrEqual(eventsPerSecond * 0.8);
    // Long tasks are wall time: on a machine whose cores are oversubscribed, the page's thread waits for
    // a core mid-task and every task stretches, whatever the page does. The limit is enforced where the
    // page can have a core; elsewhere the numbers are printed, loudly, and only a freeze fails.
    const load = Math.max(loadBefore, loadavg()[0] ?? 0) / availableParallelism();
    if (load <= 1.5) {
      expect(longTasks).toEqual([]);
    } else {
      console.warn(
        `!!! machine load ${load.toFixed(1)} per core: the 50 ms long-task limit was NOT enforced`,
      );
      expect(Math.max(0, ...longTasks.map((task) => task.duration))).toBeLessThan(2_000);
    }
  }, 120_000);
});
