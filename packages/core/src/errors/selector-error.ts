import { KubeInformersError } from './kube-informers-error.js';

/** A label or field selector that does not parse; `position` is the offset where parsing failed. */
export class SelectorError extends KubeInformersError {
  static readonly code = 'KI_INVALID_SELECTOR';
  readonly code = SelectorError.code;
  readonly name = 'SelectorError';

  constructor(
    readonly selector: string,
    readonly position: number,
    reason: string,
  ) {
    super(`invalid selector ${JSON.stringify(selector)} at offset ${position}: ${reason}`);
  }
}
