import { KubeInformersError } from './kube-informers-error.js';

/**
 * A controller's `reconcile` threw or rejected for `key`; the key is retried through the rate limiter.
 * `attempt` counts earlier failures of the key since its last success (0 for the first failure).
 */
export class ReconcileError extends KubeInformersError {
  static readonly code = 'KI_RECONCILE_FAILED';
  readonly code = ReconcileError.code;
  readonly name = 'ReconcileError';

  constructor(
    readonly controllerName: string,
    readonly key: string,
    readonly attempt: number,
    cause: unknown,
  ) {
    super(`${controllerName}: reconcile of ${JSON.stringify(key)} failed (attempt ${attempt + 1})`, {
      cause,
    });
  }
}
