import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, expect, it } from 'vitest';
import { createKubeInformersMetrics } from '../kube-informers-metrics.js';
import { workQueueBucketsSeconds } from '../metric-names.js';
import { parseExposition, scrape } from '../test-support/prometheus-exposition.js';
import { WorkQueueHistograms } from './work-queue-histograms.js';

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const provider of providers.splice(0)) await provider.shutdown();
});

/** The SDK with one Prometheus exporter; the work queue histograms in place when `inPlace` is given. */
function wire(inPlace?: WorkQueueHistograms) {
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    ...(inPlace === undefined ? {} : { metricProducers: [inPlace] }),
  });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  providers.push(meterProvider);
  const metrics = createKubeInformersMetrics({
    meterProvider,
    ...(inPlace === undefined ? {} : { workQueueHistograms: inPlace }),
  });
  return { exporter, metrics };
}

/** Durations in ms: every client-go boundary exactly, just below and above it, and seeded random ones. */
function durationsMs(seed: number): number[] {
  let state = seed;
  const random = () => {
    // Park–Miller: deterministic for a seed.
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
  const edges = workQueueBucketsSeconds.flatMap((seconds) => [seconds, seconds * 0.999, seconds * 1.001]);
  const spread = Array.from({ length: 500 }, () => 10 ** (random() * 14 - 9));
  // Zero, a value past the last boundary, and what both must drop: a negative value and NaN.
  return [0, ...edges, ...spread, 100, -1, Number.NaN].map((seconds) => seconds * 1000);
}

const histogramLines = (exposition: string) =>
  exposition
    .split('\n')
    .filter((line) => /^(# (HELP|TYPE|UNIT) )?workqueue_(queue|work)_duration_seconds/.test(line));

it('exports the exposition lines of the meter’s histograms, value for value', async () => {
  const seed = Date.now() % 2_147_483_646 || 1;
  console.log(`durations seed ${seed}`);
  const viaMeter = wire();
  const inPlace = wire(new WorkQueueHistograms());
  for (const { metrics } of [viaMeter, inPlace]) {
    const first = metrics.workQueue('first');
    const second = metrics.workQueue('second');
    for (const ms of durationsMs(seed)) {
      first.queueLatency?.('item', ms);
      second.workDuration?.('item', ms / 3);
    }
    first.workDuration?.('item', 2);
    // The same name again is the same series, as one attribute set is on the meter.
    metrics.workQueue('first').queueLatency?.('item', 4);
  }
  const expected = histogramLines(await scrape(viaMeter.exporter));
  const actual = histogramLines(await scrape(inPlace.exporter));
  // HELP, UNIT and TYPE of both, and for each of the three series 11 buckets, a sum and a count.
  expect(expected.length).toBe(6 + 3 * 13);
  // Line for line; only the order of the series within a family may differ (the meter lists them by
  // first value, WorkQueueHistograms by queue creation), which Prometheus does not read.
  expect([...actual].sort()).toEqual([...expected].sort());
  expect(actual.filter((line) => line.startsWith('#'))).toEqual(
    expected.filter((line) => line.startsWith('#')),
  );
});

it('reports to every reader that lists it, cumulatively, and nothing before the first value', async () => {
  const histograms = new WorkQueueHistograms();
  const readers = [0, 1].map(
    () => new PrometheusExporter({ preventServerStart: true, metricProducers: [histograms] }),
  );
  const meterProvider = new MeterProvider({ readers });
  providers.push(meterProvider);
  const metrics = createKubeInformersMetrics({ meterProvider, workQueueHistograms: histograms });
  const hooks = metrics.workQueue('q');
  expect(histogramLines(await scrape(readers[0] as PrometheusExporter))).toEqual([]);

  const count = async (reader: PrometheusExporter) =>
    parseExposition(await scrape(reader)).samples.find(
      (sample) => sample.name === 'workqueue_queue_duration_seconds_count',
    )?.value;
  hooks.queueLatency?.('a', 1);
  expect(await count(readers[0] as PrometheusExporter)).toBe(1);
  hooks.queueLatency?.('b', 1);
  expect(await count(readers[0] as PrometheusExporter)).toBe(2);
  expect(await count(readers[1] as PrometheusExporter)).toBe(2);
});
