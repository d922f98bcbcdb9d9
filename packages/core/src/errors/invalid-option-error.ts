import { KubeInformersError } from './kube-informers-error.js';

/** An option had a value that cannot work (e.g. a negative resync period); nothing was changed. */
export class InvalidOptionError extends KubeInformersError {
  static readonly code = 'KI_INVALID_OPTION';
  readonly code = InvalidOptionError.code;
  readonly name = 'InvalidOptionError';

  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`invalid option ${option}: ${reason}`);
  }
}
