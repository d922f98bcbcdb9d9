import { describe, expect, it } from 'vitest';
import { MalformedWatchEventError } from '../errors/malformed-watch-event-error.js';
import { WatchLineTooLongError } from '../errors/watch-line-too-long-error.js';
import { takeSourceText } from './source-text.js';
import { parseWatchEvent, readWatchEvents } from './watch-event.js';

const encoder = new TextEncoder();

async function* chunksOf(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield encoder.encode(text);
}

function malformed(line: string): MalformedWatchEventError {
  try {
    parseWatchEvent(line);
  } catch (error) {
    if (error instanceof MalformedWatchEventError) return error;
    throw error;
  }
  throw new Error(`expected ${line} to be rejected`);
}

describe('parseWatchEvent', () => {
  it('decodes each event type', () => {
    const pod = { metadata: { name: 'a', namespace: 'n', resourceVersion: '7' } };
    for (const type of ['ADDED', 'MODIFIED', 'DELETED'] as const) {
      expect(parseWatchEvent(JSON.stringify({ type, object: pod }))).toEqual({ type, object: pod });
    }
    const bookmark = { type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '9' } } };
    expect(parseWatchEvent(JSON.stringify(bookmark))).toEqual(bookmark);
    const error = { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } };
    expect(parseWatchEvent(JSON.stringify(error))).toEqual(error);
  });

  it.each([
    ['{"type":"ADDED","object":{"metadata":{"name":', 'not JSON'],
    ['[1,2]', 'no object'],
    ['"ADDED"', 'not a JSON object'],
    ['{"type":"ADDED"}', 'no object'],
    ['{"type":"ADDED","object":[]}', 'no object'],
    ['{"type":"ADDED","object":{"metadata":{}}}', 'ADDED object without metadata.name'],
    ['{"type":"MODIFIED","object":{}}', 'MODIFIED object without metadata.name'],
    ['{"type":"DELETED","object":{"metadata":{"name":""}}}', 'DELETED object without metadata.name'],
    ['{"type":"BOOKMARK","object":{"metadata":{}}}', 'BOOKMARK without metadata.resourceVersion'],
    ['{"type":"ERROR","object":{"kind":"Pod"}}', 'ERROR event without a Status object'],
    ['{"type":"SNAPSHOT","object":{"metadata":{"name":"a"}}}', 'unknown event type "SNAPSHOT"'],
  ])('rejects %s: %s', (line, problem) => {
    const error = malformed(line);
    expect(error.code).toBe('KI_MALFORMED_WATCH_EVENT');
    expect(error.problem).toBe(problem);
    expect(error.message).toContain(problem);
  });

  it('keeps only the start of a long malformed line in the error', () => {
    const error = malformed(`{"type":"ADDED","object":${'x'.repeat(10_000)}`);
    expect(error.excerpt.length).toBeLessThanOrEqual(201);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});

describe('readWatchEvents', () => {
  it('yields events across chunk boundaries', async () => {
    const events = [];
    for await (const event of readWatchEvents(
      chunksOf(
        '{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"BOO',
        'KMARK","object":{"metadata":{"resourceVersion":"3"}}}',
      ),
    )) {
      events.push(event.type);
    }
    expect(events).toEqual(['ADDED', 'BOOKMARK']);
  });

  it('stops with a typed error on a line above the limit', async () => {
    const iterate = async () => {
      for await (const _ of readWatchEvents(chunksOf('x'.repeat(100)), { maxLineLength: 50 })) {
        // nothing is yielded before the error
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(WatchLineTooLongError);
  });
});

describe('parseWatchEvent with pruning', () => {
  const object = {
    metadata: { name: 'a', annotations: { managedFields: 'x' }, managedFields: [{ manager: 'kubelet' }] },
    spec: { managedFields: [1] },
  };
  const expected = {
    metadata: { name: 'a', annotations: { managedFields: 'x' } },
    spec: { managedFields: [1] },
  };

  it('removes the object metadata managedFields before the parse', () => {
    const event = parseWatchEvent(JSON.stringify({ type: 'MODIFIED', object }), true);
    expect(event).toEqual({ type: 'MODIFIED', object: expected });
  });

  it('falls back to parse-then-delete where the scanner gives up (nesting deeper than it tracks)', () => {
    const deep = `${'['.repeat(600)}${']'.repeat(600)}`;
    const line = JSON.stringify({ type: 'ADDED', object: { ...object, spec: { deep: 0 } } }).replace(
      '0',
      deep,
    );
    const event = parseWatchEvent(line, true);
    expect(event.object.metadata).toEqual(expected.metadata);
    expect((event.object as { spec?: { deep?: unknown } }).spec?.deep).toHaveLength(1);
  });
});

describe('parseWatchEvent keeping text', () => {
  const object = { metadata: { name: 'a', managedFields: [{ manager: 'kubelet' }] }, spec: { n: 1 } };

  it("attaches the line (pruned when pruning) as the text of the change's object", () => {
    const line = JSON.stringify({ type: 'MODIFIED', object });
    const kept = parseWatchEvent(line, false, true);
    expect(takeSourceText(kept.object)).toEqual({ text: line, shape: 'event' });
    expect(takeSourceText(kept.object)).toBeUndefined();
    const pruned = parseWatchEvent(line, true, true);
    const text = takeSourceText(pruned.object);
    expect(text?.shape).toBe('event');
    expect(JSON.parse(text?.text ?? '').object).toEqual(pruned.object);
    expect(text?.text).not.toContain('kubelet');
    expect(takeSourceText(parseWatchEvent(line).object)).toBeUndefined();
  });

  it('keeps the pruned event where the scanner gives up, and attaches nothing to bookmarks', () => {
    const deep = `${'['.repeat(600)}${']'.repeat(600)}`;
    const line = JSON.stringify({ type: 'ADDED', object: { ...object, spec: { deep: 0 } } }).replace(
      '0',
      deep,
    );
    const event = parseWatchEvent(line, true, true);
    const text = takeSourceText(event.object);
    expect(JSON.parse(text?.text ?? '').object).toEqual(event.object);
    expect(text?.text).not.toContain('kubelet');
    const bookmark = parseWatchEvent(
      '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}',
      false,
      true,
    );
    expect(takeSourceText(bookmark.object)).toBeUndefined();
  });
});
