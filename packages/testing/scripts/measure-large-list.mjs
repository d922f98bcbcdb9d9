#!/usr/bin/env node
// Measures how the fake server serves a large list: 50,000 realistic pods (about 5 KB each) are generated
// in a CLI server process, listed in full twice by this process, and the server's resident memory is
// sampled during each list. A streamed list keeps the server's memory flat; a list built as one string
// would grow it by at least the body's size. Run after `pnpm build`:
//   node scripts/measure-large-list.mjs [count]
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { postJson, startControlServer } from './control-server.mjs';

const count = Number(process.argv[2] ?? 50_000);
const { server, url } = await startControlServer();

const residentMegabytes = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};

const post = (path, body) => postJson(url, path, body);

function list() {
  return new Promise((resolve, reject) => {
    const before = residentMegabytes();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentMegabytes());
    }, 10);
    const started = performance.now();
    request(`${url}/api/v1/pods`, (response) => {
      const marker = Buffer.from('{"metadata":{"name":');
      let bytes = 0;
      let items = 0;
      let tail = Buffer.alloc(0);
      response.on('data', (chunk) => {
        bytes += chunk.length;
        // Count items without parsing (every pod starts the same way), across chunk boundaries.
        const data = Buffer.concat([tail, chunk]);
        for (let at = data.indexOf(marker); at !== -1; at = data.indexOf(marker, at + marker.length))
          items += 1;
        tail = data.subarray(data.length - (marker.length - 1));
      });
      response.on('end', () => {
        clearInterval(sampler);
        const seconds = (performance.now() - started) / 1000;
        resolve({
          bytes,
          items,
          seconds,
          before,
          peak,
          chunked: response.headers['transfer-encoding'] === 'chunked',
        });
      });
    })
      .on('error', reject)
      .end();
  });
}

const generated = await post('/_fake/pods/generate', {
  count,
  namespace: 'load',
  nodes: ['node-1', 'node-2', 'node-3'],
});
console.log(`generated ${generated.created} pods; server RSS ${residentMegabytes().toFixed(0)} MB`);
for (const label of ['first list (serializes and caches each pod)', 'second list (cached JSON)']) {
  const result = await list();
  const megabytes = result.bytes / 1e6;
  console.log(
    `${label}: ${result.items} items, ${megabytes.toFixed(1)} MB in ${result.seconds.toFixed(2)} s = ${(megabytes / result.seconds).toFixed(0)} MB/s; ` +
      `chunked=${result.chunked}; server RSS ${result.before.toFixed(0)} → peak ${result.peak.toFixed(0)} MB (+${(result.peak - result.before).toFixed(0)} MB)`,
  );
}
server.kill('SIGTERM');
