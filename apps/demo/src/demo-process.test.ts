import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kubeinformers/testing';
import { afterEach, describe, expect, it } from 'vitest';

// The built demo, as `pnpm demo` runs it (turbo builds before testing).
const mainScript = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const running = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts the demo with piped output (so not a terminal: plain text). */
function startDemo(
  args: readonly string[],
  extraEnvironment: NodeJS.ProcessEnv = {},
): {
  child: ChildProcess;
  output: () => string;
  finished: Promise<Finished>;
} {
  const environment = { ...process.env, ...extraEnvironment };
  delete environment.NO_COLOR;
  delete environment.FORCE_COLOR;
  const child = spawn(process.execPath, [mainScript, ...args], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => stdout, finished };
}

/** `promise`, or a rejection naming `what` after `ms`: every wait in these tests is bounded. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe('the demo, run as a process', () => {
  it('--once walks through everything, prints a summary and exits 0 on its own', async () => {
    // An empty home directory shows that the demo writes nothing there (no kubeconfig, no cache).
    const home = mkdtempSync(join(tmpdir(), 'kubeinformers-demo-home-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const result = await within(
      60_000,
      'the demo with --once',
      startDemo(['--once'], { HOME: home, USERPROFILE: home, KUBECONFIG: undefined }).finished,
    );

    expect(readdirSync(home)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, signal: null });
    const lines = result.stdout;
    expect(lines).toContain('embedded fake API server at https://127.0.0.1:');
    expect(lines).toContain('resyncPeriodMs: 600000');
    expect(lines).toMatch(/metrics {5}http:\/\/127\.0\.0\.1:\d+\/metrics: Prometheus/);
    // The pods list takes two pages of 500: the progress line shows the first before the sync completes.
    expect(lines).toMatch(/syncing {5}pods 500 … · replicasets \d+ […✓] · services \d+ […✓]/);
    expect(lines).toMatch(/syncing {5}pods 557 ✓ · replicasets 7 ✓ · services 7 ✓/);
    expect(lines).toMatch(/pods {8}ADDED pod with name \S+ in \S+/);
    expect(lines).toMatch(/replicasets ADDED replicaset with name \S+/);
    expect(lines).toMatch(/synced {6}in \d+ ms: pods 557 · replicasets 7 · services 7/);
    expect(lines).toMatch(/store\.getByKey\('[\w-]+\/[\w-]+'\) → pod IP 10\.244\.\d+\.\d+/);
    expect(lines).toMatch(/store\.byIndex\('byIP', '10\.244\.\d+\.\d+'\) → 1 pod: /);
    expect(lines).toMatch(/store\.byIndex\('byIP', '10\.0\.0\.\d+'\) → 2 pods on the host network: /);
    expect(lines).toMatch(/pods {8}MODIFIED pod with name web-demo-1 in shop \(phase Pending → Running/);
    expect(lines).toMatch(/pods {8}DELETED pod with name \S+ in shop\n/);
    expect(lines).toMatch(/error hook {2}KI_TRANSPORT_ERROR /);
    expect(lines).toMatch(/pods {8}REWATCH from resourceVersion \d+/);
    expect(lines).toMatch(
      /pods {8}RELIST from resourceVersion \d+ \(the watch from there was refused: 410 Expired\)/,
    );
    expect(lines).toContain('(found missing by a relist: final state unknown)');
    // At least the three walkthrough informers relist after the compaction; the nodes and ConfigMaps
    // informers do too unless a bookmark brought them to the server's current version first (timing).
    expect(lines).toMatch(
      /recoveries {2}\d+ rewatches, [3-5] relists, \d+ errors survived \(KI_TRANSPORT_ERROR ×\d+\)/,
    );
    // The controller under leader election: retries of the failed writes, then one ConfigMap per node.
    expect(lines).toContain('election    demo-1 leads: the controller starts after its caches sync');
    expect(
      lines.match(/controller {2}KI_RECONCILE_FAILED node-\d \(attempt 1, HTTP 500\): retried/g),
    ).toHaveLength(3);
    expect(lines.match(/controller {2}created configmap pods-on-node-\d: \d+ pods/g)).toHaveLength(5);
    expect(lines).toContain('controller  every node has a ConfigMap listing its pods');
    expect(lines).toContain('controller  the ConfigMaps followed the live changes');
    expect(lines).toContain('election    demo-1 stopped leading; lease released');
    expect(lines).toMatch(/pods {8}556 objects · events: 558 added, 2 updated, 2 deleted/);
    expect(lines).toContain('stopped     informers, watches, connections and timers released');
    // Piped output is plain: no escape sequences.
    expect(lines).not.toContain('\u001b[');
  });

  it('Ctrl-C (SIGINT) while watching stops everything and exits 0 on its own', async () => {
    const demo = startDemo([]);
    await within(
      30_000,
      'the demo to say it is watching',
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (demo.output().includes('watching    for changes')) resolve();
        };
        demo.child.stdout?.on('data', check);
        demo.child.once('close', () =>
          reject(new Error(`the demo ended before watching:\n${demo.output()}`)),
        );
        check();
      }),
    );
    // The metrics endpoint it printed serves the Prometheus exposition of the OpenTelemetry SDK.
    const url = /metrics {5}(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(demo.output())?.[1];
    expect(url).toBeDefined();
    const exposition = await within(
      10_000,
      'a scrape of /metrics',
      fetch(url ?? '').then((response) => response.text()),
    );
    expect(exposition).toMatch(/^# TYPE workqueue_adds_total counter$/m);
    expect(exposition).toMatch(/^workqueue_adds_total\{name="pods-per-node"[^}]*\} [1-9]\d*/m);
    expect(exposition).toMatch(
      /^workqueue_work_duration_seconds_count\{name="pods-per-node"[^}]*\} [1-9]\d*/m,
    );
    expect(exposition).toMatch(/^reflector_lists_total\{[^}]*name="pods"[^}]*\} 1/m);
    expect(exposition).toMatch(/^informer_store_objects\{name="pods"[^}]*\} 55\d/m);
    demo.child.kill('SIGINT');
    const result = await within(15_000, 'the demo to stop after SIGINT', demo.finished);

    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('stopping    SIGINT: aborting the AbortController');
    expect(result.stdout).toContain('stopped     informers, watches, connections and timers released');
  });

  it('--help documents every flag and exits 0', async () => {
    const result = await within(30_000, 'the demo with --help', startDemo(['--help']).finished);

    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    for (const flag of ['--kubeconfig <file>', '--context <name>', '--once', '--no-color', '-h, --help']) {
      expect(result.stdout).toContain(flag);
    }
  });

  it('an unknown flag is refused with the usage and exit code 2', async () => {
    const result = await within(10_000, 'the demo with a bad flag', startDemo(['--onec']).finished);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--onec'");
    expect(result.stderr).toContain('Usage: kubeinformers-demo');
  });

  it('with --kubeconfig it reads a cluster of its own and never changes it', async () => {
    const server = await FakeApiServer.start({ seed: 'demo', tls: true, tokens: ['external-token'] });
    const directory = mkdtempSync(join(tmpdir(), 'kubeinformers-demo-'));
    cleanups.push(
      () => server.close(),
      () => rmSync(directory, { recursive: true, force: true }),
    );
    const kubeconfig = join(directory, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig());
    const resourceVersionBefore = server.resourceVersion;

    const result = await within(
      45_000,
      'the demo on an external cluster',
      startDemo(['--kubeconfig', kubeconfig, '--once']).finished,
    );

    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(result.stdout).toContain(`cluster     ${server.url} (context kubeinformers-fake, read-only)`);
    expect(result.stdout).toMatch(/synced {6}in \d+ ms: pods 557 · replicasets 7 · services 7/);
    expect(result.stdout).toContain('read-only   a real cluster is never changed');
    expect(result.stdout).toMatch(/recoveries {2}0 rewatches, 0 relists, 0 errors survived/);
    expect(server.resourceVersion).toBe(resourceVersionBefore);
  });

  it('--replicas 3 --once: three replicas split the pods, one dies, the others take its ranges over', async () => {
    const result = await within(
      90_000,
      'the sharded demo',
      startDemo(['--replicas', '3', '--once']).finished,
    );
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    const cached = [
      ...result.stdout.matchAll(/replica-\d +(?:dead · )?owns +[\d.]+ % .* · (\d+) pods owned/g),
    ].map((match) => Number(match[1]));
    // No pod is ever owned twice. (That every pod is owned at the moment a line is printed depends on the
    // machine keeping up with 1 s heartbeats, so it is not asserted here: the core tests cover it.)
    expect(cached).toHaveLength(6);
    expect(cached.slice(0, 3).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(557);
    expect(cached.slice(3).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(557);
    expect(result.stdout).toMatch(/replica-2 +dead · owns +0\.0 %/);
    expect(result.stdout).toMatch(/takeover +the others own everything \d+ ms later/);
  });

  it('a kubeconfig that cannot be read fails with a message and exit code 1', async () => {
    // Bounds a hang, not a speed: starting Node and loading the official client takes seconds on a busy
    // machine.
    const result = await within(
      30_000,
      'the demo with a missing kubeconfig',
      startDemo(['--kubeconfig', '/nonexistent/kubeconfig', '--once']).finished,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'demo failed: cannot read the kubeconfig /nonexistent/kubeconfig: no such file\n',
    );
  });

  it('a file that is no kubeconfig is named, with what is wrong with it, and exit code 1', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kubeinformers-demo-'));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const notKubeconfig = join(directory, 'hostname');
    writeFileSync(notKubeconfig, 'a-hostname\n');

    const result = await within(
      30_000,
      'the demo with a file that is no kubeconfig',
      startDemo(['--kubeconfig', notKubeconfig, '--once']).finished,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `demo failed: the kubeconfig ${notKubeconfig} has no current context (it defines 0 contexts and 0 clusters): is it a kubeconfig?\n`,
    );
  });
});
