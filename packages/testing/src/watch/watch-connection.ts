import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * Where a watch's lines go: a chunked HTTP response or a WebSocket. `write` returns `false` when the
 * peer is not keeping up; the watcher then waits for `onDrain` before writing more.
 */
export interface WatchConnection {
  /** Whether several events may be joined into one write (HTTP) or each needs its own message (WebSocket). */
  readonly batches: boolean;
  /** Sends the response headers now (HTTP); a WebSocket has already sent them. */
  open(contentType: string): void;
  write(text: string): boolean;
  onDrain(callback: () => void): void;
  onClose(callback: () => void): void;
  /** Ends the stream cleanly (the client sees a normal end of the watch). */
  end(): void;
  /** Drops the connection without a clean end. */
  destroy(): void;
}

export class HttpWatchConnection implements WatchConnection {
  readonly batches = true;

  constructor(private readonly response: ServerResponse) {}

  open(contentType: string): void {
    this.response.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    this.response.flushHeaders();
    // Watch events are small and latency matters more than packet count.
    this.response.socket?.setNoDelay(true);
  }

  write(text: string): boolean {
    return this.response.write(text);
  }

  onDrain(callback: () => void): void {
    this.response.once('drain', callback);
  }

  onClose(callback: () => void): void {
    this.response.once('close', callback);
  }

  end(): void {
    this.response.end();
  }

  destroy(): void {
    this.response.destroy();
  }
}

// Above this many buffered bytes a WebSocket watcher counts as "not keeping up".
const webSocketHighWaterMark = 1024 * 1024;

export class WebSocketWatchConnection implements WatchConnection {
  readonly batches = false;
  private readonly drainCallbacks: (() => void)[] = [];

  constructor(private readonly socket: WebSocket) {}

  open(): void {}

  write(text: string): boolean {
    // One event per text message, without the newline that separates events on HTTP.
    this.socket.send(text.endsWith('\n') ? text.slice(0, -1) : text, () => this.checkDrain());
    return this.socket.bufferedAmount < webSocketHighWaterMark;
  }

  onDrain(callback: () => void): void {
    this.drainCallbacks.push(callback);
    this.checkDrain();
  }

  onClose(callback: () => void): void {
    this.socket.once('close', callback);
  }

  end(): void {
    this.socket.close(1000);
  }

  destroy(): void {
    this.socket.terminate();
  }

  private checkDrain(): void {
    if (this.socket.bufferedAmount >= webSocketHighWaterMark / 2) return;
    for (const callback of this.drainCallbacks.splice(0)) callback();
  }
}
