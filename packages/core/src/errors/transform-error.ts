import { KubeInformersError } from './kube-informers-error.js';

/** An informer's `transform` threw; the object was stored as received so that nothing is lost. */
export class TransformError extends KubeInformersError {
  static readonly code = 'KI_TRANSFORM_FAILED';
  readonly code = TransformError.code;
  readonly name = 'TransformError';

  constructor(
    readonly objectKey: string,
    cause: unknown,
  ) {
    super(`transform failed for ${JSON.stringify(objectKey)}; stored the object untransformed`, { cause });
  }
}
