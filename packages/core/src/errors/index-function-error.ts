import { KubeInformersError } from './kube-informers-error.js';

/**
 * An index function threw (or returned something other than an array of strings). The object is stored
 * anyway, without values for that index; every other index and the object itself stay correct.
 */
export class IndexFunctionError extends KubeInformersError {
  static readonly code = 'KI_INDEX_FUNCTION_FAILED';
  readonly code = IndexFunctionError.code;
  readonly name = 'IndexFunctionError';

  constructor(
    readonly indexName: string,
    readonly objectKey: string,
    cause: unknown,
  ) {
    super(`index function ${JSON.stringify(indexName)} failed for ${JSON.stringify(objectKey)}`, { cause });
  }
}
