/**
 * The floors of watch throughput, on the same watch stream (pods, from the pinned list's resourceVersion)
 * read with the plainest HTTP client, each line decoded into a flat string and `JSON.parse`d (with
 * `pruneManagedFields` first when the case prunes):
 * - over the wire, keeping the newest object per key in a Map that already holds the synced pods, as
 *   both informers' caches do: the least any cache pays for these events, network included;
 * - over the wire, nothing stored: the transfer and the parse alone;
 * - the recorded stream in memory, parsed (no network, no server);
 * - the recorded stream in memory, kept per key in that Map: the issue's "parse + `Map.set`" floor.
 * The stream is recorded in a separate, untimed read: recording during a timed one would add GC work
 * the floor should not pay.
 */
import { pruneManagedFields } from '@kubeinformers/core';
import { cpuTime, type Metrics, now, runCase, settledHeap, within } from '../case-support.js';
import { getBody, streamGet } from '../http-get.js';

interface PodEvent {
  type: string;
  object: { metadata: { namespace: string; name: string; managedFields?: unknown } };
}

/**
 * Calls `onLine` with each complete newline-terminated line of the chunks fed to it, decoded on its own
 * into a flat string: `JSON.parse` reads a flat string faster than a slice of a decoded chunk.
 */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  return (chunk) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (pending.length === 0) onLine(chunk.toString('utf8', start, newline));
      else {
        pending.push(chunk.subarray(start, newline));
        onLine(Buffer.concat(pending).toString('utf8'));
        pending = [];
      }
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  };
}

/** Reads the pods watch from `resourceVersion` until `expected` MODIFIED events, feeding every chunk to `onChunk`. */
async function readWatch(
  url: string,
  resourceVersion: string,
  expected: number,
  onChunk: (chunk: Buffer, stop: () => void) => void,
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const watching = streamGet(
    `${url}/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`,
    (chunk) => onChunk(chunk, stop),
    controller.signal,
  ).then(
    () => {
      throw new Error(`the watch ended before ${expected} MODIFIED events`);
    },
    (error: unknown) => {
      if (!controller.signal.aborted) throw error;
    },
  );
  await within(watching, 300_000, 'watch floor');
}

/** Reads the watch over HTTP, handing each event to `onEvent`; returns wall and CPU time to the last MODIFIED one. */
async function timedWatch(
  url: string,
  resourceVersion: string,
  expected: number,
  parse: (line: string) => PodEvent,
  onEvent: (event: PodEvent) => void,
): Promise<{ ms: number; cpuMs: number }> {
  let modified = 0;
  let finishedAt = 0;
  let finishedCpu = 0;
  let stopWatch = () => {};
  const split = lineSplitter((line) => {
    const event = parse(line);
    onEvent(event);
    if (event.type === 'MODIFIED') {
      modified += 1;
      if (modified === expected) {
        finishedAt = now();
        finishedCpu = cpuTime();
        stopWatch();
      }
    }
  });
  const start = now();
  const cpuStart = cpuTime();
  await readWatch(url, resourceVersion, expected, (chunk, stop) => {
    stopWatch = stop;
    if (modified < expected) split(chunk);
  });
  if (modified !== expected) throw new Error(`expected ${expected} MODIFIED events, got ${modified}`);
  return { ms: finishedAt - start, cpuMs: finishedCpu - cpuStart };
}

runCase(async (config): Promise<Metrics> => {
  const prune = config.transform === 'prune';
  const parse = (line: string): PodEvent => {
    if (!prune) return JSON.parse(line) as PodEvent;
    const pruned = pruneManagedFields(line, 'watchEvent');
    const event = JSON.parse(pruned ?? line) as PodEvent;
    if (pruned === undefined) delete event.object.metadata.managedFields;
    return event;
  };

  // The synced pods, as both informers hold them when their watch starts: a MODIFIED event replaces an
  // object already promoted to the old generation, which costs the GC far more than one that dies young.
  const listText = (await getBody(`${config.url}/api/v1/pods`)).toString('utf8');
  const list = JSON.parse((prune ? pruneManagedFields(listText, 'list') : undefined) ?? listText) as {
    metadata: { resourceVersion: string };
    items: PodEvent['object'][];
  };
  const resourceVersion = list.metadata.resourceVersion;
  const cache = new Map<string, unknown>();
  for (const item of list.items) {
    if (prune) delete item.metadata.managedFields;
    cache.set(`${item.metadata.namespace}/${item.metadata.name}`, item);
  }
  if (cache.size !== config.count) throw new Error(`expected ${config.count} pods, got ${cache.size}`);
  list.items = [];
  await settledHeap();
  const expected = config.watchEvents;
  const store = (event: PodEvent) => {
    if (event.type === 'BOOKMARK') return;
    const { namespace, name } = event.object.metadata;
    cache.set(`${namespace}/${name}`, event.object);
  };

  const wire = await timedWatch(config.url, resourceVersion, expected, parse, store);
  const network = await timedWatch(config.url, resourceVersion, expected, parse, () => {});

  const recorded: Buffer[] = [];
  let newlines = 0;
  await readWatch(config.url, resourceVersion, expected, (chunk, stop) => {
    recorded.push(chunk);
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) newlines += 1;
    if (newlines >= expected) stop();
  });
  let parsed = 0;
  const replay = lineSplitter((line) => {
    parse(line);
    parsed += 1;
  });
  const parseStart = now();
  for (const chunk of recorded) replay(chunk);
  const parseMs = now() - parseStart;

  const retain = lineSplitter((line) => store(parse(line)));
  await settledHeap();
  const retainStart = now();
  const retainCpuStart = cpuTime();
  for (const chunk of recorded) retain(chunk);
  const parseAndRetainMs = now() - retainStart;
  const parseAndRetainCpuMs = cpuTime() - retainCpuStart;
  const bytes = recorded.reduce((sum, chunk) => sum + chunk.length, 0);

  return {
    wireRetainMs: wire.ms,
    wireRetainCpuMs: wire.cpuMs,
    networkMs: network.ms,
    networkCpuMs: network.cpuMs,
    networkEventsPerSecond: (expected / network.ms) * 1000,
    parseMs,
    parseEventsPerSecond: (parsed / parseMs) * 1000,
    parseAndRetainMs,
    parseAndRetainCpuMs,
    retainedKeys: cache.size,
    bytesPerEvent: bytes / parsed,
    events: expected,
  };
});
