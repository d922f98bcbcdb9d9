import { KubeInformersError } from './kube-informers-error.js';

const excerptLength = 200;

/**
 * A watch stream line that is not a valid watch event: not JSON, an unknown `type`, no `object`, or an
 * object without `metadata.name`. The event is never applied; the watch is reopened from the last good
 * resource version.
 */
export class MalformedWatchEventError extends KubeInformersError {
  static readonly code = 'KI_MALFORMED_WATCH_EVENT';
  readonly code = MalformedWatchEventError.code;
  readonly name = 'MalformedWatchEventError';
  /** The start of the offending line. */
  readonly excerpt: string;

  constructor(
    line: string,
    readonly problem: string,
    cause?: unknown,
  ) {
    const excerpt = line.length > excerptLength ? `${line.slice(0, excerptLength)}…` : line;
    super(`malformed watch event (${problem}): ${JSON.stringify(excerpt)}`, { cause });
    this.excerpt = excerpt;
  }
}
