import type { InformerHealth } from '@kubeinformers/core';

/** What one seed of a fault burst measured; the simulated and the real-time burst report the same. */
export interface FaultBurstReport {
  readonly seed: number;
  /** For each informer, from the faults stopping until it held the server's truth (ms). */
  readonly convergenceMs: Readonly<Record<string, number>>;
  /** Requests per informer per second during the burst. */
  readonly requestsPerInformerPerSecond: number;
  /** The stream faults injected, in order, with their time into the burst (ms). */
  readonly streamFaults: readonly string[];
  /**
   * Each informer's health the moment the faults stopped, in words (phase, when it retries, failures in
   * a row, the last error, and the failures and waits since its last progress): what a slow recovery
   * was waiting for.
   */
  readonly atFaultsStop: Readonly<Record<string, string>>;
  /**
   * Each informer's requests from 3 s before the faults stopped until it converged, times relative to
   * the stop: the fault each met and how each watch ended. Only the simulated burst records them.
   */
  readonly requests?: Readonly<Record<string, readonly string[]>>;
}

/** Median and maximum of recovery times, per seed (its slowest informer) and per informer. */
export interface RecoverySummary {
  readonly seeds: number;
  readonly informers: number;
  readonly perSeed: { readonly median: number; readonly max: number };
  readonly perInformer: { readonly median: number; readonly max: number };
}

/** A seed recovers when all its informers hold the server's truth: its slowest informer. */
export function seedRecoveryMs(report: FaultBurstReport): number {
  return Math.max(...Object.values(report.convergenceMs));
}

export function summarizeRecovery(reports: readonly FaultBurstReport[]): RecoverySummary {
  const perSeed = reports.map(seedRecoveryMs);
  const perInformer = reports.flatMap((report) => Object.values(report.convergenceMs));
  return {
    seeds: reports.length,
    informers: perInformer.length,
    perSeed: { median: median(perSeed), max: Math.max(...perSeed) },
    perInformer: { median: median(perInformer), max: Math.max(...perInformer) },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Above this, a seed's line says what the informer was waiting for when the faults stopped. */
const explainAboveMs = 1_000;

/**
 * One line per seed: its recovery, each informer's (with its health at the stop when slow), the request
 * rate, the faults.
 */
export function describeSeed(report: FaultBurstReport): string {
  const each = Object.entries(report.convergenceMs)
    .map(([name, ms]) =>
      ms > explainAboveMs
        ? `${name} ${seconds(ms)} [${report.atFaultsStop[name] ?? '?'}]`
        : `${name} ${seconds(ms)}`,
    )
    .join('; ');
  return `fault burst seed ${report.seed}: recovered ${seconds(seedRecoveryMs(report))} after the faults stopped (${each}); ${report.requestsPerInformerPerSecond.toFixed(2)} requests/s per informer during the burst; stream faults ${report.streamFaults.join(' ')}`;
}

export function describeSummary(label: string, reports: readonly FaultBurstReport[]): string {
  const summary = summarizeRecovery(reports);
  const bySeed = reports.map((report) => `${report.seed}: ${seconds(seedRecoveryMs(report))}`).join(', ');
  return `${label}: ${summary.seeds} seeds, per seed (all its informers) median ${seconds(summary.perSeed.median)}, max ${seconds(summary.perSeed.max)}; per informer (${summary.informers}) median ${seconds(summary.perInformer.median)}, max ${seconds(summary.perInformer.max)}; seeds ${bySeed}`;
}

/** An informer's health in words, times relative to `now`. */
export function describeHealth(health: InformerHealth, now: number): string {
  const parts: string[] = [health.phase];
  if (health.retryAt !== undefined) parts.push(`retry in ${seconds(health.retryAt - now)}`);
  else parts.push(`for ${seconds(now - health.since)}`);
  parts.push(`${health.consecutiveFailures} failures in a row`);
  if (health.lastError !== undefined) parts.push(`last ${health.lastError.code}`);
  return parts.join(', ');
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
