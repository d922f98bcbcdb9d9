const encoder = new TextEncoder();

/**
 * The lines of one in-memory watch, queued as they are sent and read as the response body. The body
 * ends after the queued lines once `end` was called, and throws once `signal` aborted; either way
 * `onClose` runs when the reader is done.
 */
export class WatchLineQueue {
  private readonly lines: Uint8Array[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  send(line: object): void {
    this.lines.push(encoder.encode(`${JSON.stringify(line)}\n`));
    this.wake?.();
  }

  /** No line follows what is queued. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *body(signal: AbortSignal, onClose: () => void): AsyncGenerator<Uint8Array> {
    try {
      while (true) {
        signal.throwIfAborted();
        const line = this.lines.shift();
        if (line !== undefined) {
          yield line;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      onClose();
    }
  }
}
