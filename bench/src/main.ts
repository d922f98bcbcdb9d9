/**
 * `pnpm bench`: kubeinformers, `@kubernetes/client-node` and the JSON.parse floor, side by side in one run.
 * The fake API server runs in a process of its own; every measured case runs in a fresh Node process;
 * implementations are interleaved within each round; tables report medians.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseBenchOptions } from './bench-options.js';
import { type CaseName, runCaseProcess } from './case-process.js';
import type { CaseConfig } from './case-support.js';
import { PinnedListProxy } from './pinned-list-proxy.js';
import { renderTables } from './report.js';
import { type Implementation, Samples } from './samples.js';
import { ServerProcess } from './server-process.js';
import { measureShards } from './shard-measurement.js';

interface Plan {
  readonly key: string;
  /** Watch cases: lists pinned to the start of the prepared watch history (see `PinnedListProxy`). */
  readonly pinned: boolean;
  readonly transform: CaseConfig['transform'];
  readonly runs: readonly (readonly [Implementation, CaseName])[];
}

/** The implementations that run kubeinformers' case files, and the store each uses. */
const storageOf = (implementation: Implementation) => (implementation === 'compact' ? 'compact' : 'objects');

function plansFor(size: number, options: BenchOptions): Plan[] {
  const plans: Plan[] = [];
  const wants = (group: BenchOptions['groups'][number]) => options.groups.includes(group);
  if (wants('sync') && options.sizes.includes(size)) {
    plans.push({
      key: `initial-sync/${size}`,
      transform: 'none',
      pinned: false,
      runs: [
        ['kubeinformers', 'initial-sync-kubeinformers'],
        ['compact', 'initial-sync-kubeinformers'],
        ['client-node', 'initial-sync-client-node'],
        ['floor', 'initial-sync-floor'],
      ],
    });
    plans.push({
      key: `initial-sync-pruned/${size}`,
      transform: 'prune',
      pinned: false,
      runs: [
        ['kubeinformers', 'initial-sync-kubeinformers'],
        ['compact', 'initial-sync-kubeinformers'],
        ['client-node', 'initial-sync-client-node'],
        ['floor', 'initial-sync-text-floor'],
      ],
    });
    plans.push({
      key: `initial-sync-stripped/${size}`,
      transform: 'strip',
      pinned: false,
      runs: [['kubeinformers', 'initial-sync-kubeinformers']],
    });
  }
  if (wants('lookup') && options.sizes.includes(size)) {
    plans.push({
      key: `lookup/${size}`,
      transform: 'none',
      pinned: false,
      runs: [
        ['kubeinformers', 'lookup-kubeinformers'],
        ['client-node', 'lookup-client-node'],
      ],
    });
  }
  if (wants('reads') && options.sizes.includes(size)) {
    plans.push({
      key: `reads/${size}`,
      transform: 'none',
      pinned: false,
      runs: [
        ['kubeinformers', 'reads-kubeinformers'],
        ['compact', 'reads-kubeinformers'],
      ],
    });
  }
  if (wants('watch') && size === options.watchPods) {
    plans.push({
      key: 'watch',
      transform: 'none',
      pinned: true,
      runs: [
        ['kubeinformers', 'watch-kubeinformers'],
        ['compact', 'watch-kubeinformers'],
        ['client-node', 'watch-client-node'],
        ['floor', 'watch-floor'],
      ],
    });
    plans.push({
      key: 'watch-pruned',
      transform: 'prune',
      pinned: true,
      runs: [
        ['kubeinformers', 'watch-kubeinformers'],
        ['compact', 'watch-kubeinformers'],
        ['client-node', 'watch-client-node'],
        ['floor', 'watch-floor'],
      ],
    });
  }
  if (wants('metrics') && size === options.watchPods) {
    // The informer without metrics is the floor the metrics add to.
    plans.push({
      key: 'watch-metrics',
      transform: 'none',
      pinned: true,
      runs: [
        ['kubeinformers', 'watch-metrics-kubeinformers'],
        ['floor', 'watch-kubeinformers'],
      ],
    });
  }
  if (wants('controller') && size === options.watchPods) {
    // The informer alone is the floor the controller adds to.
    plans.push({
      key: 'watch-controller',
      transform: 'none',
      pinned: true,
      runs: [
        ['kubeinformers', 'watch-controller-kubeinformers'],
        ['floor', 'watch-kubeinformers'],
      ],
    });
  }
  return plans
    .map((plan) => ({
      ...plan,
      runs: plan.runs.filter(([implementation]) => options.implementations.includes(implementation)),
    }))
    .filter((plan) => plan.runs.length > 0);
}

/** The fake server for one cluster size, its pods, and (for the watch cases) the prepared history. */
class Cluster {
  private proxy: PinnedListProxy | undefined;
  private pinnedTarget: Pick<CaseConfig, 'url' | 'kubeconfigPath'> | undefined;

  private constructor(
    readonly server: ServerProcess,
    private readonly size: number,
    private readonly options: BenchOptions,
    private readonly workDirectory: string,
  ) {}

