import { KubeInformersError } from './kube-informers-error.js';

/** An event handler threw or its promise rejected; the informer and the other handlers carried on. */
export class HandlerError extends KubeInformersError {
  static readonly code = 'KI_HANDLER_FAILED';
  readonly code = HandlerError.code;
  readonly name = 'HandlerError';

  constructor(
    readonly handlerMethod: 'onAdd' | 'onUpdate' | 'onDelete',
    readonly objectKey: string,
    cause: unknown,
  ) {
    super(`event handler ${handlerMethod} failed for ${JSON.stringify(objectKey)}`, { cause });
  }
}
