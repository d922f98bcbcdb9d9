import type { Clock } from '@kubeinformers/core';
import type { RequestVerb } from '../http/api-route.js';
import { ApiStatusError, type StatusReason } from '../storage/api-status-error.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { WatchHub } from '../watch/watch-hub.js';

/** Which requests a fault applies to; every given criterion must hold. Nothing given: every request. */
export interface RequestMatcher {
  /** `list`, `watch`, `get`, `create`, …, or `discovery`; one or several. */
  readonly verb?: RequestVerb | readonly RequestVerb[];
  /** A substring of the request path (no query), or a regular expression tested against it. */
  readonly path?: string | RegExp;
}

export interface FailureFault extends RequestMatcher {
  /** How many matching requests fail; default 1. */
  readonly count?: number;
  /** HTTP status; default 500. */
  readonly status?: number;
  /** Status `reason`; derived from `status` when omitted (429 → TooManyRequests, 503 → ServiceUnavailable…). */
  readonly reason?: StatusReason;
  readonly message?: string;
  /** Sent as the `Retry-After` header and `details.retryAfterSeconds`. */
  readonly retryAfterSeconds?: number;
}

export interface DelayFault extends RequestMatcher {
  /** Delay before the request is handled, in milliseconds. */
  readonly delayMs: number;
  /** How many matching requests are delayed; default: all until `clear()`. */
  readonly count?: number;
}

export interface RestartOptions {
  /** Time the port stays closed (connections refused) before listening again; default 0. */
  readonly downtimeMs?: number;
}

interface Rule<T> {
  readonly fault: T;
  remaining: number;
}

const reasons: Readonly<Record<number, StatusReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * Fault injection, in-process (`server.faults`) and through the control path (`POST /_fake/faults/…`).
 * Request faults (failures, delays) apply in the order they were added; watch faults act on the open
 * watches; `compact` and `restart` keep every object and the resourceVersion sequence.
 */
export class FaultInjector {
  private failures: Rule<FailureFault>[] = [];
  private delays: Rule<DelayFault>[] = [];

  constructor(
    private readonly hub: WatchHub,
    private readonly objectStore: ObjectStore,
    private readonly restartServer: (options: RestartOptions) => Promise<void>,
    private readonly clock: Clock,
  ) {}

  /** The next `count` matching requests fail with the given status (a `Status` body, like the real server). */
  failNextRequests(fault: FailureFault = {}): void {
    this.failures.push({ fault, remaining: fault.count ?? 1 });
  }

  /** Matching requests wait `delayMs` before they are handled (watches: before their headers). */
  delayResponses(fault: DelayFault): void {
    this.delays.push({ fault, remaining: fault.count ?? Number.POSITIVE_INFINITY });
  }

  /** Ends every open watch cleanly (`abrupt`: drops the connections). Returns how many were open. */
  closeWatches(options: { readonly abrupt?: boolean } = {}): number {
    return this.hub.closeAll(options);
  }

  /** Open (and new) watches keep their connection but receive no bytes until `resumeWatches()`. */
  stallWatches(): void {
    this.hub.stall();
  }

  resumeWatches(): void {
    this.hub.resume();
  }

  /** The next `count` watch event lines (on any watch) are cut in half: invalid JSON for the client. */
  corruptNextWatchLines(count = 1): void {
    this.hub.corruptNextLines(count);
  }

  /** Drops all event history: watches and exact lists from any older resourceVersion get 410 Expired. */
  compact(): void {
    this.objectStore.compact();
  }

  /** Drops every connection (in-flight requests and watches alike); state and resourceVersions survive. */
  restart(options: RestartOptions = {}): Promise<void> {
    return this.restartServer(options);
  }

  /** Removes every pending request fault and resumes stalled watches. */
  clear(): void {
    this.failures = [];
    this.delays = [];
    this.hub.resume();
  }

  /** Applies the request faults to one request: waits for delays, throws the injected failure. */
  async beforeRequest(verb: RequestVerb, path: string): Promise<void> {
    const delay = take(this.delays, verb, path);
    if (delay !== undefined)
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay.delayMs));
    const failure = take(this.failures, verb, path);
    if (failure === undefined) return;
    const status = failure.status ?? 500;
    throw new ApiStatusError({
      code: status,
      reason: failure.reason ?? reasons[status] ?? 'InternalError',
      message: failure.message ?? `injected failure (${status})`,
      ...(failure.retryAfterSeconds === undefined
        ? {}
        : { details: { retryAfterSeconds: failure.retryAfterSeconds } }),
    });
  }
}

function take<T extends RequestMatcher>(rules: Rule<T>[], verb: RequestVerb, path: string): T | undefined {
  const index = rules.findIndex((rule) => rule.remaining > 0 && matches(rule.fault, verb, path));
  if (index === -1) return undefined;
  const rule = rules[index]!;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(index, 1);
  return rule.fault;
}

function matches(matcher: RequestMatcher, verb: RequestVerb, path: string): boolean {
  if (matcher.verb !== undefined && ![matcher.verb].flat().includes(verb)) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === 'string' ? path.includes(matcher.path) : matcher.path.test(path);
}
