import { IndexFunctionError } from '../errors/index-function-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { DeepReadonly } from './deep-readonly.js';
import type { IndexFunction } from './store.js';
import { objectKey } from './store.js';

/**
 * The values `indexFunction` files `object` under, checked to be an array of strings; `undefined` when
 * the function throws or returns anything else, which goes to `onError` when given (index functions are
 * user code: a failure must not corrupt the store).
 */
export function indexValues<T extends KubeObject>(
  name: string,
  indexFunction: IndexFunction<T>,
  object: DeepReadonly<T>,
  onError: ((error: IndexFunctionError) => void) | undefined,
): readonly string[] | undefined {
  let values: unknown;
  try {
    values = indexFunction(object);
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
      throw new TypeError(`index function returned ${describe(values)}, not an array of strings`);
    }
  } catch (error) {
    onError?.(new IndexFunctionError(name, objectKey(object as DeepReadonly<KubeObject>), error));
    return undefined;
  }
  return values as readonly string[];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array containing a non-string';
  return value === null ? 'null' : typeof value;
}
