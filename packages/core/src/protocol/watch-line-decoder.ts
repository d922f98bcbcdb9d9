import { WatchLineTooLongError } from '../errors/watch-line-too-long-error.js';

/**
 * 16 MiB: far above any object the API server stores (etcd's request limit is 1.5 MiB; a watch event
 * adds a few bytes), far below what would exhaust memory.
 */
export const defaultMaxLineLength = 16 * 1024 * 1024;

export interface WatchLineDecoderOptions {
  /** Longest line accepted, in characters (UTF-16 code units, never more than its UTF-8 bytes). */
  readonly maxLineLength?: number | undefined;
}

/**
 * Splits a newline-delimited byte stream (a watch response) into lines, whatever the chunk boundaries:
 * a line or a multi-byte UTF-8 character may be split across chunks. `\r\n` is accepted as a line end;
 * blank lines are skipped. A line longer than `maxLineLength` throws `WatchLineTooLongError`, bounding
 * the memory one connection can take; after that the decoder must not be used again.
 *
 * Cost: one streaming `TextDecoder` pass and one `indexOf` scan per chunk; an unfinished line is kept
 * as a string rope, so a line spread over many chunks is not rescanned or recopied per chunk.
 */
export class WatchLineDecoder {
  readonly maxLineLength: number;
  private readonly decoder = new TextDecoder();
  /** The start of a line whose end has not arrived yet. */
  private pending = '';

  constructor(options: WatchLineDecoderOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? defaultMaxLineLength;
  }

  /** The lines completed by `chunk`, in order. */
  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** End of stream: the last line when it lacked a final newline (the caller decides if it is whole). */
  end(): string[] {
    const lines = this.split(this.decoder.decode());
    const last = this.pending;
    this.pending = '';
    if (!isBlank(last)) lines.push(stripCarriageReturn(last));
    return lines;
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    let newline = text.indexOf('\n');
    if (newline === -1) {
      this.pending = this.pending === '' ? text : this.pending + text;
      this.checkLength(this.pending.length);
      return lines;
    }
    let start = 0;
    let first = true;
    while (newline !== -1) {
      let line = text.slice(start, newline);
      if (first) {
        if (this.pending !== '') line = this.pending + line;
        first = false;
      }
      this.checkLength(line.length);
      if (!isBlank(line)) lines.push(stripCarriageReturn(line));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === text.length ? '' : text.slice(start);
    this.checkLength(this.pending.length);
    return lines;
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