  static async open(size: number, options: BenchOptions, workDirectory: string): Promise<Cluster> {
    const kubeconfigPath = join(workDirectory, `kubeconfig-${size}.json`);
    const server = await ServerProcess.start(kubeconfigPath, options.watchEvents + size);
    const seeding = Date.now();
    // About 100 pods per node and 50 namespaces, like a busy real cluster.
    await server.generatePods({ count: size, namespaces: 50, nodes: Math.max(1, Math.round(size / 100)) });
    log(`N = ${size}: ${size} pods generated in ${Date.now() - seeding} ms`);
    return new Cluster(server, size, options, workDirectory);
  }

  /** Where a case connects: the server itself, or the list-pinning proxy for the watch cases. */
  async target(pinned: boolean): Promise<Pick<CaseConfig, 'url' | 'kubeconfigPath'>> {
    if (!pinned) return { url: this.server.url, kubeconfigPath: this.server.kubeconfigPath };
    if (this.pinnedTarget === undefined) {
      const preparing = Date.now();
      const from = await this.server.resourceVersion();
      await this.server.prepareWatchHistory(from, this.options.watchEvents);
      this.proxy = await PinnedListProxy.start(this.server.url, from);
      const kubeconfigPath = join(this.workDirectory, `kubeconfig-${this.size}-pinned.json`);
      writeKubeconfig(this.server.kubeconfigPath, kubeconfigPath, this.proxy.url);
      this.pinnedTarget = { url: this.proxy.url, kubeconfigPath };
      log(
        `N = ${this.size}: ${this.options.watchEvents} watch events prepared from resourceVersion ${from} in ${Date.now() - preparing} ms`,
      );
    }
    return this.pinnedTarget;
  }

  async close(): Promise<void> {
    await this.proxy?.stop();
    await this.server.stop();
  }
}

async function measureCluster(size: number, options: BenchOptions, samples: Samples, workDirectory: string) {
  const plans = plansFor(size, options);
  if (plans.length === 0) return;
  let cluster = await Cluster.open(size, options, workDirectory);
  try {
    for (const plan of plans) {
      for (let round = 1; round <= options.rounds; round += 1) {
        for (const [implementation, caseName] of plan.runs) {
          const label = `${plan.key} round ${round}/${options.rounds} ${implementation}`;
          for (let attempt = 1; ; attempt += 1) {
            try {
              const config: CaseConfig = {
                ...(await cluster.target(plan.pinned)),
                count: size,
                transform: plan.transform,
                watchEvents: options.watchEvents,
                storage: storageOf(implementation),
              };
              const started = Date.now();
              const metrics = await runCaseProcess(caseName, config, cluster.server.lost);
              samples.add(plan.key, implementation, metrics);
              log(`${label}: ${summarize(metrics)} (${Date.now() - started} ms)`);
              break;
            } catch (error) {
              if (attempt >= 3) throw error;
              const message = (error as Error).message.split('\n').slice(0, 3).join(' | ');
              if (cluster.server.isAlive) {
                // The working tree is shared: a package's dist being rebuilt under a running case
                // breaks its imports for a few seconds. Wait, then run the case again.
                log(`${label}: failed (${message}); retrying in 15 s`);
                await new Promise((resolve) => setTimeout(resolve, 15_000));
              } else {
                // The server went away (killed from outside): start the cluster afresh.
                log(`${label}: ${message}; restarting the cluster and retrying`);
                await cluster.close();
                cluster = await Cluster.open(size, options, workDirectory);
              }
            }
          }
        }
      }
    }
  } finally {
    await cluster.close();
  }
}

/**
 * The work queue against a plain array queue (`queue`), and the work queue with its OpenTelemetry
 * metrics against itself without (`queue-metrics`): in-process, no server.
 */
async function measureQueues(
  options: BenchOptions,
  samples: Samples,
  key: 'queue' | 'queue-metrics' = 'queue',
): Promise<void> {
  const cases =
    key === 'queue'
      ? ([
          ['kubeinformers', 'queue-work-queue'],
          ['floor', 'queue-array'],
        ] as const)
      : ([
          ['kubeinformers', 'queue-metrics-work-queue'],
          ['floor', 'queue-work-queue'],
        ] as const);
  const runs = cases.filter(([implementation]) => options.implementations.includes(implementation));
  const config: CaseConfig = { url: '', kubeconfigPath: '', count: 0, transform: 'none', watchEvents: 0 };
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const [implementation, caseName] of runs) {
      const metrics = await runCaseProcess(caseName, config, new AbortController().signal);
      samples.add(key, implementation, metrics);
      log(`${key} round ${round}/${options.rounds} ${implementation}: ${summarize(metrics)}`);
    }
  }
}

