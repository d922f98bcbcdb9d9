import { KubeInformersError } from './kube-informers-error.js';

/**
 * `get()` on a work queue that was shut down and holds nothing more. Async iteration ends instead of
 * throwing it.
 */
export class QueueShutDownError extends KubeInformersError {
  static readonly code = 'KI_QUEUE_SHUT_DOWN';
  readonly code = QueueShutDownError.code;
  readonly name = 'QueueShutDownError';

  constructor(readonly queueName: string) {
    super(`the work queue ${queueName} is shut down`);
  }
}
