/**
 * `node dist/profile-summary.js <file.cpuprofile> [top]`: the functions with the most self time in a V8
 * CPU profile (as written by `node --cpu-prof`), with their share of all samples. Pair with
 * `BENCH_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=<dir>" pnpm bench -- --only kubeinformers …`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topText = '25'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node dist/profile-summary.js <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  if (node === undefined) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where =
    url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|packages|bench)\//, '$1/')}:${lineNumber + 1}`;
  const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
  selfMicros.set(name, (selfMicros.get(name) ?? 0) + delta);
  total += delta;
});
const top = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topText));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [name, micros] of top) {
  console.log(
    `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
  );
}
