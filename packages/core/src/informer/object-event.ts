import type { DeepReadonly } from '../store/deep-readonly.js';

/**
 * One notification of an informer as a value (what a `ResourceEventHandler` receives as calls). `update`
 * with `oldObject === object` is a resync (the informer replaying its cache), not a change.
 */
export type ObjectEvent<T> =
  | { readonly type: 'add'; readonly object: DeepReadonly<T>; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObject: DeepReadonly<T>; readonly object: DeepReadonly<T> }
  | { readonly type: 'delete'; readonly object: DeepReadonly<T>; readonly finalStateUnknown: boolean };