/** A copy of the kubeconfig at `from` whose cluster is reached at `url`. */
function writeKubeconfig(from: string, to: string, url: string): void {
  const kubeconfig = JSON.parse(readFileSync(from, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  for (const { cluster } of kubeconfig.clusters) cluster.server = url;
  writeFileSync(to, JSON.stringify(kubeconfig, null, 2), { mode: 0o600 });
}

function summarize(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toFixed(1)}`)
    .join(' ');
}

function log(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** What else was using the CPU when the run started: results on a shared machine need that context. */
function busiestProcesses(): string {
  try {
    return execFileSync('ps', ['-eo', 'pcpu,rss,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .slice(1, 6)
      .map((line) => line.trim().replaceAll(/\s+/g, ' ').slice(0, 90))
      .filter((line) => line !== '')
      .join('; ');
  } catch {
    return 'unknown (ps failed)';
  }
}

/**
 * Renders a results file's tables again from the raw rounds it holds, keeping its header: for a change
 * to the report's wording or rows, without measuring again.
 */
function renderAgain(file: string, options: BenchOptions): void {
  const markdown = readFileSync(file, 'utf8');
  const tablesStart = markdown.indexOf('\n### ');
  const raw = /<details><summary>Raw rounds \(JSON\)<\/summary>\n\n```json\n([\s\S]*?)\n```/.exec(markdown);
  if (tablesStart < 0 || raw?.[1] === undefined) throw new Error(`${file}: no tables or raw rounds found`);
  const samples = new Samples();
  const rounds = JSON.parse(raw[1]) as Record<string, Record<string, Record<string, number>[]>>;
  for (const [caseKey, implementations] of Object.entries(rounds)) {
    for (const [implementation, metrics] of Object.entries(implementations)) {
      for (const round of metrics) samples.add(caseKey, implementation as Implementation, round);
    }
  }
  const header = markdown
    .slice(0, tablesStart)
    .replace(/\n- tables rendered again on [^\n]*/, '')
    .trimEnd();
  const note = `- tables rendered again on ${new Date().toISOString().slice(0, 10)} from the raw rounds below (\`pnpm bench -- --render\`): the report changed, nothing was measured again.`;
  writeFileSync(
    file,
    `${header}\n${note}\n\n${renderTables(samples, options)}\n<details><summary>Raw rounds (JSON)</summary>\n\n\`\`\`json\n${raw[1]}\n\`\`\`\n\n</details>\n`,
  );
  log(`rendered ${file} again`);
}

async function main(): Promise<void> {
  const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url));
  // `pnpm bench -- --large` hands the separator through; everything after it is ours.
  const argv = process.argv.slice(2).filter((argument, index) => !(index === 0 && argument === '--'));
  const options = parseBenchOptions(argv, resultsDirectory);
  if (options.renderFrom !== undefined) {
    renderAgain(options.renderFrom, options);
    return;
  }
  const command = `pnpm bench${argv.length > 0 ? ` -- ${argv.map((argument) => (/\s/.test(argument) ? JSON.stringify(argument) : argument)).join(' ')}` : ''}`;
  const startedAt = new Date();
  const loadBefore = loadavg();
  const processesBefore = busiestProcesses();
  const clusterSizes = [...new Set([...options.sizes, options.watchPods])].sort((a, b) => a - b);
  const samples = new Samples();
  const workDirectory = mkdtempSync(join(tmpdir(), 'kubeinformers-bench-'));
  try {
    if (options.groups.includes('queue')) await measureQueues(options, samples);
    if (options.groups.includes('metrics')) await measureQueues(options, samples, 'queue-metrics');
    for (const size of clusterSizes) await measureCluster(size, options, samples, workDirectory);
    if (options.groups.includes('shard')) {
      for (const size of options.shardSizes) await measureShards(size, options, samples, workDirectory, log);
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
  const minutes = ((Date.now() - startedAt.getTime()) / 60_000).toFixed(1);
  const header = [
    `# kubeinformers benchmarks, ${startedAt.toISOString().slice(0, 10)}, Node ${process.version}`,
    '',
    `- command: \`${command}\` (${minutes} min); medians of ${options.rounds} rounds, implementations interleaved, each case in a fresh \`node --expose-gc\` process, the fake API server (\`@kubeinformers/testing\` CLI) in its own process.`,
    `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${process.platform}/${process.arch}; load average ${loadBefore.map((load) => load.toFixed(2)).join(' ')} at start, ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} at end.`,
    `- busiest processes at start (%CPU RSS-KB command line): ${processesBefore}`,
    ...(options.note === undefined ? [] : [`- note: ${options.note}`]),
    '- ratios are of costs (time, bytes): lower is better for "ours ÷ floor", higher is better for "client-node ÷ ours".',
    '',
  ].join('\n');
  const markdown = `${header}\n${renderTables(samples, options)}\n<details><summary>Raw rounds (JSON)</summary>\n\n\`\`\`json\n${JSON.stringify(samples, null, 1)}\n\`\`\`\n\n</details>\n`;
  console.log(markdown);
  if (options.resultsDirectory !== undefined) {
    mkdirSync(options.resultsDirectory, { recursive: true });
    const file = join(
      options.resultsDirectory,
      `${startedAt.toISOString().slice(0, 10)}-node${process.versions.node}.md`,
    );
    writeFileSync(file, markdown);
    writeFileSync(join(options.resultsDirectory, 'latest.md'), markdown);
    log(`wrote ${file} and latest.md`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
