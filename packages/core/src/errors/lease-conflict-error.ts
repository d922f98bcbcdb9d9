import { KubeInformersError } from './kube-informers-error.js';

/**
 * A lease write lost a race: the lease was created or changed by someone else since it was read (HTTP 409).
 * Expected while candidates contend; the elector reads again on its next try.
 */
export class LeaseConflictError extends KubeInformersError {
  static readonly code = 'KI_LEASE_CONFLICT';
  readonly code = LeaseConflictError.code;
  readonly name = 'LeaseConflictError';

  constructor(
    readonly lease: string,
    cause?: unknown,
  ) {
    super(`${lease} was changed by someone else`, cause === undefined ? undefined : { cause });
  }
}
