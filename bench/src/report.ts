import type { BenchOptions } from './bench-options.js';
import { shardTables } from './report-shard.js';
import {
  againstFloor,
  atLeast,
  atMost,
  kilobytes,
  milliseconds,
  nanoseconds,
  plain,
  type Row,
  table,
} from './report-table.js';
import { watchTables } from './report-watch.js';
import type { Samples } from './samples.js';

function syncTables(samples: Samples, size: number): string[] {
  const full = `initial-sync/${size}`;
  const pruned = `initial-sync-pruned/${size}`;
  const stripped = `initial-sync-stripped/${size}`;
  const floor = (metric: string) => samples.median(full, 'floor', metric);
  const tables: string[] = [];
  interface SyncTargets {
    /** What "time to synced" is measured against, wall and CPU, and its name. */
    readonly floorMs: number;
    readonly floorCpuMs: number;
    readonly floorName: string;
    readonly floorBound: number;
    readonly clientNodeBound: number | undefined;
    readonly objectFloor: number;
    readonly objectFloorName: string;
  }
  const syncRows = (key: string, targets: SyncTargets): Row[] => {
    const ours = (metric: string) => samples.median(key, 'kubeinformers', metric);
    const clientNode = (metric: string) => samples.median(key, 'client-node', metric);
    const versusClientNode = (metric: string) =>
      targets.clientNodeBound === undefined
        ? undefined
        : atLeast(clientNode(metric) / ours(metric), targets.clientNodeBound);
    const rssRatio = (metric: (name: string) => number) =>
      metric('rssGrowthBytes') / metric('retainedHeapBytes');
    return [
      {
        measure: `time to synced (floor: ${targets.floorName})`,
        format: milliseconds,
        ours: ours('syncMs'),
        clientNode: clientNode('syncMs'),
        floor: targets.floorMs,
        oursOverFloor: atMost(ours('syncMs') / targets.floorMs, targets.floorBound),
        clientNodeOverOurs: versusClientNode('syncMs'),
      },
      {
        measure: 'CPU time to synced (user + system of the process; floor: the same, CPU)',
        format: milliseconds,
        ours: ours('syncCpuMs'),
        clientNode: clientNode('syncCpuMs'),
        floor: targets.floorCpuMs,
        oursOverFloor: atMost(ours('syncCpuMs') / targets.floorCpuMs, targets.floorBound),
        clientNodeOverOurs: versusClientNode('syncCpuMs'),
      },
      {
        measure: `heap per object (floor: ${targets.objectFloorName})`,
        format: kilobytes,
        ours: ours('retainedBytesPerObject'),
        clientNode: clientNode('retainedBytesPerObject'),
        floor: targets.objectFloor,
        oursOverFloor: atMost(ours('retainedBytesPerObject') / targets.objectFloor, 1.02),
        clientNodeOverOurs: clientNode('retainedBytesPerObject') / ours('retainedBytesPerObject'),
      },
      {
        measure: 'peak RSS growth ÷ retained heap (target on ours itself)',
        format: plain,
        ours: rssRatio(ours),
        clientNode: rssRatio(clientNode),
        floor: Number.NaN,
        oursOverFloor: atMost(rssRatio(ours), 1.3),
      },
    ];
  };
  if (!samples.has(full)) return tables;
  const transfer = floor('transferMs');
  const bytes = floor('transferredBytes');
  const share = floor('managedFieldsShare');
  const fullTargets = {
    floorMs: transfer + floor('coldParseMs'),
    floorCpuMs: floor('transferCpuMs') + floor('coldParseCpuMs'),
    floorName: 'transfer + decode + cold `JSON.parse`',
    floorBound: 1.15,
    clientNodeBound: 2.5,
    objectFloor: floor('parsedObjectBytes'),
    objectFloorName: 'the parsed object, full',
  };
  tables.push(
    table(`Initial sync, N = ${size.toLocaleString('en-US')}`, syncRows(full, fullTargets), [
      `client-node ÷ this floor = ${(samples.median(full, 'client-node', 'syncMs') / fullTargets.floorMs).toFixed(2)}× in wall time, ${(samples.median(full, 'client-node', 'syncCpuMs') / fullTargets.floorCpuMs).toFixed(2)}× in CPU time: "client-node ÷ ours ≥ 2.5×" asks for a sync at ${(samples.median(full, 'client-node', 'syncMs') / fullTargets.floorMs / 2.5).toFixed(2)}× (wall) and ${(samples.median(full, 'client-node', 'syncCpuMs') / fullTargets.floorCpuMs / 2.5).toFixed(2)}× (CPU) of transfer + decode + one \`JSON.parse\` of the body.`,
      `list body ${(bytes / 1e6).toFixed(1)} MB (${(bytes / size / 1024).toFixed(2)} KB per pod, managedFields ${(share * 100).toFixed(1)} % of it, three managers); floor transfer (GET, bytes discarded) ${milliseconds(transfer)} = ${(bytes / 1e6 / (transfer / 1000)).toFixed(0)} MB/s; decode ${milliseconds(floor('decodeMs'))}, \`JSON.parse\` alone ${milliseconds(floor('parseOnlyMs'))}.`,
    ]),
  );
  if (samples.has(pruned)) {
    tables.push(
      table(
        `Initial sync with \`pruneManagedFields: true\`, N = ${size.toLocaleString('en-US')}`,
        syncRows(pruned, {
          floorMs: floor('coldParseMs'),
          floorCpuMs: floor('coldParseCpuMs'),
          floorName: 'decode + cold `JSON.parse` of the full body',
          floorBound: 0.75,
          clientNodeBound: 3.5,
          objectFloor: floor('prunedObjectBytes'),
          objectFloorName: 'the object parsed without managedFields',
        }),
        [
          ...prunedBounds(samples, size),
          'client-node has no such option: its handlers delete `managedFields` on add/update, the usual workaround.',
          `the same objects parsed in full and then stripped with \`delete\` hold ${kilobytes(floor('strippedObjectBytes'))} each (a deleted property leaves V8's dictionary layout).`,
        ],
      ),
    );
  }
  if (samples.has(stripped)) {
    tables.push(
      table(
        `Initial sync with \`transform: stripManagedFields\` (after the parse), N = ${size.toLocaleString('en-US')}`,
        syncRows(stripped, {
          ...fullTargets,
          clientNodeBound: undefined,
          objectFloor: floor('strippedObjectBytes'),
          objectFloorName: 'the parsed object, managedFields deleted',
        }).map((row) => ({ ...row, clientNode: Number.NaN, clientNodeOverOurs: undefined })),
        ['for comparison with pruning: the transform runs after `JSON.parse` has paid for managedFields.'],
      ),
    );
  }
  const megabytesPerSecond = (milliseconds: number) =>
    Number.isFinite(milliseconds)
      ? `${(floor('scannedCharacters') / 1e6 / (milliseconds / 1000)).toFixed(0)} MB/s`
      : '—';
  // CPU time is the reliable figure on a shared machine; wall time waits for a core as well.
  const scanRow = (measure: string, wallMetric: string, cpuMetric: string) => {
    const wall = wallMetric.split('+').reduce((sum, metric) => sum + floor(metric), 0);
    const cpu = cpuMetric.split('+').reduce((sum, metric) => sum + floor(metric), 0);
    return `| ${measure} | ${milliseconds(cpu)} | ${megabytesPerSecond(cpu)} | ${milliseconds(wall)} | ${megabytesPerSecond(wall)} |`;
  };
  tables.push(
    [
      `### The managedFields scanner, N = ${size.toLocaleString('en-US')} (floor process, the decoded list body)`,
      '',
      '| measure | CPU time | MB/s (CPU) | wall time | MB/s (wall) |',
      '| --- | ---: | ---: | ---: | ---: |',
      scanRow('`pruneManagedFields(text, "list")` (scan + cut)', 'scanMs', 'scanCpuMs'),
      scanRow('`JSON.parse` of the full body (cold)', 'parseOnlyMs', 'parseOnlyCpuMs'),
      scanRow('`JSON.parse` of the pruned body', 'prunedParseMs', 'prunedParseCpuMs'),
      scanRow('scan + parse of the pruned body', 'scanMs+prunedParseMs', 'scanCpuMs+prunedParseCpuMs'),
      '',
      `- managedFields: ${(share * 100).toFixed(1)} % of the body's characters, three managers per pod. One call each, in one process: the cold parse first; the scan and the parse of its output after the full objects were dropped, on the body decoded again (MB/s over the full body's size).`,
      '',
    ].join('\n'),
  );
  return tables;
}

