import type { BenchOptions } from './bench-options.js';
import type { Samples } from './samples.js';
import { shardCaseKey, shardModes, shardReplicaCounts } from './shard-measurement.js';

const megabytes = (value: number) => `${(value / 1e6).toFixed(2)} MB`;
const milliseconds = (value: number) => `${value.toFixed(0)} ms`;

/** `value` against `bound` (at most), with a mark; `—` when either is unknown. */
function versus(value: number, bound: number | undefined): string {
  if (!Number.isFinite(value)) return '—';
  if (bound === undefined) return `${value.toFixed(3)}×`;
  return `${value.toFixed(3)}× (≤ ${bound.toFixed(3)} ${value <= bound ? '✅' : '❌'})`;
}

/**
 * Per-replica cost of a sharded pods informer at 1, 2 and 4 replicas, the server filtering against the
 * client-side fallback: medians over every replica of every round. The ratios are to one replica holding
 * everything in the same mode; the targets (≤ 1.15/N of the bytes, ≤ 1.2/N of the CPU) apply
 * where the server filters.
 */
export function shardTables(samples: Samples, options: BenchOptions): string[] {
  const sections: string[] = [];
  for (const size of options.shardSizes) {
    if (!samples.has(shardCaseKey(size, 'server', 1)) && !samples.has(shardCaseKey(size, 'client', 1)))
      continue;
    const lines = [
      `### Sharded informers, N = ${size.toLocaleString('en-US')} pods: cost per replica`,
      '',
      '| filtering | replicas | objects | bytes received | ÷ one replica (target) | CPU, sync + watch | ÷ one replica (target) | sync CPU | watch CPU | watch events | retained heap |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const mode of shardModes) {
      const median = (replicas: number, metric: string) =>
        samples.median(shardCaseKey(size, mode, replicas), 'kubeinformers', metric);
      for (const replicas of shardReplicaCounts) {
        if (!samples.has(shardCaseKey(size, mode, replicas))) continue;
        const targets = mode === 'server' && replicas > 1;
        lines.push(
          `| ${mode === 'server' ? 'server (shardInfo)' : 'client (no gate)'} | ${replicas} | ${median(replicas, 'objects').toFixed(0)} | ${megabytes(median(replicas, 'totalBytes'))} | ${versus(median(replicas, 'totalBytes') / median(1, 'totalBytes'), targets ? 1.15 / replicas : undefined)} | ${milliseconds(median(replicas, 'totalCpuMs'))} | ${versus(median(replicas, 'totalCpuMs') / median(1, 'totalCpuMs'), targets ? 1.2 / replicas : undefined)} | ${milliseconds(median(replicas, 'syncCpuMs'))} | ${milliseconds(median(replicas, 'watchCpuMs'))} | ${median(replicas, 'watchEvents').toFixed(0)} | ${megabytes(median(replicas, 'retainedHeapBytes'))} |`,
        );
      }
    }
    lines.push(
      '',
      `- Each replica is a fresh process with one pods informer whose \`shardSelector\` is its range of \`splitHashSpace(N)\` over \`object.metadata.uid\`; it syncs, then the server modifies every pod round-robin ${options.shardEvents.toLocaleString('en-US')} times and the replica waits for a bookmark at the last version. Replicas run one after the other; medians are over every replica of every round.`,
      '- server: the fake server has the ShardedListAndWatch gate on and sends each replica its share; client: the gate is off, every replica receives all pods and events and drops what is outside its range (the health of every replica was checked to say which).',
      '- Bytes are response bodies as the informer read them; CPU is user + system time of the replica process from start to the last event; retained heap is the heap after GC with the stopped informer held, minus before it was started.',
      '',
    );
    sections.push(lines.join('\n'));
  }
  return sections;
}
