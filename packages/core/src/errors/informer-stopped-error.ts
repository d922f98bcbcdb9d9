import { KubeInformersError } from './kube-informers-error.js';

/** A wait for an informer's cache ended because the informer (or its factory) stopped before syncing. */
export class InformerStoppedError extends KubeInformersError {
  static readonly code = 'KI_INFORMER_STOPPED';
  readonly code = InformerStoppedError.code;
  readonly name = 'InformerStoppedError';

  constructor(readonly resource: string) {
    super(`the ${resource} informer stopped before its cache synced`);
  }
}
