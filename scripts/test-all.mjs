#!/usr/bin/env node
// `pnpm test`: every package's typecheck (which compiles the `*.test-d.ts` type tests), then every package's
// tests, through turbo, with turbo's output passed through as it comes; then one closing line that totals
// every package's vitest summary, so the run's result is readable at a glance. The two phases run one after
// the other so that compilers do not compete with the timing-sensitive process tests for the CPU. Exits
// with the first failing phase's code. Extra arguments go to turbo, e.g. `pnpm test --filter=@kubeinformers/core`.
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const totals = { passed: 0, failed: 0, skipped: 0, todo: 0 };

/** Adds a vitest summary line (`Tests  2 failed | 40 passed | 1 skipped (43)`) to the totals. */
function count(line) {
  const plain = stripVTControlCharacters(line);
  if (!/\bTests\s{2,}\d/.test(plain)) return;
  for (const [, number, kind] of plain.matchAll(/(\d+) (passed|failed|skipped|todo)\b/g))
    totals[kind] += Number(number);
}

/** Runs `turbo run <task> [filters]`, passing its output through and counting its summaries; resolves to its exit code. */
function turbo(task, ...filters) {
  // --continue: every package runs and reports even after one fails, so the total covers them all.
  return new Promise((resolve) => {
    const child = spawn('turbo', ['run', task, '--continue', ...filters, ...process.argv.slice(2)], {
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    // The unfinished last line of each stream, completed by its next chunk.
    const pending = new Map();
    const forward = (chunk, to) => {
      to.write(chunk);
      const lines = ((pending.get(to) ?? '') + chunk.toString('utf8')).split('\n');
      pending.set(to, lines.pop() ?? '');
      for (const line of lines) count(line);
    };
    child.stdout.on('data', (chunk) => forward(chunk, process.stdout));
    child.stderr.on('data', (chunk) => forward(chunk, process.stderr));
    child.on('close', (code, signal) => {
      for (const line of pending.values()) count(line);
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

// Suites that must have the machine to themselves: the dashboard's browser suite measures the page's main
// thread, which must not share the two cores with the other suites.
const runAlone = ['@kubeinformers/dashboard'];

const typecheckCode = await turbo('typecheck');
let testCode = typecheckCode;
if (typecheckCode === 0) {
  const filtered = process.argv.length > 2;
  const others = filtered ? [] : runAlone.map((name) => `--filter=!${name}`);
  testCode = await turbo('test', ...others);
  if (!filtered) {
    for (const name of runAlone) testCode = Math.max(testCode, await turbo('test', `--filter=${name}`));
  }
}
const todo = totals.todo > 0 ? `, ${totals.todo} todo` : '';
const typecheck = typecheckCode === 0 ? '' : ' (typecheck failed: tests not run)';
process.stdout.write(
  `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${todo}${typecheck}\n`,
);
process.exitCode = testCode;
