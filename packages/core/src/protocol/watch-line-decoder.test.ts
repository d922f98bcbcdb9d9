import { describe, expect, it } from 'vitest';
import { WatchLineTooLongError } from '../errors/watch-line-too-long-error.js';
import { WatchLineDecoder } from './watch-line-decoder.js';

const encoder = new TextEncoder();

function decodeChunks(chunks: readonly Uint8Array[], maxLineLength?: number): string[] {
  const decoder = new WatchLineDecoder({ maxLineLength });
  const lines = chunks.flatMap((chunk) => decoder.push(chunk));
  return [...lines, ...decoder.end()];
}

function splitAt(bytes: Uint8Array, ...positions: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const position of positions) {
    chunks.push(bytes.subarray(start, position));
    start = position;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('WatchLineDecoder', () => {
  it('splits lines within a chunk and across chunks', () => {
    const bytes = encoder.encode('{"a":1}\n{"b":2}\n{"c":3}\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeChunks(splitAt(bytes, cut))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    }
  });

  it('reassembles a multi-byte character split at every byte position, across two and three chunks', () => {
    // 2-, 3- and 4-byte UTF-8 sequences (é, €, a surrogate pair) next to each other.
    const text = '{"name":"é€😀"}\n{"x":"ü"}\n';
    const bytes = encoder.encode(text);
    for (let first = 0; first <= bytes.length; first++) {
      expect(decodeChunks(splitAt(bytes, first))).toEqual(['{"name":"é€😀"}', '{"x":"ü"}']);
      for (let second = first; second <= bytes.length; second++) {
        expect(decodeChunks(splitAt(bytes, first, second))).toEqual(['{"name":"é€😀"}', '{"x":"ü"}']);
      }
    }
  });

  it('feeds one byte at a time', () => {
    const bytes = encoder.encode('{"v":"日本語"}\r\n\n{"w":2}\n');
    const chunks = Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
    expect(decodeChunks(chunks)).toEqual(['{"v":"日本語"}', '{"w":2}']);
  });

  it('accepts CRLF line ends and skips blank and whitespace-only lines', () => {
    const bytes = encoder.encode('\n\r\n{"a":1}\r\n   \n\t\r\n{"b":2}\n\n');
    expect(decodeChunks([bytes])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('returns a last line without a newline at the end of the stream', () => {
    expect(decodeChunks([encoder.encode('{"a":1}\n{"b"'), encoder.encode(':2}')])).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
    expect(decodeChunks([encoder.encode('{"a":1}\r')])).toEqual(['{"a":1}']);
  });

  it('throws a typed error when a line outgrows the limit before its newline arrives', () => {
    const decoder = new WatchLineDecoder({ maxLineLength: 10 });
    expect(decoder.push(encoder.encode('0123456789\n01234'))).toEqual(['0123456789']);
    expect(() => decoder.push(encoder.encode('567890'))).toThrow(WatchLineTooLongError);
  });

  it('throws a typed error for a complete line over the limit within one chunk', () => {
    const decoder = new WatchLineDecoder({ maxLineLength: 4 });
    let thrown: unknown;
    try {
      decoder.push(encoder.encode('ok\n0123456789\n'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WatchLineTooLongError);
    expect(thrown).toMatchObject({ code: 'KI_WATCH_LINE_TOO_LONG', maxLineLength: 4, receivedLength: 10 });
  });

  it('has a 16 MiB default limit', () => {
    expect(new WatchLineDecoder().maxLineLength).toBe(16 * 1024 * 1024);
  });
});
