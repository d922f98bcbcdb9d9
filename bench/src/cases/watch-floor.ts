/**
 * The floor of watch throughput: the same watch stream (pods, from the pinned list's resourceVersion) read
 * with the plainest HTTP client, split at newlines and each line `JSON.parse`d; nothing stored. Also
 * the same split+parse over the recorded bytes, in memory, which is the pure CPU cost without the
 * network or the server.
 */
import { cpuTime, type Metrics, now, runCase, within } from '../case-support.js';
import { getBody, streamGet } from '../http-get.js';

/** Calls `onLine` with each complete newline-terminated line of the chunks fed to it, as a string. */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  return (chunk) => {
    const data = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pending = undefined;
    let start = 0;
    for (let newline = data.indexOf(10, start); newline !== -1; newline = data.indexOf(10, start)) {
      onLine(data.toString('utf8', start, newline));
      start = newline + 1;
    }
    if (start < data.length) pending = data.subarray(start);
  };
}

runCase(async (config): Promise<Metrics> => {
  const list = JSON.parse((await getBody(`${config.url}/api/v1/pods?limit=1`)).toString('utf8')) as {
    metadata: { resourceVersion: string };
  };
  const resourceVersion = list.metadata.resourceVersion;
  const expected = config.watchEvents;
  const recorded: Buffer[] = [];
  let modified = 0;
  let finishedAt = 0;
  let finishedCpu = 0;
  const controller = new AbortController();
  const split = lineSplitter((line) => {
    const event = JSON.parse(line) as { type: string };
    if (event.type === 'MODIFIED') {
      modified += 1;
      if (modified === expected) {
        finishedAt = now();
        finishedCpu = cpuTime();
        controller.abort();
      }
    }
  });
  const watchUrl = `${config.url}/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`;
  const start = now();
  const cpuStart = cpuTime();
  const watching = streamGet(
    watchUrl,
    (chunk) => {
      recorded.push(chunk);
      split(chunk);
    },
    controller.signal,
  ).catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
    return 0;
  });
  await within(watching, 300_000, 'watch floor');
  if (modified !== expected) throw new Error(`expected ${expected} MODIFIED events, got ${modified}`);
  const networkMs = finishedAt - start;
  const networkCpuMs = finishedCpu - cpuStart;
  const bytes = recorded.reduce((sum, chunk) => sum + chunk.length, 0);

  let parsed = 0;
  const replay = lineSplitter((line) => {
    JSON.parse(line);
    parsed += 1;
  });
  const parseStart = now();
  for (const chunk of recorded) replay(chunk);
  const parseMs = now() - parseStart;

  return {
    networkMs,
    networkCpuMs,
    networkEventsPerSecond: (expected / networkMs) * 1000,
    parseMs,
    parseEventsPerSecond: (parsed / parseMs) * 1000,
    bytesPerEvent: bytes / parsed,
    events: expected,
  };
});
