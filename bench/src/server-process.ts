import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { streamGet } from './http-get.js';

/** Where the pods of a benchmark cluster live. */
export interface PodLayout {
  readonly count: number;
  /** Pods are spread evenly over this many namespaces (`bench-00`, …). */
  readonly namespaces: number;
  /** …and over this many nodes (`node-0000`, …). */
  readonly nodes: number;
}

/**
 * The official client refuses `http://` servers unless `insecure-skip-tls-verify` is set (which means
 * nothing without TLS). The benchmark serves plain HTTP so that every implementation and the floor pay
 * for parsing rather than for encryption.
 */
function allowPlainHttp(kubeconfigPath: string): void {
  const kubeconfig = JSON.parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  for (const { cluster } of kubeconfig.clusters) cluster['insecure-skip-tls-verify'] = true;
  writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig, null, 2), { mode: 0o600 });
}

/**
 * The fake API server of `@kubeinformers/testing`, run from its CLI in a process of its own so that
 * serving lists and watch events takes neither CPU time nor heap from the measured process. Driven over
 * its control path (`/_fake/…`).
 */
export class ServerProcess {
  private readonly exitController = new AbortController();
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly kubeconfigPath: string,
  ) {
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.exitController.abort(
        new Error(`the fake API server exited unexpectedly (${signal ?? String(code)})`),
      );
    });
  }

  /** Aborts when the server process exits without `stop()` (e.g. killed from outside). */
  get lost(): AbortSignal {
    return this.exitController.signal;
  }

  get isAlive(): boolean {
    return !this.exitController.signal.aborted;
  }

  /**
   * @param watchHistory events the server keeps per resource for watches from an older version; the watch
   *   cases replay their events from there.
   */
  static async start(kubeconfigPath: string, watchHistory: number): Promise<ServerProcess> {
    const testingPackage = fileURLToPath(import.meta.resolve('@kubeinformers/testing/package.json'));
    const cli = join(dirname(testingPackage), 'dist', 'cli.js');
    const child = spawn(
      process.execPath,
      [
        // The history of the watch cases holds ~100,000 pod revisions with their rendered lines.
        '--max-old-space-size=8192',
        cli,
        ...['--port', '0', '--control', '--seed', 'empty', '--kubeconfig', kubeconfigPath],
        ...['--watch-history', String(watchHistory)],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the fake API server exited (${String(code)}) before it listened`);
    });
    const firstLine = (async () => {
      for await (const line of lines) return line;
      throw new Error('the fake API server closed its output before it listened');
    })();
    const line = await Promise.race([firstLine, exited]);
    // Keep draining its output so it never blocks on a full pipe.
    lines.on('line', () => {});
    const announced = JSON.parse(line) as { url: string; kubeconfig: string | null };
    allowPlainHttp(announced.kubeconfig ?? kubeconfigPath);
    return new ServerProcess(child, announced.url, announced.kubeconfig ?? kubeconfigPath);
  }

  /** `POST /_fake/<action>` with a JSON body; resolves with the JSON answer. */
  async control<T>(action: string, body: object = {}): Promise<T> {
    const response = await fetch(`${this.url}/_fake/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${action}: HTTP ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** Creates `layout.count` realistic pods, spread over namespaces and nodes. */
  async generatePods(layout: PodLayout): Promise<void> {
    const nodes = Array.from(
      { length: layout.nodes },
      (_, index) => `node-${String(index).padStart(4, '0')}`,
    );
    const perNamespace = Math.ceil(layout.count / layout.namespaces);
    let created = 0;
    for (let index = 0; created < layout.count; index += 1) {
      const count = Math.min(perNamespace, layout.count - created);
      const namespace = `bench-${String(index).padStart(2, '0')}`;
      await this.control('pods/generate', { count, namespace, nodes, prefix: 'pod' });
      created += count;
    }
  }

  /** The server's current resourceVersion. */
  async resourceVersion(): Promise<string> {
    const response = await fetch(`${this.url}/_fake/state`);
    return ((await response.json()) as { resourceVersion: string }).resourceVersion;
  }

  /**
   * Modifies pods round-robin `count` times (with no watch open this only fills the history), then reads
   * a watch from `from` to the last of those events once, so that the server has rendered every event's
   * line and later watches from `from` replay them at the speed of the socket.
   */
  async prepareWatchHistory(from: string, count: number): Promise<void> {
    await this.control('churn', { count, resource: 'pods' });
    const controller = new AbortController();
    let lines = 0;
    await streamGet(
      `${this.url}/api/v1/pods?watch=true&resourceVersion=${from}`,
      (chunk) => {
        for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
        if (lines >= count) controller.abort();
      },
      controller.signal,
    ).catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
    });
  }

  /** Stops the server (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
