/** Points an Event at an object (`regarding`, `related`). @see `core/v1 ObjectReference` */
export interface EventObjectReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  /** Part of the object, e.g. `spec.containers{web}`. */
  readonly fieldPath?: string;
}

/** How often an Event happened: sent once it happened more than once. @see `events.k8s.io/v1 EventSeries` */
export interface EventSeries {
  readonly count: number;
  /** RFC 3339 with microseconds (a `MicroTime`). */
  readonly lastObservedTime: string;
}

/**
 * An `events.k8s.io/v1` Event as the recorder writes it (the fields `kubectl describe` shows, under the
 * core/v1 names it converts them to: `note` is the message, `reportingController` the "From" column).
 */
export interface KubernetesEvent {
  readonly apiVersion: 'events.k8s.io/v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  /** When it first happened: RFC 3339 with microseconds. */
  readonly eventTime: string;
  readonly type: 'Normal' | 'Warning';
  /** Why, in UpperCamelCase, e.g. `ReconcileFailed`. */
  readonly reason: string;
  /** What the controller did or failed to do, in UpperCamelCase, e.g. `Reconcile`. */
  readonly action: string;
  /** Human-readable detail, at most 1 kB (longer notes are cut). */
  readonly note?: string;
  readonly regarding: EventObjectReference;
  readonly related?: EventObjectReference;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly series?: EventSeries;
}

/**
 * Where an `EventRecorder` writes: the adapter's `createEventSink(kubeConfig)` uses the official client's
 * `EventsV1Api`. Each call is one API request.
 */
export interface EventSink {
  create(event: KubernetesEvent): Promise<void>;
  /**
   * Updates the series of an Event created before (a merge patch of `series`). Resolves `false` when the
   * Event is gone (the API server expires Events after an hour), so the recorder creates it again.
   */
  updateSeries(event: KubernetesEvent, series: EventSeries): Promise<boolean>;
}
