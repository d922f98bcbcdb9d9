import { KubeInformersError } from './kube-informers-error.js';

/**
 * A watch stream line grew past the decoder's limit without a newline. The stream is abandoned (its
 * remaining content cannot be trusted to be in step) and the watch reopened from the last good version.
 */
export class WatchLineTooLongError extends KubeInformersError {
  static readonly code = 'KI_WATCH_LINE_TOO_LONG';
  readonly code = WatchLineTooLongError.code;
  readonly name = 'WatchLineTooLongError';

  constructor(
    /** The limit, in characters (UTF-16 code units, at most the line's size in bytes). */
    readonly maxLineLength: number,
    /** How much of the line had arrived when the limit was crossed. */
    readonly receivedLength: number,
  ) {
    super(
      `watch stream line exceeds ${maxLineLength} characters (${receivedLength} received without a newline)`,
    );
  }
}
