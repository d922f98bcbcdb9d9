import { expect, vi } from 'vitest';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { ListWatchSink, WatchChange } from '../list-watch/list-watch-sink.js';
import { Reflector } from '../list-watch/reflector.js';
import type { ReflectorOptions } from '../list-watch/reflector-options.js';
import type { KubeObject } from '../protocol/kube-object.js';
import { defineResource } from '../protocol/resource-descriptor.js';
import { ManualClock } from '../time/manual-clock.js';
import { listBody, ScriptedTransport } from './scripted-transport.js';

export interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}

export const pods = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});

export function pod(name: string, resourceVersion: string, namespace = 'default'): Pod {
  return { metadata: { name, namespace, resourceVersion } };
}

export type SinkCall =
  | readonly ['replace', readonly string[], string]
  | readonly ['apply', WatchChange<Pod>['type'], string, string]
  | readonly ['bookmark', string];

/** Records what the reflector writes, by object name. */
export class RecordingSink implements ListWatchSink<Pod> {
  readonly calls: SinkCall[] = [];
  prepare?: (object: Pod) => Pod;

  replace(objects: readonly Pod[], resourceVersion: string): void {
    this.calls.push(['replace', objects.map((object) => object.metadata?.name ?? '?'), resourceVersion]);
  }

  apply(event: WatchChange<Pod>, resourceVersion: string): void {
    this.calls.push(['apply', event.type, event.object.metadata?.name ?? '?', resourceVersion]);
  }

  bookmark(resourceVersion: string): void {
    this.calls.push(['bookmark', resourceVersion]);
  }
}

/** Polls `assertion` until it passes; bounded, so a broken loop fails the test instead of hanging it. */
export function eventually(assertion: () => void): Promise<void> {
  return vi.waitFor(assertion, { timeout: 2_000, interval: 1 });
}

/** A reflector running over a scripted transport and a manual clock; `random` is 0.5 (timeout 450 s). */
export function startReflector(options: Partial<ReflectorOptions<Pod>> = {}) {
  const clock = new ManualClock();
  const transport = new ScriptedTransport();
  const sink = new RecordingSink();
  const errors: KubeInformersError[] = [];
  const progress: number[] = [];
  const reflector = new Reflector<Pod>({
    transport,
    resource: pods,
    sink,
    clock,
    random: () => 0.5,
    onError: (error) => errors.push(error),
    onListProgress: (count) => progress.push(count),
    ...options,
  });
  const controller = new AbortController();
  const running = reflector.run(controller.signal);

  return {
    clock,
    transport,
    sink,
    errors,
    progress,
    reflector,
    /** Waits until the reflector sleeps `delayMs` (a backoff), then lets that time pass. */
    async elapseBackoff(delayMs: number): Promise<void> {
      await eventually(() => expect(clock.nextTimerDelay).toBe(delayMs));
      clock.advance(delayMs);
    },
    /** Aborts, and checks that nothing is left behind: no timer, no open request. */
    async stop(): Promise<void> {
      controller.abort();
      await running;
      expect(clock.pendingTimers).toBe(0);
      expect(transport.requests.every((request) => request.signal.aborted)).toBe(true);
    },
  };
}

/**
 * A reflector (see `startReflector`) that listed `a` at version 10 and has its watch request pending.
 * `onStart` gets it before the wait, so the test's cleanup can stop it even when the wait fails.
 */
export async function startWatchingReflector(
  options: Partial<ReflectorOptions<Pod>>,
  onStart: (started: ReturnType<typeof startReflector>) => void,
) {
  const started = startReflector(options);
  onStart(started);
  started.transport.reply({ body: [listBody([pod('a', '5')], '10')] });
  const watch = await started.transport.nextRequest();
  expect(watch.query.resourceVersion).toBe('10');
  return { ...started, watch };
}
