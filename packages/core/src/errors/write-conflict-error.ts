import { KubeInformersError } from './kube-informers-error.js';

/**
 * A write that named the `resourceVersion` it read lost a race (409 Conflict): the object changed since.
 * Read it again and decide again; the finalizer helper does so by itself a few times.
 */
export class WriteConflictError extends KubeInformersError {
  static readonly code = 'KI_WRITE_CONFLICT';
  readonly code = WriteConflictError.code;
  readonly name = 'WriteConflictError';

  constructor(
    /** What was written, e.g. `configmaps/default/settings`. */
    readonly object: string,
    cause?: unknown,
  ) {
    super(`${object} changed since it was read (409 Conflict)`, cause === undefined ? undefined : { cause });
  }
}
