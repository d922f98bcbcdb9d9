import type { BenchOptions } from './bench-options.js';
import { atLeast, atMost, microseconds, plain, table } from './report-table.js';
import type { Implementation, Samples } from './samples.js';

/** The watch tables: ours and client-node against the floors held to the synced pods, in memory and over HTTP. */
export function watchTables(samples: Samples, options: BenchOptions): string[] {
  const tables: string[] = [];
  const perEvent = (milliseconds: number) => (milliseconds * 1000) / options.watchEvents;
  const ratio = (key: string, implementation: Implementation, numerator: string, denominator: string) =>
    samples.median(key, implementation, numerator) / samples.median(key, implementation, denominator);
  for (const [key, title, floorBound, clientNodeBound] of [
    ['watch', 'Watch throughput', 1.05, 1.2],
    ['watch-pruned', 'Watch throughput with `pruneManagedFields: true`', undefined, 1.6],
  ] as const) {
    if (!samples.has(key)) continue;
    const micros = (implementation: Implementation, metric: string) =>
      perEvent(samples.median(key, implementation, metric));
    const ours = micros('kubeinformers', 'watchMs');
    const clientNode = micros('client-node', 'watchMs');
    const oursCpu = micros('kubeinformers', 'watchCpuMs');
    const clientNodeCpu = micros('client-node', 'watchCpuMs');
    const floor = micros('floor', 'parseAndRetainMs');
    const floorCpu = micros('floor', 'parseAndRetainCpuMs');
    const wire = micros('floor', 'wireRetainMs');
    const wireCpu = micros('floor', 'wireRetainCpuMs');
    const vsFloor = (value: number) => (floorBound === undefined ? value : atMost(value, floorBound));
    const parsing = key === 'watch' ? '`JSON.parse`' : '`pruneManagedFields` + `JSON.parse`';
    const perSecond = (value: number) => `${Math.round(1e6 / value).toLocaleString('en-US')}/s`;
    const megabytes = (implementation: 'kubeinformers' | 'client-node', metric: string) =>
      `${(samples.median(key, implementation, metric) / 1e6).toFixed(0)} MB`;
    tables.push(
      table(
        `${title}: ${options.watchEvents.toLocaleString('en-US')} MODIFIED events after syncing ${options.watchPods.toLocaleString('en-US')} pods`,
        [
          {
            measure: `time per event (floor: ${parsing} + \`Map.set\` per key into a map holding the synced pods, in memory: the least a cache pays)`,
            format: microseconds,
            ours,
            clientNode,
            floor,
            oursOverFloor: vsFloor(ours / floor),
            clientNodeOverOurs: atLeast(clientNode / ours, clientNodeBound),
          },
          {
            measure: 'CPU time per event (floor: the same, CPU)',
            format: microseconds,
            ours: oursCpu,
            clientNode: clientNodeCpu,
            floor: floorCpu,
            oursOverFloor: vsFloor(oursCpu / floorCpu),
            clientNodeOverOurs: atLeast(clientNodeCpu / oursCpu, clientNodeBound),
          },
          {
            measure: 'events per second',
            format: (value) => perSecond(value),
            ours,
            clientNode,
            floor,
          },
          {
            measure:
              'time per event vs the same floor over HTTP (read + decode + parse + `Map.set`: the least a cache pays, network included)',
            format: microseconds,
            ours,
            clientNode,
            floor: wire,
            oursOverFloor: ours / wire,
            clientNodeOverOurs: clientNode / ours,
          },
          {
            measure: 'CPU time per event vs the same floor over HTTP, CPU',
            format: microseconds,
            ours: oursCpu,
            clientNode: clientNodeCpu,
            floor: wireCpu,
            oursOverFloor: oursCpu / wireCpu,
            clientNodeOverOurs: clientNodeCpu / oursCpu,
          },
          {
            measure: 'peak RSS of the process (sync + burst) ÷ live heap after GC',
            format: plain,
            ours: ratio(key, 'kubeinformers', 'peakRssBytes', 'liveHeapBytes'),
            clientNode: ratio(key, 'client-node', 'peakRssBytes', 'liveHeapBytes'),
            floor: Number.NaN,
          },
          {
            measure: `time per event vs reading the stream over HTTP with per-line ${parsing}, nothing stored`,
            format: microseconds,
            ours,
            clientNode,
            floor: micros('floor', 'networkMs'),
            oursOverFloor: ours / micros('floor', 'networkMs'),
          },
          {
            measure: `time per event vs per-line ${parsing} of the recorded stream, in memory`,
            format: microseconds,
            ours,
            clientNode,
            floor: micros('floor', 'parseMs'),
            oursOverFloor: ours / micros('floor', 'parseMs'),
          },
        ],
        [
          `${(samples.median(key, 'floor', 'bytesPerEvent') / 1024).toFixed(2)} KB per event line; the events are produced before the cases into the fake server's watch history and replayed from its cache of rendered lines at socket speed; lists are pinned to the history's start by a pass-through proxy (see \`pinned-list-proxy.ts\`). Times run from "synced" to the last event applied; the floors' from their watch request.`,
          `the floors' map holds the ${options.watchPods.toLocaleString('en-US')} synced pods before the first event, as both informers' caches do; each line is decoded into a flat string of its own.`,
          `the best any cache could reach: client-node ÷ the over-the-wire floor = ${(clientNode / wire).toFixed(2)}× in wall time, ${(clientNodeCpu / wireCpu).toFixed(2)}× in CPU time (target ≥ ${clientNodeBound}×).`,
          `memory after the burst (peak RSS / live heap after GC): ours ${megabytes('kubeinformers', 'peakRssBytes')} / ${megabytes('kubeinformers', 'liveHeapBytes')}, client-node ${megabytes('client-node', 'peakRssBytes')} / ${megabytes('client-node', 'liveHeapBytes')}.`,
          ...(key === 'watch-pruned'
            ? [
                'client-node has no such option: its handlers delete `managedFields`. The floors prune each line with `pruneManagedFields` before the parse, as ours does.',
              ]
            : []),
        ],
      ),
    );
  }
  return tables;
}
