import { KubeInformersError } from './kube-informers-error.js';

/**
 * A read or write of the lease failed for another reason than a conflict; the elector retries. `release`:
 * a clean stop could not hand the lease back, so the next leader waits for it to expire.
 */
export class LeaseLockError extends KubeInformersError {
  static readonly code = 'KI_LEASE_LOCK_FAILED';
  readonly code = LeaseLockError.code;
  readonly name = 'LeaseLockError';

  constructor(
    readonly lease: string,
    readonly operation: 'get' | 'create' | 'update' | 'release',
    cause: unknown,
  ) {
    super(`${operation} of ${lease} failed`, { cause });
  }
}
