#!/usr/bin/env node
// `pnpm test`: every package's typecheck (which compiles the `*.test-d.ts` type tests) and tests through
// turbo, with turbo's output passed through as it comes, then one closing line that totals every
// package's vitest summary, so the run's result is readable at a glance. Exits with turbo's code.
// Extra arguments go to turbo, e.g. `pnpm test --filter=@kubeinformers/core`.
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const turbo = spawn('turbo', ['run', 'typecheck', 'test', ...process.argv.slice(2)], {
  stdio: ['inherit', 'pipe', 'pipe'],
});

const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 };
// The unfinished last line of each stream, completed by its next chunk.
const pending = new Map();

/** Adds a vitest summary line (`Tests  2 failed | 40 passed | 1 skipped (43)`) to the totals. */
function count(line) {
  const plain = stripVTControlCharacters(line);
  if (!/\bTests\s{2,}\d/.test(plain)) return;
  for (const [, number, kind] of plain.matchAll(/(\d+) (passed|failed|skipped|todo)\b/g))
    totals[kind] += Number(number);
}

function forward(chunk, to) {
  to.write(chunk);
  const lines = ((pending.get(to) ?? '') + chunk.toString('utf8')).split('\n');
  pending.set(to, lines.pop() ?? '');
  for (const line of lines) count(line);
}

turbo.stdout.on('data', (chunk) => forward(chunk, process.stdout));
turbo.stderr.on('data', (chunk) => forward(chunk, process.stderr));
turbo.on('close', (code, signal) => {
  for (const line of pending.values()) count(line);
  const todo = totals.todo > 0 ? `, ${totals.todo} todo` : '';
  process.stdout.write(
    `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${todo}\n`,
  );
  process.exitCode = code ?? (signal === null ? 1 : 128);
});
