import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bodyChunks } from './body-chunks.js';

describe('bodyChunks', () => {
  it('hands out the very chunks written, also when many were buffered before the consumer read', async () => {
    const source = new PassThrough();
    const chunks = bodyChunks(source);
    const written = Array.from({ length: 5 }, (_, index) => Buffer.from(`chunk ${index}\n`));
    for (const chunk of written) source.write(chunk);
    source.end();
    const received: Uint8Array[] = [];
    for await (const chunk of chunks) received.push(chunk);
    expect(received).toHaveLength(written.length);
    // Identity, not equality: no concatenation or copy between the socket and the consumer.
    for (const [index, chunk] of received.entries()) expect(chunk).toBe(written[index]);
  });

  it('pauses the source while the consumer is far behind and resumes it when it catches up', async () => {
    const source = new PassThrough({ highWaterMark: 1 });
    const chunks = bodyChunks(source);
    for (let index = 0; index < 20; index++) source.write(Buffer.from([index]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.isPaused()).toBe(true);
    for (let index = 0; index < 15; index++) await chunks.next();
    expect(source.isPaused()).toBe(false);
    source.end();
    const rest: number[] = [];
    for await (const chunk of chunks) rest.push(chunk[0] as number);
    expect(rest).toEqual([15, 16, 17, 18, 19]);
  });

  it('rejects the pending and later reads when the source fails', async () => {
    const source = new PassThrough();
    const chunks = bodyChunks(source);
    const pending = chunks.next();
    source.destroy(new Error('socket hang up'));
    await expect(pending).rejects.toThrow('socket hang up');
    await expect(chunks.next()).rejects.toThrow('socket hang up');
  });

  it('treats a source closed without an end as a failure', async () => {
    const source = new PassThrough();
    const chunks = bodyChunks(source);
    const pending = chunks.next();
    source.destroy();
    await expect(pending).rejects.toThrow(/closed early/);
  });

  it('ending the iteration early destroys the source', async () => {
    const source = new PassThrough();
    const chunks = bodyChunks(source);
    source.write('a');
    for await (const _chunk of chunks) break;
    expect(source.destroyed).toBe(true);
  });
});
