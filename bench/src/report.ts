import type { BenchOptions } from './bench-options.js';
import type { Samples } from './samples.js';

/** A ratio and the bound it must respect. */
interface Check {
  readonly value: number;
  readonly bound: number;
  readonly direction: 'at most' | 'at least';
}

interface Row {
  readonly measure: string;
  readonly format: (value: number) => string;
  readonly ours: number;
  readonly clientNode: number;
  readonly floor: number;
  /** ours ÷ floor, with its target when there is one. */
  readonly oursOverFloor?: number | Check;
  /** client-node ÷ ours, with its target when there is one. */
  readonly clientNodeOverOurs?: number | Check;
}

const kilobytes = (value: number) => `${(value / 1024).toFixed(2)} KB`;
const milliseconds = (value: number) => `${value.toFixed(0)} ms`;
const microseconds = (value: number) => `${value.toFixed(2)} µs`;
const nanoseconds = (value: number) => `${value.toFixed(0)} ns`;
const plain = (value: number) => value.toFixed(2);

function cell(value: number, format: (value: number) => string): string {
  return Number.isFinite(value) ? format(value) : '—';
}

function checkCell(check: number | Check | undefined): [string, string] {
  if (check === undefined) return ['—', '—'];
  if (typeof check === 'number') return [Number.isFinite(check) ? `${check.toFixed(2)}×` : '—', '—'];
  if (!Number.isFinite(check.value))
    return ['—', `${check.direction === 'at most' ? '≤' : '≥'} ${check.bound}×`];
  const met = check.direction === 'at most' ? check.value <= check.bound : check.value >= check.bound;
  return [
    `${check.value.toFixed(2)}×`,
    `${check.direction === 'at most' ? '≤' : '≥'} ${check.bound}× ${met ? '✅' : '❌'}`,
  ];
}

function table(title: string, rows: readonly Row[], notes: readonly string[]): string {
  const lines = [
    `### ${title}`,
    '',
    '| measure | kubeinformers | client-node | floor | ours ÷ floor | target | client-node ÷ ours | target |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const row of rows) {
    const [vsFloor, floorTarget] = checkCell(row.oursOverFloor);
    const [vsClientNode, clientNodeTarget] = checkCell(row.clientNodeOverOurs);
    lines.push(
      `| ${row.measure} | ${cell(row.ours, row.format)} | ${cell(row.clientNode, row.format)} | ${cell(row.floor, row.format)} | ${vsFloor} | ${floorTarget} | ${vsClientNode} | ${clientNodeTarget} |`,
    );
  }
  return [...lines, '', ...notes.map((note) => `- ${note}`), ''].join('\n');
}

const atMost = (value: number, bound: number): Check => ({ value, bound, direction: 'at most' });
const atLeast = (value: number, bound: number): Check => ({ value, bound, direction: 'at least' });

function syncTables(samples: Samples, size: number): string[] {
  const full = `initial-sync/${size}`;
  const stripped = `initial-sync-stripped/${size}`;
  const floorParse = samples.median(full, 'floor', 'coldParseMs');
  const floorParseCpu = samples.median(full, 'floor', 'coldParseCpuMs');
  const parsedObject = samples.median(full, 'floor', 'parsedObjectBytes');
  const tables: string[] = [];
  const syncRows = (key: string, heapBound: number): Row[] => {
    const ours = (metric: string) => samples.median(key, 'kubeinformers', metric);
    const clientNode = (metric: string) => samples.median(key, 'client-node', metric);
    const rssRatio = (metric: (name: string) => number) =>
      metric('rssGrowthBytes') / metric('retainedHeapBytes');
    return [
      {
        measure: 'time to synced (floor: decode + cold `JSON.parse`)',
        format: milliseconds,
        ours: ours('syncMs'),
        clientNode: clientNode('syncMs'),
        floor: floorParse,
        oursOverFloor: atMost(ours('syncMs') / floorParse, 1.1),
        clientNodeOverOurs: atLeast(clientNode('syncMs') / ours('syncMs'), 2.5),
      },
      {
        measure: 'CPU time to synced (user + system of the process)',
        format: milliseconds,
        ours: ours('syncCpuMs'),
        clientNode: clientNode('syncCpuMs'),
        floor: floorParseCpu,
        oursOverFloor: atMost(ours('syncCpuMs') / floorParseCpu, 1.1),
        clientNodeOverOurs: atLeast(clientNode('syncCpuMs') / ours('syncCpuMs'), 2.5),
      },
      {
        measure: 'heap per object (floor: the parsed object, full)',
        format: kilobytes,
        ours: ours('retainedBytesPerObject'),
        clientNode: clientNode('retainedBytesPerObject'),
        floor: parsedObject,
        oursOverFloor: atMost(ours('retainedBytesPerObject') / parsedObject, heapBound),
        clientNodeOverOurs: clientNode('retainedBytesPerObject') / ours('retainedBytesPerObject'),
      },
      {
        measure: 'peak RSS growth ÷ retained heap (target on ours itself)',
        format: plain,
        ours: rssRatio(ours),
        clientNode: rssRatio(clientNode),
        floor: Number.NaN,
        oursOverFloor: atMost(rssRatio(ours), 1.2),
      },
    ];
  };
  if (samples.has(full)) {
    const transfer = samples.median(full, 'floor', 'transferMs');
    const bytes = samples.median(full, 'floor', 'transferredBytes');
    tables.push(
      table(`Initial sync, N = ${size.toLocaleString('en-US')}`, syncRows(full, 1.05), [
        `list body ${(bytes / 1e6).toFixed(1)} MB (${(bytes / size / 1024).toFixed(2)} KB per pod); floor transfer (GET, bytes discarded) ${milliseconds(transfer)} = ${(bytes / 1e6 / (transfer / 1000)).toFixed(0)} MB/s; decode ${milliseconds(samples.median(full, 'floor', 'decodeMs'))}, \`JSON.parse\` alone ${milliseconds(samples.median(full, 'floor', 'parseOnlyMs'))}.`,
        `ours ÷ transfer floor: ${(samples.median(full, 'kubeinformers', 'syncMs') / transfer).toFixed(2)}×; client-node ÷ transfer floor: ${(samples.median(full, 'client-node', 'syncMs') / transfer).toFixed(2)}×.`,
        `receiving runs on the same JS thread as parsing: ours ÷ (transfer CPU + cold-parse CPU) = ${(samples.median(full, 'kubeinformers', 'syncCpuMs') / (samples.median(full, 'floor', 'transferCpuMs') + floorParseCpu)).toFixed(2)}× (CPU).`,
      ]),
    );
  }
  if (samples.has(stripped)) {
    tables.push(
      table(
        `Initial sync with \`stripManagedFields\`, N = ${size.toLocaleString('en-US')}`,
        syncRows(stripped, 0.65),
        [
          `floor columns are the unstripped floor of the same N; the parsed object with managedFields deleted is ${kilobytes(samples.median(full, 'floor', 'strippedObjectBytes'))}.`,
          'client-node has no transform: its handlers delete `managedFields` on add/update, the usual workaround.',
        ],
      ),
    );
  }
  return tables;
}