/**
 * What the pruning path costs in the floor process, part by part (transfer, decode, scan, parse of the
 * pruned text, as one unpaginated body; nothing stored), and where that would put a cache with no other
 * cost against the pruned-sync targets; also with a scanner that cost nothing. An estimate, not a bound:
 * parsing page by page can cost less than one parse of the whole body.
 */
function prunedBounds(samples: Samples, size: number): string[] {
  const full = `initial-sync/${size}`;
  const pruned = `initial-sync-pruned/${size}`;
  const floor = (metric: string) => samples.median(full, 'floor', metric);
  const clientNodeCpu = samples.median(pruned, 'client-node', 'syncCpuMs');
  const clientNodeWall = samples.median(pruned, 'client-node', 'syncMs');
  const withoutScanWall = floor('transferMs') + floor('decodeMs') + floor('prunedParseMs');
  const withoutScanCpu = floor('transferCpuMs') + floor('decodeCpuMs') + floor('prunedParseCpuMs');
  const describe = (name: string, wall: number, cpu: number) =>
    `${name}: ${milliseconds(wall)} (CPU ${milliseconds(cpu)}) = ${(wall / floor('coldParseMs')).toFixed(2)}× the cold parse in wall time, ${(cpu / floor('coldParseCpuMs')).toFixed(2)}× in CPU time (target ≤ 0.75×); client-node ÷ it = ${(clientNodeWall / wall).toFixed(2)}× wall, ${(clientNodeCpu / cpu).toFixed(2)}× CPU (target ≥ 3.5×).`;
  return [
    describe(
      'the pruning path alone, in the floor process (transfer + decode + scan + parse of the pruned text, one unpaginated body, nothing stored)',
      withoutScanWall + floor('scanMs'),
      withoutScanCpu + floor('scanCpuMs'),
    ),
    describe('the same with a scanner that cost nothing', withoutScanWall, withoutScanCpu),
  ];
}

