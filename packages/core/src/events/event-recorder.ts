import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import { microTime } from '../time/micro-time.js';
import type { RateLimiter } from '../work-queue/rate-limiter.js';
import { createTokenBucketRateLimiter } from '../work-queue/rate-limiter.js';
import type { EventObjectReference, EventSink, KubernetesEvent } from './kubernetes-event.js';

/** What happened, besides the object it happened to. */
export interface EventDetails {
  readonly type: 'Normal' | 'Warning';
  /** Why, in UpperCamelCase (`ReconcileFailed`); part of what makes two events "the same". */
  readonly reason: string;
  /** What the controller did or tried, in UpperCamelCase (`Reconcile`); part of the identity too. */
  readonly action: string;
  /** Detail for humans; not part of the identity: a series keeps the note of its first event. */
  readonly note?: string;
  /** A second object involved (e.g. the pod a ReplicaSet created). */
  readonly related?: KubeObject | EventObjectReference;
}

export interface EventRecorderOptions {
  readonly sink: EventSink;
  /** The controller's name, e.g. `example.com/pods-per-node`; `kubectl describe` shows it as "From". */
  readonly reportingController: string;
  /** This replica, e.g. its pod name (`HOSTNAME`). */
  readonly reportingInstance: string;
  /** Times series updates and the rate limit; default `systemClock`. */
  readonly clock?: Clock;
  /** Milliseconds since the epoch for `eventTime` and `lastObservedTime`; default `Date.now`. */
  readonly wallClock?: () => number;
  /** A series' count is written at most this often; default 10 s. */
  readonly seriesUpdateIntervalMs?: number;
  /**
   * A series not seen for this long is finished: the next same event starts a new Event object.
   * Default 6 min, client-go's `finishTime`.
   */
  readonly seriesExpiryMs?: number;
  /**
   * The per-object rate limit of writes (creates and series updates together): `burst` at once, then one
   * per `refillMs`. Default 25 and 5 min, the numbers of client-go's spam filter.
   */
  readonly objectRateLimit?: { readonly burst?: number; readonly refillMs?: number };
  /** Series (and rate limit buckets) kept in memory, least recently seen dropped first; default 4096 as in client-go. */
  readonly maxSeries?: number;
  /** Receives failed writes (retried with the next update); default `console.error`. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Records Kubernetes Events (`events.k8s.io/v1`) about objects, as client-go's event recorder and
 * correlator do, so that `kubectl describe` shows what a controller did.
 *
 * Contract:
 * - `record` never blocks and never throws for the API's sake: writes happen in the background, failures
 *   go to `onError` and are retried with the next update.
 * - The same event (same object, type, reason, action, related object; the note may differ) within
 *   `seriesExpiryMs` joins a series: one Event object whose `series.count` counts the occurrences. The
 *   first occurrence is created at once; later ones update the count at most once per
 *   `seriesUpdateIntervalMs`, so a reconcile failing 1,000 times a second costs one create and then one
 *   update per interval, with an exact count.
 * - Writes per object are rate limited (`objectRateLimit`): past the burst, a write waits for a token
 *   instead of being dropped, so counts stay exact; only a series evicted from memory (`maxSeries`)
 *   before it was written is lost, and counted in `dropped`.
 * - `flush()` writes every pending count now (before exiting), ignoring the interval and the limit;
 *   `close()` does so once and leaves no timer behind.
 * @example
 * const recorder = createEventRecorder({ sink: createEventSink(kubeConfig), reportingController: 'example.com/demo', reportingInstance: hostname() });
 * recorder.record(pod, { type: 'Warning', reason: 'ReconcileFailed', action: 'Reconcile', note: String(error) });
 * @see client-go `tools/events.EventRecorder` (series), `tools/record.EventCorrelator` (spam filter)
 */
export interface EventRecorder {
  record(regarding: KubeObject | EventObjectReference, details: EventDetails): void;
  /** Writes every pending series count now; resolves when every write in flight settled. */
  flush(): Promise<void>;
  /**
   * Writes what is pending once (as `flush`) and stops: no timer is left to keep the process alive, a
   * write that fails is reported and not retried, and later `record` calls are ignored. For a process
   * that exits, or a replica that stops leading (whose writes a `WriteGuard` refuses from then on).
   */
  close(): Promise<void>;
  /** Occurrences lost because their series was evicted from memory before it was written. */
  readonly dropped: number;
}

interface Series {
  readonly key: string;
  readonly objectKey: string;
  event: KubernetesEvent;
  /** Occurrences seen. */
  count: number;
  /** The count the server holds; 0 before the Event was created. */
  writtenCount: number;
  lastObservedWall: number;
  lastSeenAt: number;
  lastWriteAt: number | undefined;
  timer: ClockTimer | undefined;
  writing: Promise<void> | undefined;
}

/** `events.k8s.io/v1` refuses notes over 1 kB. */
const noteLimitBytes = 1024;

/** Creates an `EventRecorder` over `sink`; see it for the contract. */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const { sink, reportingController, reportingInstance } = options;
  const clock = options.clock ?? systemClock;
  const wallClock = options.wallClock ?? (() => Date.now());
  const interval = nonNegative('seriesUpdateIntervalMs', options.seriesUpdateIntervalMs ?? 10_000);
  const expiry = nonNegative('seriesExpiryMs', options.seriesExpiryMs ?? 6 * 60_000);
  const burst = options.objectRateLimit?.burst ?? 25;
  const refillMs = options.objectRateLimit?.refillMs ?? 300_000;
  const maxSeries = options.maxSeries ?? 4096;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new InvalidOptionError('maxSeries', `must be a positive integer, got ${maxSeries}`);
  }
  const report = options.onError ?? ((error: unknown) => console.error(error));
  const series = new Map<string, Series>(); // in least recently seen order
  const buckets = new Map<string, RateLimiter<string>>(); // in least recently used order
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;
  let dropped = 0;
  let closed = false;

  const bucketFor = (objectKey: string): RateLimiter<string> => {
    let bucket = buckets.get(objectKey);
    if (bucket === undefined) {
      bucket = createTokenBucketRateLimiter<string>(clock, { burst, qps: 1000 / refillMs });
    } else {
      buckets.delete(objectKey);
    }
    buckets.set(objectKey, bucket);
    if (buckets.size > maxSeries) buckets.delete(buckets.keys().next().value as string);
    return bucket;
  };

  const write = (entry: Series): void => {
    entry.timer = undefined;
    const count = entry.count;
    const lastObservedTime = microTime(entry.lastObservedWall);
    const withSeries = count > 1 ? { ...entry.event, series: { count, lastObservedTime } } : entry.event;
    const send = async () => {
      try {
        if (
          entry.writtenCount === 0 ||
          !(await sink.updateSeries(entry.event, { count, lastObservedTime }))
        ) {
          await sink.create(withSeries);
        }
        entry.writtenCount = count;
      } catch (error) {
        report(error);
      }
    };
    // `.finally` always runs on a later turn, after `request` is assigned, even if the sink threw at once.
    const request: Promise<void> = send().finally(() => {
      entry.lastWriteAt = clock.now();
      entry.writing = undefined;
      inFlight.delete(request);
      if (!closed && entry.count > entry.writtenCount && series.get(entry.key) === entry) schedule(entry);
    });
    entry.writing = request;
    inFlight.add(request);
  };

  /** Arranges the next write of `entry`: after the interval since the last one, with a token. */
  const schedule = (entry: Series): void => {
    if (entry.timer !== undefined || entry.writing !== undefined) return;
    const now = clock.now();
    const due = entry.lastWriteAt === undefined ? now : entry.lastWriteAt + interval;
    const reserve = () => {
      // The token is reserved when the write is due, so a burst of series does not hoard them early.
      const wait = bucketFor(entry.objectKey).when(entry.objectKey);
      if (wait <= 0) write(entry);
      else entry.timer = clock.setTimeout(() => write(entry), wait);
    };
    if (due <= now) reserve();
    else entry.timer = clock.setTimeout(reserve, due - now);
  };

  return {
    get dropped() {
      return dropped;
    },
    record(regarding, details) {
      if (closed) return;
      const reference = referenceTo(regarding);
      const related = details.related === undefined ? undefined : referenceTo(details.related);
      const objectKey = JSON.stringify([
        reference.apiVersion,
        reference.kind,
        reference.namespace,
        reference.name,
        reference.uid,
      ]);
      // Not the resourceVersion (client-go keys on it): a reconcile failing across status writes is one
      // story, not a new series per write. Not the note: as in client-go, it may vary within a series.
      const key = JSON.stringify([
        objectKey,
        reference.fieldPath,
        details.type,
        details.reason,
        details.action,
        related === undefined
          ? undefined
          : [related.apiVersion, related.kind, related.namespace, related.name, related.uid],
      ]);
      const now = clock.now();
      const wallNow = wallClock();
      let entry = series.get(key);
      if (entry !== undefined) {
        series.delete(key);
        const finished = entry.count === entry.writtenCount && entry.writing === undefined;
        if (finished && now - entry.lastSeenAt > expiry) entry = undefined;
      }
      if (entry === undefined) {
        const namespace = reference.namespace || 'default';
        sequence = (sequence + 1) % 1_000_000;
        // client-go names Events `<object>.<unix nanoseconds in hex>`; the sequence keeps them unique here.
        const name = `${reference.name ?? 'unknown'}.${(BigInt(Math.floor(wallNow)) * 1_000_000n + BigInt(sequence)).toString(16)}`;
        entry = {
          key,
          objectKey,
          event: {
            apiVersion: 'events.k8s.io/v1',
            kind: 'Event',
            metadata: { name, namespace },
            eventTime: microTime(wallNow),
            type: details.type,
            reason: details.reason,
            action: details.action,
            ...(details.note === undefined ? {} : { note: truncated(details.note) }),
            regarding: reference,
            ...(related === undefined ? {} : { related }),
            reportingController,
            reportingInstance,
          },
          count: 0,
          writtenCount: 0,
          lastObservedWall: wallNow,
          lastSeenAt: now,
          lastWriteAt: undefined,
          timer: undefined,
          writing: undefined,
        };
      }
      entry.count += 1;
      entry.lastSeenAt = now;
      entry.lastObservedWall = wallNow;
      series.set(key, entry);
      if (series.size > maxSeries) {
        const oldest = series.values().next().value as Series;
        series.delete(oldest.key);
        oldest.timer?.cancel();
        dropped += oldest.count - oldest.writtenCount;
      }
      schedule(entry);
    },
    async close() {
      closed = true;
      for (const entry of series.values()) {
        entry.timer?.cancel();
        entry.timer = undefined;
      }
      await this.flush();
    },
    async flush() {
      // Writes in flight first: what they did not cover is pending after them.
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      for (const entry of series.values()) {
        if (entry.count > entry.writtenCount && entry.writing === undefined) {
          entry.timer?.cancel();
          write(entry);
        }
      }
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

function referenceTo(object: KubeObject | EventObjectReference): EventObjectReference {
  const metadata = (object as KubeObject).metadata;
  if (metadata === undefined) return object as EventObjectReference;
  const { apiVersion, kind } = object as KubeObject;
  const reference: { -readonly [K in keyof EventObjectReference]: EventObjectReference[K] } = {};
  if (apiVersion !== undefined) reference.apiVersion = apiVersion;
  if (kind !== undefined) reference.kind = kind;
  if (metadata.namespace !== undefined) reference.namespace = metadata.namespace;
  if (metadata.name !== undefined) reference.name = metadata.name;
  if (metadata.uid !== undefined) reference.uid = metadata.uid;
  if (metadata.resourceVersion !== undefined) reference.resourceVersion = metadata.resourceVersion;
  return reference;
}

function truncated(note: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(note).length <= noteLimitBytes) return note;
  let end = Math.min(note.length, noteLimitBytes);
  while (end > 0 && encoder.encode(`${note.slice(0, end)}…`).length > noteLimitBytes) end -= 1;
  return `${note.slice(0, end)}…`;
}

function nonNegative(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(option, `must be a finite number ≥ 0, got ${value}`);
  }
  return value;
}
