import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are probed freely in assertions.
  readonly json: any;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** CA (PEM) for HTTPS, and an optional client certificate. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

// Every wait in the tests is bounded: a request that does not answer within this fails the test.
const requestTimeoutMs = 10_000;

function send(url: string, options: RequestOptions): Promise<IncomingMessage> {
  const target = new URL(url);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    // Node sends DELETE bodies without chunked framing, so the length must be explicit.
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const requester = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = requester(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        timeout: requestTimeoutMs,
      },
      resolve,
    );
    request.on('timeout', () => request.destroy(new Error(`request to ${url} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** One request, the whole body read and (when it is JSON) parsed. */
export async function call(url: string, options: RequestOptions = {}): Promise<RawResponse> {
  const response = await send(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode ?? 0, headers: response.headers, text, json };
}

export interface WatchEvent {
  readonly type: string;
  // biome-ignore lint/suspicious/noExplicitAny: watch objects are probed freely in assertions.
  readonly object: any;
}

/**
 * An open HTTP watch, read line by line. `next()` waits (bounded) for the next event; `ended` resolves
 * when the server ends the stream.
 */
export class WatchStream {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private done = false;
  readonly ended: Promise<void>;

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline = this.buffer.indexOf('\n');
      while (newline !== -1) {
        this.lines.push(this.buffer.slice(0, newline));
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
      this.wake();
    });
    this.ended = new Promise((resolve) => {
      const finish = () => {
        this.done = true;
        this.wake();
        resolve();
      };
      response.on('end', finish);
      response.on('close', finish);
      response.on('error', finish);
    });
  }

  static async open(url: string, options: RequestOptions = {}): Promise<WatchStream> {
    return new WatchStream(await send(url, options));
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  /** The next raw line (without the newline). */
  async nextLine(timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.done) throw new Error('watch ended before the next event');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no watch event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.lines.shift()!;
  }

  async next(timeoutMs = 5_000): Promise<WatchEvent> {
    return JSON.parse(await this.nextLine(timeoutMs)) as WatchEvent;
  }

  async take(count: number, timeoutMs = 5_000): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    for (let index = 0; index < count; index += 1) events.push(await this.next(timeoutMs));
    return events;
  }

  /** Events already received and not yet taken. */
  get pending(): number {
    return this.lines.length;
  }

  close(): void {
    this.response.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Resolves `promise`, or rejects after `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
