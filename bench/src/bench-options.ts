import { parseArgs } from 'node:util';

export const caseGroups = ['sync', 'watch', 'lookup', 'queue', 'controller', 'shard'] as const;
export type CaseGroup = (typeof caseGroups)[number];

export interface BenchOptions {
  /** Cluster sizes for the initial-sync and lookup cases. */
  readonly sizes: readonly number[];
  /** Pods synced before the watch cases. */
  readonly watchPods: number;
  /** MODIFIED events pushed in each watch case. */
  readonly watchEvents: number;
  readonly rounds: number;
  readonly groups: readonly CaseGroup[];
  /** Implementations to measure (default all); cases whose implementation is left out are skipped. */
  readonly implementations: readonly string[];
  /** Cluster sizes of the shard cases (1, 2 and 4 replicas, with and without server-side filtering). */
  readonly shardSizes: readonly number[];
  /** MODIFIED events (over all pods) each shard replica's watch sees the server produce. */
  readonly shardEvents: number;
  /** Where results are written; `undefined` = print only. */
  readonly resultsDirectory: string | undefined;
  /** A note for the results file: what else ran on the machine. */
  readonly note: string | undefined;
  /** A results file whose tables are rendered again from its raw rounds, nothing measured. */
  readonly renderFrom: string | undefined;
}

export const usage = `pnpm bench [-- options]
  --large                 add N = 100,000 to the initial-sync and lookup sizes
  --sizes 10000,50000     initial-sync and lookup sizes (default 10000,50000)
  --watch-pods 10000      pods synced before the watch cases
  --watch-events 100000   MODIFIED events per watch case
  --rounds 3              rounds (implementations interleaved within each)
  --cases sync,watch,lookup,queue,controller,shard
                          queue: WorkQueue add+get+done cycles vs a plain array queue (no server);
                          controller: the watch case with a controller on the informer vs without;
                          shard: 1, 2 and 4 replicas each holding one uid range, server-filtered vs fallback
  --shard-sizes 50000     cluster sizes of the shard cases
  --shard-events 20000    MODIFIED events (over all pods) during each shard replica's watch
  --only kubeinformers,client-node,floor
  --no-write              print the tables without writing bench/results/
  --note "text"           a line for the results file (what else was running)
  --render FILE           render FILE's tables again from its raw rounds (after a change to the report),
                          measuring nothing; pass the --sizes, --watch-pods and --watch-events it was run with`;

export function parseBenchOptions(argv: readonly string[], defaultResultsDirectory: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      large: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '10000,50000' },
      'watch-pods': { type: 'string', default: '10000' },
      'watch-events': { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '3' },
      cases: { type: 'string', default: 'sync,watch,lookup,queue,controller,shard' },
      'shard-sizes': { type: 'string', default: '50000' },
      'shard-events': { type: 'string', default: '20000' },
      only: { type: 'string', default: 'kubeinformers,client-node,floor' },
      'no-write': { type: 'boolean', default: false },
      note: { type: 'string' },
      render: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const sizes = values.sizes.split(',').map((text) => positiveInteger('--sizes', text));
  if (values.large && !sizes.includes(100_000)) sizes.push(100_000);
  const groups = values.cases.split(',').map((text) => {
    if (!caseGroups.includes(text as CaseGroup)) throw new Error(`unknown case group ${text}`);
    return text as CaseGroup;
  });
  return {
    sizes,
    watchPods: positiveInteger('--watch-pods', values['watch-pods']),
    watchEvents: positiveInteger('--watch-events', values['watch-events']),
    rounds: positiveInteger('--rounds', values.rounds),
    groups,
    implementations: values.only.split(','),
    shardSizes: values['shard-sizes'].split(',').map((text) => positiveInteger('--shard-sizes', text)),
    shardEvents: positiveInteger('--shard-events', values['shard-events']),
    resultsDirectory: values['no-write'] ? undefined : defaultResultsDirectory,
    note: values.note,
    renderFrom: values.render,
  };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${flag}: not a positive integer: ${text}`);
  return value;
}
