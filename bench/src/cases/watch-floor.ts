/**
 * The floor of watch throughput: the same watch stream (pods, from the pinned list's resourceVersion) read
 * with the plainest HTTP client, each chunk decoded once, split at newlines and each line `JSON.parse`d;
 * nothing stored, nothing else done. Then, untimed, the stream is read once more and recorded, and the
 * same decode+split+parse is timed over the recorded bytes in memory: the pure CPU cost without the
 * network or the server. (Recording during the timed read would add GC work the floor should not pay.)
 * Last, the same again keeping the newest object per key in a Map: the least any cache pays.
 */
import { StringDecoder } from 'node:string_decoder';
import { cpuTime, type Metrics, now, runCase, within } from '../case-support.js';
import { getBody, streamGet } from '../http-get.js';

/** Calls `onLine` with each complete newline-terminated line of the chunks fed to it. */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return (chunk) => {
    const text = pending === '' ? decoder.write(chunk) : pending + decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      onLine(text.slice(start, newline));
      start = newline + 1;
    }
    pending = text.slice(start);
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

runCase(async (config): Promise<Metrics> => {
  const list = JSON.parse((await getBody(`${config.url}/api/v1/pods?limit=1`)).toString('utf8')) as {
    metadata: { resourceVersion: string };
  };
  const resourceVersion = list.metadata.resourceVersion;
  const expected = config.watchEvents;

  let modified = 0;
  let finishedAt = 0;
  let finishedCpu = 0;
  let stopWatch = () => {};
  const split = lineSplitter((line) => {
    const event = JSON.parse(line) as { type: string };
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
  await readWatch(config.url, resourceVersion, expected, (chunk, stop) => {
    stopWatch = stop;
    if (modified < expected) split(chunk);
  });
  if (modified !== expected) throw new Error(`expected ${expected} MODIFIED events, got ${modified}`);
  const networkMs = finishedAt - start;
  const networkCpuMs = finishedCpu - cpuStart;

  const recorded: Buffer[] = [];
  let newlines = 0;
  await readWatch(config.url, resourceVersion, expected, (chunk, stop) => {
    recorded.push(chunk);
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) newlines += 1;
    if (newlines >= expected) stop();
  });
  let parsed = 0;
  const replay = lineSplitter((line) => {
    JSON.parse(line);
    parsed += 1;
  });
  const parseStart = now();
  for (const chunk of recorded) replay(chunk);
  const parseMs = now() - parseStart;

  // The same, keeping the newest object per key in a Map, as the most minimal cache would: retained
  // objects that die later cost the GC far more than objects that die young.
  const latest = new Map<string, unknown>();
  const retain = lineSplitter((line) => {
    const event = JSON.parse(line) as { object: { metadata: { namespace: string; name: string } } };
    const { namespace, name } = event.object.metadata;
    latest.set(`${namespace}/${name}`, event.object);
  });
  const retainStart = now();
  const retainCpuStart = cpuTime();
  for (const chunk of recorded) retain(chunk);
  const parseAndRetainMs = now() - retainStart;
  const parseAndRetainCpuMs = cpuTime() - retainCpuStart;
  const bytes = recorded.reduce((sum, chunk) => sum + chunk.length, 0);

  return {
    networkMs,
    networkCpuMs,
    networkEventsPerSecond: (expected / networkMs) * 1000,
    parseMs,
    parseEventsPerSecond: (parsed / parseMs) * 1000,
    parseAndRetainMs,
    parseAndRetainCpuMs,
    retainedKeys: latest.size,
    bytesPerEvent: bytes / parsed,
    events: expected,
  };
});
