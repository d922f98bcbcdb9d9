import { KubeInformersError } from './kube-informers-error.js';

/**
 * An indexer was added under a name the store already has with a different function (or under the
 * reserved `namespace`). Nothing is changed: replacing a live index would silently change what
 * `byIndex` returns to every other consumer of the shared store.
 */
export class IndexConflictError extends KubeInformersError {
  static readonly code = 'KI_INDEX_CONFLICT';
  readonly code = IndexConflictError.code;
  readonly name = 'IndexConflictError';

  constructor(readonly indexName: string) {
    super(
      `an index named ${JSON.stringify(indexName)} already exists with a different function; define index functions once (e.g. as module constants) and reuse them`,
    );
  }
}