function lookupTables(samples: Samples, size: number): string[] {
  const key = `lookup/${size}`;
  if (!samples.has(key)) return [];
  const nanos = (implementation: 'kubeinformers' | 'client-node', metric: string) =>
    1e9 / samples.median(key, implementation, metric);
  const row = (measure: string, metric: string): Row => ({
    measure,
    format: nanoseconds,
    ours: nanos('kubeinformers', metric),
    clientNode: nanos('client-node', metric),
    floor: Number.NaN,
    clientNodeOverOurs: nanos('client-node', metric) / nanos('kubeinformers', metric),
  });
  return [
    table(
      `Index lookups, N = ${size.toLocaleString('en-US')}`,
      [
        row("`getByKey('ns/name')` (client-node: `get(name, namespace)`)", 'getByKeyPerSecond'),
        {
          ...row('`get(namespace, name)` (client-node: `get(name, namespace)`)', 'getPerSecond'),
          clientNode: nanos('client-node', 'getByKeyPerSecond'),
          clientNodeOverOurs:
            nanos('client-node', 'getByKeyPerSecond') / nanos('kubeinformers', 'getPerSecond'),
        },
        row("`byIndex('namespace', …)` (client-node: `list(namespace)`)", 'byNamespacePerSecond'),
        {
          ...row("`byIndex('byNode', …)` (custom index; client-node has none)", 'byNodePerSecond'),
          clientNode: Number.NaN,
          clientNodeOverOurs: undefined,
        },
      ],
      [
        `time per operation (lower is better); ${samples.median(key, 'kubeinformers', 'objectsPerNamespace').toFixed(0)} pods per namespace, ${samples.median(key, 'kubeinformers', 'objectsPerNode').toFixed(0)} per node, so \`byIndex\` returns arrays of that length.`,
      ],
    ),
  ];
}

function queueTables(samples: Samples): string[] {
  if (!samples.has('queue')) return [];
  const row = (measure: string, metric: string): Row =>
    againstFloor(
      measure,
      samples.median('queue', 'kubeinformers', metric) / 1000,
      samples.median('queue', 'floor', metric) / 1000,
    );
  return [
    table(
      'Work queue: add + get + done cycles',
      [
        row('wall time per cycle, synchronous (`tryGet`)', 'syncNsPerCycle'),
        row('wall time per cycle, one worker awaiting `get()`', 'oneWorkerNsPerCycle'),
        row('wall time per cycle, eight workers awaiting `get()`', 'eightWorkersNsPerCycle'),
        row('CPU time per cycle, eight workers', 'eightWorkersCpuNsPerCycle'),
      ],
      [
        'target: under 2 µs per cycle. Floor: a plain array with waiting resolvers (no de-duplication, no "one worker per item", no timing); 2,000,000 cycles over 1,024 distinct keys added in batches, so both queues move the same items.',
      ],
    ),
  ];
}

function controllerTables(samples: Samples): string[] {
  if (!samples.has('watch-controller')) return [];
  const perEvent = (implementation: 'kubeinformers' | 'floor', metric: string) =>
    (samples.median('watch-controller', implementation, metric) * 1000) /
    samples.median('watch-controller', implementation, 'events');
  const row = (measure: string, metric: string, bound?: number): Row =>
    againstFloor(measure, perEvent('kubeinformers', metric), perEvent('floor', metric), bound);
  return [
    table(
      'Controller overhead per watch event',
      [row('CPU time per event', 'watchCpuMs', 1.1), row('wall time per event', 'watchMs')],
      [
        'ours: the watch case with `createController` on the pods informer (its handler enqueues, one worker reconciles reading the store), timed until the queue drained; floor: the same informer alone. Target: the controller adds under 10% per event.',
      ],
    ),
  ];
}

/** The Markdown of every measured case, medians over rounds. */
export function renderTables(samples: Samples, options: BenchOptions): string {
  const sections: string[] = [];
  for (const size of options.sizes) sections.push(...syncTables(samples, size));
  sections.push(...watchTables(samples, options));
  for (const size of options.sizes) sections.push(...lookupTables(samples, size));
  sections.push(...queueTables(samples), ...controllerTables(samples), ...shardTables(samples, options));
  return sections.join('\n');
}
