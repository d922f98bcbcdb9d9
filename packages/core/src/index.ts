export type { Clock, ClockTimer } from './clock.js';
export { sleep, systemClock } from './clock.js';
export type { DeepReadonly } from './deep-readonly.js';
export type { FieldRequirement } from './field-selector.js';
export { FieldSelector, parseFieldSelector } from './field-selector.js';
export { HandlerError } from './handler-error.js';
export { IndexConflictError } from './index-conflict-error.js';
export { IndexFunctionError } from './index-function-error.js';
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
export type { ListWatchSink, WatchChange } from './list-watch-sink.js';
export type { NamespaceLister } from './lister.js';
export { Lister } from './lister.js';
export { ManualClock } from './manual-clock.js';
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
export { UnknownIndexError } from './unknown-index-error.js';
