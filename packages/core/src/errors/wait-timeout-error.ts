import { KubeInformersError } from './kube-informers-error.js';

/** `waitFor` saw no object matching its condition within `timeoutMs` (on the informer's clock). */
export class WaitTimeoutError extends KubeInformersError {
  static readonly code = 'KI_WAIT_TIMEOUT';
  readonly code = WaitTimeoutError.code;
  readonly name = 'WaitTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no object met the condition within ${timeoutMs} ms`);
  }
}
