import { WatchLineTooLongError } from '../errors/watch-line-too-long-error.js';
import { decodeUtf8 } from './utf8-text.js';

/**
 * 16 MiB: far above any object the API server stores (etcd's request limit is 1.5 MiB; a watch event
 * adds a few bytes), far below what would exhaust memory.
 */
export const defaultMaxLineLength = 16 * 1024 * 1024;

export interface WatchLineDecoderOptions {
  /** Longest line accepted, in UTF-8 bytes (at least its length in characters). */
  readonly maxLineLength?: number | undefined;
}

const newline = 0x0a;

/**
 * Splits a newline-delimited byte stream (a watch response) into lines, whatever the chunk boundaries:
 * a line or a multi-byte UTF-8 character may be split across chunks. `\r\n` is accepted as a line end;
 * blank lines are skipped. A line longer than `maxLineLength` bytes throws `WatchLineTooLongError`,
 * bounding the memory one connection can take; after that the decoder must not be used again.
 *
 * Cost: newlines are found in the bytes, and each line is decoded once, whole, into a flat string (the
 * fastest input for `JSON.parse`), never decoded twice or sliced from a larger string. The bytes of an
 * unfinished line are kept as views of their chunks and copied once, when the line completes.
 */
export class WatchLineDecoder {
  readonly maxLineLength: number;
  /** The start of a line whose end has not arrived yet. */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;

  constructor(options: WatchLineDecoderOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? defaultMaxLineLength;
  }

  /** The lines completed by `chunk`, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    let end = chunk.indexOf(newline);
    while (end !== -1) {
      const length = this.pendingLength + end - start;
      this.checkLength(length);
      let line: string;
      if (this.pendingLength === 0) line = decodeUtf8([chunk.subarray(start, end)], length);
      else {
        this.pending.push(chunk.subarray(start, end));
        line = decodeUtf8(this.pending, length);
        this.pending = [];
        this.pendingLength = 0;
      }
      if (!isBlank(line)) lines.push(stripCarriageReturn(line));
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    if (start < chunk.length) {
      this.pending.push(start === 0 ? chunk : chunk.subarray(start));
      this.pendingLength += chunk.length - start;
      this.checkLength(this.pendingLength);
    }
    return lines;
  }

  /** End of stream: the last line when it lacked a final newline (the caller decides if it is whole). */
  end(): string[] {
    if (this.pendingLength === 0) return [];
    const last = decodeUtf8(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    return isBlank(last) ? [] : [stripCarriageReturn(last)];
  }

  private checkLength(length: number): void {
    if (length > this.maxLineLength) throw new WatchLineTooLongError(this.maxLineLength, length);
  }
}

function stripCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** Empty or whitespace only; the trim runs only for lines that start with whitespace, which JSON never needs. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}
