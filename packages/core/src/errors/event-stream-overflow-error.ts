import { KubeInformersError } from './kube-informers-error.js';

/**
 * An informer event stream opened with `onOverflow: 'error'` held `bufferSize` undelivered events when
 * another arrived: its consumer is slower than the informer. The stream ends with this error instead of
 * dropping events; open a new one (it starts from the current cache) or use the `restarted` policy.
 */
export class EventStreamOverflowError extends KubeInformersError {
  static readonly code = 'KI_EVENT_STREAM_OVERFLOW';
  readonly code = EventStreamOverflowError.code;
  readonly name = 'EventStreamOverflowError';

  constructor(readonly bufferSize: number) {
    super(`the informer event stream's consumer fell ${bufferSize} events behind`);
  }
}
