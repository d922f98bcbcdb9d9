#!/usr/bin/env node
// Measures watch fan-out: a CLI server process with 1,000 realistic pods produces MODIFIED events (via the
// control path's churn, which is paced by the watchers' sockets) while this process reads one or more
// watches. Reports events/s and MB/s per watcher. Run after `pnpm build`:
//   node scripts/measure-watch.mjs [events] [watchers]
import { request } from 'node:http';
import { postJson, startControlServer } from './control-server.mjs';

const events = Number(process.argv[2] ?? 100_000);
const watcherCount = Number(process.argv[3] ?? 1);
const { server, url } = await startControlServer();

const post = (path, body) => postJson(url, path, body);

const generated = await post('/_fake/pods/generate', { count: 1_000, namespace: 'load' });
const watchers = await Promise.all(
  Array.from(
    { length: watcherCount },
    () =>
      new Promise((resolve, reject) => {
        request(
          `${url}/api/v1/namespaces/load/pods?watch=1&resourceVersion=${generated.resourceVersion}`,
          (response) => {
            const watcher = { bytes: 0, lines: 0, done: undefined };
            watcher.done = new Promise((finish) => {
              response.on('data', (chunk) => {
                watcher.bytes += chunk.length;
                for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1))
                  watcher.lines += 1;
                if (watcher.lines >= events) finish(performance.now());
              });
            });
            resolve(watcher);
          },
        )
          .on('error', reject)
          .end();
      }),
  ),
);
const started = performance.now();
await post('/_fake/churn', { count: events, namespace: 'load' });
const finished = Math.max(...(await Promise.all(watchers.map((watcher) => watcher.done))));
const seconds = (finished - started) / 1000;
const megabytes = watchers[0].bytes / 1e6;
console.log(
  `${events} MODIFIED events to ${watcherCount} watcher(s) in ${seconds.toFixed(2)} s: ${(events / seconds).toFixed(0)} events/s, ` +
    `${(megabytes / seconds).toFixed(0)} MB/s per watcher (${megabytes.toFixed(0)} MB each)`,
);
server.kill('SIGTERM');
process.exit(0);
