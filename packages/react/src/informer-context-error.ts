import { KubeInformersError } from '@kubeinformers/core';

/** A hook of `@kubeinformers/react` was used outside an `InformerProvider`. */
export class InformerContextError extends KubeInformersError {
  static readonly code = 'KI_NO_INFORMER_PROVIDER';
  readonly code = InformerContextError.code;
  readonly name = 'InformerContextError';

  constructor() {
    super('informer hooks need an <InformerProvider> above the component');
  }
}
