/**
 * One histogram series aggregated where it is recorded: explicit bucket counts, sum, count, min and max,
 * the way the OpenTelemetry SDK's explicit-bucket aggregation keeps them. Recording is a few comparisons
 * and additions; the SDK's `Histogram.record` also hashes the attributes on every call.
 */
export class BucketedSeries {
  /** `counts[i]` holds the values in (boundaries[i - 1], boundaries[i]]; the last, those above every boundary. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** When the first value was recorded (epoch ms): the start of the cumulative series. */
  startedAtMs = 0;

  constructor(readonly boundaries: readonly number[]) {
    this.counts = Array.from({ length: boundaries.length + 1 }, () => 0);
  }

  record(value: number): void {
    // The SDK drops these as well: a histogram takes no negative value, and NaN lands in no bucket.
    if (!(value >= 0)) return;
    if (this.count === 0) this.startedAtMs = Date.now();
    this.count += 1;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // The first boundary not below the value, as the SDK's binary search finds it; ten boundaries, and
    // queue latencies sit in the first few, so a linear scan is as quick.
    let bucket = 0;
    while (bucket < this.boundaries.length && (this.boundaries[bucket] as number) < value) bucket += 1;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
  }
}
