import { expect, it } from 'vitest';
import { runSoak, soakProblems } from './soak-run.js';

const minutes = Number(process.env.KI_SOAK_MINUTES ?? 30);
// The heap settles once the server's event history and the connection pool are full.
const warmupMinutes = Math.min(2, Math.max(1, Math.floor(minutes / 3)));

it(`soak: ${minutes} minutes of churn and faults without heap growth or handle accumulation`, async () => {
  const report = await runSoak({ minutes, log: (line) => console.info(line) });
  expect(report.violations).toEqual([]);
  expect(report.samples).toHaveLength(minutes);
  expect(soakProblems(report.samples, warmupMinutes)).toEqual([]);
});
