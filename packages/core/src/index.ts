export type {
  Controller,
  ControllerOptions,
  ControllerSource,
  ReconcileContext,
  ReconcileResult,
  SecondarySource,
} from './controller/controller.js';
export { createController } from './controller/controller.js';
export type { EventFilter, FilterableObject } from './controller/event-filters.js';
export {
  allOf,
  annotationsChanged,
  anyOf,
  generationChanged,
  labelsChanged,
  not,
  resourceVersionChanged,
} from './controller/event-filters.js';
export type {
  MappedObject,
  OwnerMappingOptions,
  PrimaryKeyMapping,
} from './controller/primary-key-mappings.js';
export { byControllerOwner, byLabel } from './controller/primary-key-mappings.js';
export type { ApiErrorCode, ApiErrorContext } from './errors/api-error.js';
export {
  ApiError,
  ApiServerError,
  ForbiddenError,
  ResourceVersionTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  WatchExpiredError,
} from './errors/api-error.js';
export { EventStreamOverflowError } from './errors/event-stream-overflow-error.js';
export { HandlerError } from './errors/handler-error.js';
export { IndexConflictError } from './errors/index-conflict-error.js';
export { IndexFunctionError } from './errors/index-function-error.js';
export { InformerStoppedError } from './errors/informer-stopped-error.js';
export { InvalidOptionError } from './errors/invalid-option-error.js';
export { KubeInformersError } from './errors/kube-informers-error.js';
export { LeadershipLostError } from './errors/leadership-lost-error.js';
export { LeaseConflictError } from './errors/lease-conflict-error.js';
export { LeaseLockError } from './errors/lease-lock-error.js';
export { MalformedWatchEventError } from './errors/malformed-watch-event-error.js';
export { QueueShutDownError } from './errors/queue-shut-down-error.js';
export { RangeNotOwnedError } from './errors/range-not-owned-error.js';
export { ReconcileError } from './errors/reconcile-error.js';
export { SelectorError } from './errors/selector-error.js';
export { ShardSelectorError } from './errors/shard-selector-error.js';
export { TransformError } from './errors/transform-error.js';
export { TransportError } from './errors/transport-error.js';
export { UnexpectedResponseError } from './errors/unexpected-response-error.js';
export { UnknownIndexError } from './errors/unknown-index-error.js';
export { WaitTimeoutError } from './errors/wait-timeout-error.js';
export { WatchLineTooLongError } from './errors/watch-line-too-long-error.js';
export { WatchStalledError } from './errors/watch-stalled-error.js';
export { WriteConflictError } from './errors/write-conflict-error.js';
export type { EventDetails, EventRecorder, EventRecorderOptions } from './events/event-recorder.js';
export { createEventRecorder } from './events/event-recorder.js';
export type {
  EventObjectReference,
  EventSeries,
  EventSink,
  KubernetesEvent,
} from './events/kubernetes-event.js';
export type {
  FinalizableObject,
  FinalizerClient,
  FinalizerHandlers,
  FinalizerOptions,
} from './finalizers/finalizer.js';
export { finalizer } from './finalizers/finalizer.js';
export type { InformerFactory } from './informer/informer-factory.js';
export { createInformerFactory } from './informer/informer-factory.js';
export type { FactoryHealth, InformerHealth, InformerPhase } from './informer/informer-health.js';
export type { InformerFactoryDefaults, InformerOptions } from './informer/informer-options.js';
export type { ObjectEvent } from './informer/object-event.js';
export type {
  AddContext,
  DeleteContext,
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from './informer/resource-event-handler.js';
export type { ListWatchRunner, SharedInformerOptions } from './informer/shared-informer.js';
export { SharedInformer } from './informer/shared-informer.js';
export { stripManagedFields } from './informer/strip-managed-fields.js';
export { InMemoryLeaseLock } from './leader-election/in-memory-lease-lock.js';
export type { LeaderElectionOptions } from './leader-election/leader-election-options.js';
export { LeaderElector } from './leader-election/leader-elector.js';
export type { LeaderElectionRecord, LeaseLock, LeaseState } from './leader-election/lease-lock.js';
export type { WriteGuard } from './leader-election/write-guard.js';
export type { HealthRecorder } from './list-watch/health-recorder.js';
export type { ListWatchSink, WatchChange } from './list-watch/list-watch-sink.js';
export { Reflector } from './list-watch/reflector.js';
export type { ReflectorMetrics, WatchEndReason } from './list-watch/reflector-metrics.js';
export type { ReflectorOptions } from './list-watch/reflector-options.js';
export type { BackoffOptions, BackoffPolicy, BackoffState, BackoffStep } from './list-watch/retry/backoff.js';
export { createBackoffPolicy, defaultBackoffOptions } from './list-watch/retry/backoff.js';
export type { ServerReachability } from './list-watch/retry/server-reachability.js';
export type { ApiStatus, ApiStatusCause, ApiStatusDetails } from './protocol/api-status.js';
export type { KubeObject, KubeObjectMeta } from './protocol/kube-object.js';
export type { PartialObjectMetadata } from './protocol/partial-object-metadata.js';
export type { PruneShape } from './protocol/prune-managed-fields.js';
export { pruneManagedFields } from './protocol/prune-managed-fields.js';
export type { ResourceDefinition, ResourceDescriptor } from './protocol/resource-descriptor.js';
export { apiVersionOf, defineResource, resourcePath } from './protocol/resource-descriptor.js';
export type { Transport, TransportRequest, TransportResponse } from './protocol/transport.js';
export { requestUrlPath } from './protocol/transport.js';
export type { WatchBookmark, WatchErrorEvent, WatchEvent } from './protocol/watch-event.js';
export type { FieldRequirement } from './selectors/field-selector.js';
export { FieldSelector, parseFieldSelector } from './selectors/field-selector.js';
export type { LabelOperator, LabelRequirement, Labels } from './selectors/label-selector.js';
export {
  LabelSelector,
  labelKeyProblem,
  labelValueProblem,
  parseLabelSelector,
} from './selectors/label-selector.js';
export { fnv1a64 } from './sharding/fnv1a64.js';
export {
  InMemoryMemberLeases,
  InMemoryMemberLeaseView,
} from './sharding/ownership/in-memory-member-leases.js';
export type {
  MemberLease,
  MemberLeaseClient,
  MemberLeaseRecord,
  MemberLeaseView,
} from './sharding/ownership/member-lease.js';
export type { LeaseInformer, LeaseObject } from './sharding/ownership/member-lease-view.js';
export {
  memberClaimsAnnotation,
  memberLeaseOf,
  memberLeaseView,
  memberOfLabel,
} from './sharding/ownership/member-lease-view.js';
export type { OwnedSubject, OwnershipChange } from './sharding/ownership/ownership-change.js';
export { assignRanges } from './sharding/ownership/range-assignment.js';
export { RangeOwnership } from './sharding/ownership/range-ownership.js';
export type { RangeOwnershipOptions } from './sharding/ownership/range-ownership-options.js';
export type { ShardableInformer } from './sharding/ownership/sharded-primary.js';
export { ShardedPrimary, unownedShardSelector } from './sharding/ownership/sharded-primary.js';
export { parseShardSelector } from './sharding/parse-shard-selector.js';
export type { ShardRange } from './sharding/shard-range.js';
export { hashSpaceEnd, splitHashSpace, wholeHashSpace } from './sharding/shard-range.js';
export type { ShardedObject, ShardField, ShardSelector } from './sharding/shard-selector.js';
export { formatShardSelector, shardSelectorMatches } from './sharding/shard-selector.js';
export { ShardTarget } from './sharding/shard-target.js';
export type { DeepReadonly } from './store/deep-readonly.js';
export type { NamespaceLister } from './store/lister.js';
export { Lister } from './store/lister.js';
export type { Indexers, IndexFunction, NamespaceIndex, Store } from './store/store.js';
export { namespaceIndex, objectKey, splitKey } from './store/store.js';
export type { StorageMode } from './store/store-writer.js';
export type {
  EventStreamSource,
  InformerEvent,
  InformerEventsOptions,
  RestartedEvent,
} from './streams/informer-events.js';
export { informerEvents } from './streams/informer-events.js';
export type { WaitForOptions, WaitForSource } from './streams/wait-for.js';
export { waitFor } from './streams/wait-for.js';
export type { Clock, ClockTimer } from './time/clock.js';
export { sleep, systemClock } from './time/clock.js';
export { ManualClock } from './time/manual-clock.js';
export type { ItemExponentialOptions, RateLimiter, TokenBucketOptions } from './work-queue/rate-limiter.js';
export {
  createDefaultControllerRateLimiter,
  createItemExponentialRateLimiter,
  createMaxOfRateLimiter,
  createTokenBucketRateLimiter,
} from './work-queue/rate-limiter.js';
export type { WorkQueueOptions } from './work-queue/work-queue.js';
export { WorkQueue } from './work-queue/work-queue.js';
export type { UnfinishedWork, WorkQueueMetrics } from './work-queue/work-queue-metrics.js';
