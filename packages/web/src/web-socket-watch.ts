import type { TransportResponse } from '@kubeinformers/core';

/** The parts of the WebSocket constructor the watch needs; the global one in browsers, Node, Deno, Bun. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/**
 * The WebSocket closed before it opened: the handshake was refused (a non-101 answer) or the connection
 * failed. Browsers hide the status of a refused handshake, so the caller asks again over `fetch` to
 * learn what the server says.
 */
export class WebSocketRefusedError extends Error {
  override readonly name = 'WebSocketRefusedError';
}

/** A WebSocket that closed without the normal closure code (1000) after it opened. */
export class WebSocketClosedError extends Error {
  override readonly name = 'WebSocketClosedError';

  constructor(readonly closeCode: number) {
    super(`the watch WebSocket closed abnormally (code ${closeCode})`);
  }
}

const newline = 0x0a;
const normalClosure = 1000;

/**
 * Opens a watch over WebSocket (Kubernetes' watch-over-WebSocket: one JSON event per message) and hands
 * it back as a streamed response whose body holds the same newline-delimited events an HTTP watch would,
 * so core decodes both alike. Resolves with status 200 once the socket is open. A normal close (1000)
 * ends the body; any other close fails it. Aborting `signal` or ending the iteration closes the socket.
 *
 * Messages are queued until read: browsers give a WebSocket no backpressure, and core reads as fast as
 * its handlers return, so the queue stays short unless a handler blocks the page.
 */
export function openWebSocketWatch(
  WebSocketClass: WebSocketConstructor,
  url: string,
  protocols: readonly string[],
  signal: AbortSignal,
): Promise<TransportResponse> {
  signal.throwIfAborted();
  const socket = new WebSocketClass(url, [...protocols]);
  socket.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  const queue: Uint8Array[] = [];
  let ended: { readonly error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  return new Promise<TransportResponse>((resolve, reject) => {
    let opened = false;
    const onAbort = () => {
      socket.close(normalClosure);
      ended ??= { error: signal.reason };
      if (!opened) reject(signal.reason);
      notify();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      const { data } = event;
      const bytes =
        typeof data === 'string'
          ? encoder.encode(data)
          : data instanceof ArrayBuffer
            ? new Uint8Array(data)
            : encoder.encode(String(data));
      queue.push(bytes);
      // Each message is one event; the newline makes it a line for core's decoder.
      if (bytes[bytes.length - 1] !== newline) queue.push(Uint8Array.of(newline));
      notify();
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      signal.removeEventListener('abort', onAbort);
      if (!opened) {
        reject(new WebSocketRefusedError(`the WebSocket to ${url} closed before it opened`));
        return;
      }
      ended ??= event.code === normalClosure ? {} : { error: new WebSocketClosedError(event.code) };
      notify();
    });
    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          async *[Symbol.asyncIterator]() {
            try {
              for (;;) {
                const next = queue.shift();
                if (next !== undefined) {
                  yield next;
                  continue;
                }
                if (ended !== undefined) {
                  if ('error' in ended) throw ended.error;
                  return;
                }
                await new Promise<void>((resume) => {
                  wake = resume;
                });
              }
            } finally {
              // An early end by the reader releases the socket; closing twice is harmless.
              if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
                socket.close(normalClosure);
              }
            }
          },
        },
      });
    });
  });
}