function watchTables(samples: Samples, options: BenchOptions): string[] {
  const tables: string[] = [];
  const floorMicros = (samples.median('watch', 'floor', 'networkMs') * 1000) / options.watchEvents;
  const floorParseMicros = (samples.median('watch', 'floor', 'parseMs') * 1000) / options.watchEvents;
  const floorCpuMicros = (samples.median('watch', 'floor', 'networkCpuMs') * 1000) / options.watchEvents;
  const mapCpuMicros = (samples.median('watch', 'floor', 'parseAndRetainCpuMs') * 1000) / options.watchEvents;
  for (const [key, title] of [
    ['watch', 'Watch throughput'],
    ['watch-stripped', 'Watch throughput with `stripManagedFields`'],
  ] as const) {
    if (!samples.has(key)) continue;
    const micros = (implementation: 'kubeinformers' | 'client-node') =>
      (samples.median(key, implementation, 'watchMs') * 1000) / options.watchEvents;
    const ours = micros('kubeinformers');
    const clientNode = micros('client-node');
    const cpuMicros = (implementation: 'kubeinformers' | 'client-node') =>
      (samples.median(key, implementation, 'watchCpuMs') * 1000) / options.watchEvents;
    const oursCpu = cpuMicros('kubeinformers');
    const clientNodeCpu = cpuMicros('client-node');
    const perSecond = (value: number) => `${Math.round(1e6 / value).toLocaleString('en-US')}/s`;
    tables.push(
      table(
        `${title}: ${options.watchEvents.toLocaleString('en-US')} MODIFIED events after syncing ${options.watchPods.toLocaleString('en-US')} pods`,
        [
          {
            measure: 'time per event (floor: per-line `JSON.parse` of the same stream)',
            format: microseconds,
            ours,
            clientNode,
            floor: floorMicros,
            // ≥ 0.9× the floor's throughput is ≤ 1/0.9 of its time per event.
            oursOverFloor: atMost(ours / floorMicros, 1.11),
            clientNodeOverOurs: atLeast(clientNode / ours, 1.5),
          },
          {
            measure: 'events per second',
            format: (value) => perSecond(value),
            ours,
            clientNode,
            floor: floorMicros,
          },
          {
            measure: 'CPU time per event (user + system of the process)',
            format: microseconds,
            ours: oursCpu,
            clientNode: clientNodeCpu,
            floor: floorCpuMicros,
            oursOverFloor: atMost(oursCpu / floorCpuMicros, 1.11),
            clientNodeOverOurs: atLeast(clientNodeCpu / oursCpu, 1.5),
          },
          {
            measure: 'time per event vs the in-memory parse of the recorded stream',
            format: microseconds,
            ours,
            clientNode,
            floor: floorParseMicros,
            oursOverFloor: ours / floorParseMicros,
          },
          {
            measure: 'CPU time per event vs parse + `Map.set` per key, in memory (the least a cache pays)',
            format: microseconds,
            ours: oursCpu,
            clientNode: clientNodeCpu,
            floor: mapCpuMicros,
            oursOverFloor: oursCpu / mapCpuMicros,
          },
        ],
        [
          `${(samples.median('watch', 'floor', 'bytesPerEvent') / 1024).toFixed(2)} KB per event line; the events are produced before the cases into the fake server's watch history and replayed from its cache of rendered lines at socket speed; lists are pinned to the history's start by a pass-through proxy (see \`pinned-list-proxy.ts\`). Times run from "synced" to the last event applied; the floor's from its watch request.`,
        ],
      ),
    );
  }
  return tables;
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

/** A row of ours against a floor of our own (no client-node counterpart), in microseconds. */
function againstFloor(measure: string, ours: number, floor: number, bound?: number): Row {
  return {
    measure,
    format: microseconds,
    ours,
    clientNode: Number.NaN,
    floor,
    oursOverFloor: bound === undefined ? ours / floor : { value: ours / floor, bound, direction: 'at most' },
  };
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
  sections.push(...queueTables(samples), ...controllerTables(samples));
  return sections.join('\n');
}
