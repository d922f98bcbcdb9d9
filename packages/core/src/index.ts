export type { ApiErrorCode, ApiErrorContext } from './api-error.js';
export {
  ApiError,
  ApiServerError,
  ForbiddenError,
  ResourceVersionTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  WatchExpiredError,
} from './api-error.js';
export type { ApiStatus, ApiStatusCause, ApiStatusDetails } from './api-status.js';
export { parseApiStatus } from './api-status.js';
export type { BackoffOptions, BackoffPolicy, BackoffState, BackoffStep } from './backoff.js';
export { createBackoffPolicy, defaultBackoffOptions } from './backoff.js';
export type { Clock, ClockTimer } from './clock.js';
export { sleep, systemClock } from './clock.js';
export type {
  Controller,
  ControllerOptions,
  ControllerSource,
  ReconcileContext,
  ReconcileResult,
  SecondarySource,
} from './controller/controller.js';
export { createController } from './controller/controller.js';
export type {
  MappedObject,
  OwnerMappingOptions,
  PrimaryKeyMapping,
} from './controller/primary-key-mappings.js';
export { byControllerOwner, byLabel } from './controller/primary-key-mappings.js';
export { ReconcileError } from './controller/reconcile-error.js';
export type { DeepReadonly } from './deep-readonly.js';
export type { FieldRequirement } from './field-selector.js';
export { FieldSelector, parseFieldSelector } from './field-selector.js';
export { HandlerError } from './handler-error.js';
export { IndexConflictError } from './index-conflict-error.js';
export { IndexFunctionError } from './index-function-error.js';
export type { InformerFactory, InformerFactoryDefaults, InformerOptions } from './informer-factory.js';
export { createInformerFactory } from './informer-factory.js';
export { InformerStoppedError } from './informer-stopped-error.js';
export { InvalidOptionError } from './invalid-option-error.js';
export { KubeInformersError } from './kube-informers-error.js';
export type { KubeObject, KubeObjectMeta } from './kube-object.js';
export type { LabelOperator, LabelRequirement, Labels } from './label-selector.js';
export {
  LabelSelector,
  labelKeyProblem,
  labelValueProblem,
  parseLabelSelector,
} from './label-selector.js';
export { InMemoryLeaseLock } from './leader-election/in-memory-lease-lock.js';
export type { LeaderElectionOptions } from './leader-election/leader-elector.js';
export { LeaderElector } from './leader-election/leader-elector.js';
export { LeaseConflictError } from './leader-election/lease-conflict-error.js';
export type { LeaderElectionRecord, LeaseLock, LeaseState } from './leader-election/lease-lock.js';
export { LeaseLockError } from './leader-election/lease-lock-error.js';
export type { ListWatchSink, WatchChange } from './list-watch-sink.js';
export type { NamespaceLister } from './lister.js';
export { Lister } from './lister.js';
export { MalformedWatchEventError } from './malformed-watch-event-error.js';
export { ManualClock } from './manual-clock.js';
export type { PartialObjectMetadata } from './partial-object-metadata.js';
export type { ReflectorOptions } from './reflector.js';
export { Reflector } from './reflector.js';
export type { ResourceDefinition, ResourceDescriptor } from './resource-descriptor.js';
export { apiVersionOf, defineResource, resourcePath } from './resource-descriptor.js';
export type {
  AddContext,
  DeleteContext,
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from './resource-event-handler.js';
export { SelectorError } from './selector-error.js';
export type { ListWatchRunner, SharedInformerOptions } from './shared-informer.js';
export { SharedInformer } from './shared-informer.js';
export type { Indexers, IndexFunction, NamespaceIndex, Store } from './store.js';
export { namespaceIndex, objectKey, splitKey } from './store.js';
export { stripManagedFields } from './strip-managed-fields.js';
export { TransformError } from './transform-error.js';
export type { Transport, TransportRequest, TransportResponse } from './transport.js';
export { requestUrlPath } from './transport.js';
export { TransportError } from './transport-error.js';
export { UnexpectedResponseError } from './unexpected-response-error.js';
export { UnknownIndexError } from './unknown-index-error.js';
export type { WatchBookmark, WatchErrorEvent, WatchEvent } from './watch-event.js';
export { initialEventsEndAnnotation, parseWatchEvent, readWatchEvents } from './watch-event.js';
export type { WatchLineDecoderOptions } from './watch-line-decoder.js';
export { defaultMaxLineLength, WatchLineDecoder } from './watch-line-decoder.js';
export { WatchLineTooLongError } from './watch-line-too-long-error.js';
export { WatchStalledError } from './watch-stalled-error.js';
export { QueueShutDownError } from './work-queue/queue-shut-down-error.js';
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
