import type { EventSink, KubernetesEvent, WriteGuard } from '@kubeinformers/core';
import {
  ApiException,
  EventsV1Api,
  type EventsV1Event,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
} from '@kubernetes/client-node';
import { makeGuardedApiClient } from './guarded-api-client.js';

export interface EventSinkOptions {
  /**
   * Fences the Event writes: with the `LeaderElector` here, a leader that was replaced creates and
   * updates none (`LeadershipLostError`, `KI_LEADERSHIP_LOST`), as `makeGuardedApiClient` describes.
   */
  readonly guard?: WriteGuard;
}

/**
 * The `EventSink` that core's `createEventRecorder` writes through: `events.k8s.io/v1` with the official
 * client's `EventsV1Api` (every authentication method of the `KubeConfig` works). A series update is a
 * JSON merge patch of `series`; a 404 tells the recorder the Event expired, so it creates it again. The
 * identity needs `create` and `patch` on `events.events.k8s.io` in the namespaces of the objects. Under
 * leader election, pass the elector as `guard`.
 * @example
 * const recorder = createEventRecorder({
 *   sink: createEventSink(kubeConfig, { guard: elector }),
 *   reportingController: 'example.com/demo',
 *   reportingInstance: process.env.HOSTNAME ?? 'local',
 * });
 */
export function createEventSink(kubeConfig: KubeConfig, options: EventSinkOptions = {}): EventSink {
  const api =
    options.guard === undefined
      ? kubeConfig.makeApiClient(EventsV1Api)
      : makeGuardedApiClient(kubeConfig, EventsV1Api, options.guard);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  return {
    async create(event) {
      await api.createNamespacedEvent({ namespace: event.metadata.namespace, body: toModel(event) });
    },
    async updateSeries(event, series) {
      try {
        await api.patchNamespacedEvent(
          {
            name: event.metadata.name,
            namespace: event.metadata.namespace,
            body: { series: { count: series.count, lastObservedTime: series.lastObservedTime } },
          },
          mergePatch,
        );
        return true;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return false;
        throw error;
      }
    },
  };
}

/** The official client serializes `MicroTime` fields from `V1MicroTime`, not from the wire's strings. */
function toModel(event: KubernetesEvent): EventsV1Event {
  return {
    ...event,
    eventTime: new V1MicroTime(event.eventTime),
    regarding: { ...event.regarding },
    ...(event.related === undefined ? {} : { related: { ...event.related } }),
    ...(event.series === undefined
      ? {}
      : {
          series: {
            count: event.series.count,
            lastObservedTime: new V1MicroTime(event.series.lastObservedTime),
          },
        }),
  } as EventsV1Event;
}
