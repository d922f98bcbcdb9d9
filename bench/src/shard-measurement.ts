import { join } from 'node:path';
import type { BenchOptions } from './bench-options.js';
import { runCaseProcess } from './case-process.js';
import type { CaseConfig } from './case-support.js';
import type { Samples } from './samples.js';
import { ServerProcess } from './server-process.js';

/** The replica counts measured, and the two ways a shard selector is applied. */
export const shardReplicaCounts = [1, 2, 4] as const;
export const shardModes = ['server', 'client'] as const;
export type ShardMode = (typeof shardModes)[number];

/** Where the samples of one configuration go: one sample per replica and round. */
export const shardCaseKey = (size: number, mode: ShardMode, replicas: number) =>
  `shard/${size}/${mode}/${replicas}`;

/**
 * The shard cases at one cluster size: for every round, with the ShardedListAndWatch gate on (the server
 * filters) and off (every replica receives everything and filters itself), 1, 2 and 4 replicas, each
 * replica a fresh process running one informer over its uid range, one after the other so that each has
 * the machine to itself. The fake server's gate is switched over its control path between the modes.
 */
export async function measureShards(
  size: number,
  options: BenchOptions,
  samples: Samples,
  workDirectory: string,
  log: (message: string) => void,
): Promise<void> {
  const kubeconfigPath = join(workDirectory, `kubeconfig-shard-${size}.json`);
  // The churn of every replica run stays in the history; nothing replays it, so the default size will do.
  const server = await ServerProcess.start(kubeconfigPath, 10_000);
  try {
    await server.generatePods({ count: size, namespaces: 50, nodes: Math.max(1, Math.round(size / 100)) });
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const mode of shardModes) {
        await server.control('feature-gates', { ShardedListAndWatch: mode === 'server' });
        for (const replicas of shardReplicaCounts) {
          for (let index = 0; index < replicas; index += 1) {
            const config: CaseConfig = {
              url: server.url,
              kubeconfigPath: server.kubeconfigPath,
              count: size,
              transform: 'none',
              watchEvents: options.shardEvents,
              shard: { index, count: replicas },
            };
            const started = Date.now();
            const metrics = await runCaseProcess('shard-replica-kubeinformers', config, server.lost);
            if (metrics.serverFiltered !== (mode === 'server' ? 1 : 0))
              throw new Error(
                `replica ${index}/${replicas}: the informer's health says ${metrics.serverFiltered ? 'server' : 'client'} filtering in ${mode} mode`,
              );
            samples.add(shardCaseKey(size, mode, replicas), 'kubeinformers', metrics);
            log(
              `shard/${size} round ${round}/${options.rounds} ${mode} replica ${index + 1}/${replicas}: ` +
                `${metrics.objects} objects, ${(metrics.totalBytes ?? 0) / 1e6} MB, ${(metrics.totalCpuMs ?? 0).toFixed(0)} ms CPU (${Date.now() - started} ms)`,
            );
          }
        }
      }
    }
  } finally {
    await server.stop();
  }
}
