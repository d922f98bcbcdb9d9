import {
  type KubeObject,
  ManualClock,
  type ResourceDescriptor,
  type TransportResponse,
} from '@kubeinformers/core';
import { pods } from '@kubeinformers/k8s-client-adapter';
import { describe, expect, it } from 'vitest';
import { InMemoryApi } from '../../../packages/core/src/test-support/in-memory-api.js';
import { FaultInjectingTransport } from './fault-injecting-transport.js';

const podResource = pods as unknown as ResourceDescriptor<KubeObject>;
const path = '/api/v1/namespaces/default/pods';
const decoder = new TextDecoder();

function setup() {
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  api.create(podResource, { metadata: { name: 'a', namespace: 'default' } });
  return { clock, api, transport: new FaultInjectingTransport(api, clock) };
}

function watch(transport: FaultInjectingTransport, signal = new AbortController().signal) {
  const query = { watch: 'true', resourceVersion: '2', allowWatchBookmarks: 'true' };
  return transport.request({ path, query, signal });
}

/** Reads what the watch delivers within one turn of the event loop: its lines, and how it ended if it did. */
async function drain(response: TransportResponse): Promise<{ lines: string[]; end: string }> {
  const iterator = response.body[Symbol.asyncIterator]();
  const lines: string[] = [];
  for (;;) {
    const next = await Promise.race([
      iterator.next().then(
        (result) => result,
        (error: Error) => error,
      ),
      new Promise<'open'>((resolve) => setImmediate(() => resolve('open'))),
    ]);
    if (next === 'open') return { lines, end: 'open' };
    if (next instanceof Error) return { lines, end: `failed: ${next.message}` };
    if (next.done === true) return { lines, end: 'ended' };
    lines.push(decoder.decode(next.value));
  }
}

describe('FaultInjectingTransport: the fake server faults, in-process', () => {
  it('fails a request with a Status and Retry-After, or delays it on the clock', async () => {
    const { clock, transport } = setup();
    transport.requestFault = () => ({ type: 'fail', status: 429, retryAfterSeconds: 1 });
    const throttled = await transport.request({ path, signal: new AbortController().signal });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    transport.requestFault = () => ({ type: 'delay', delayMs: 300 });
    let answered = false;
    const delayed = transport.request({ path, signal: new AbortController().signal }).then((response) => {
      answered = true;
      return response;
    });
    clock.advance(299);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await delayed).status).toBe(200);
    expect(transport.log.map((entry) => entry.fault)).toEqual(['fail 429', 'delay 300']);
  });

  it('black-holes watches until resumed, then delivers what queued up; cuts a line in half', async () => {
    const { api, transport } = setup();
    const response = await watch(transport);
    transport.stallWatches();
    api.create(podResource, { metadata: { name: 'b', namespace: 'default' } });
    expect(await drain(response)).toEqual({ lines: [], end: 'open' });
    transport.corruptNextWatchLines(1);
    transport.resumeWatches();
    const { lines } = await drain(response);
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0] as string)).toThrow();
  });

  it('drops watches cleanly or abruptly', async () => {
    const { transport } = setup();
    const clean = await watch(transport);
    transport.dropWatches();
    expect((await drain(clean)).end).toBe('ended');
    const abrupt = await watch(transport);
    transport.dropWatches({ abrupt: true });
    expect((await drain(abrupt)).end).toMatch(/^failed: socket hang up/);
    expect(transport.log.map((entry) => entry.end?.how)).toEqual(['dropped', 'cut']);
  });

  it('with the server down: open watches and delayed requests fail, new ones are refused until it is back', async () => {
    const { clock, transport } = setup();
    const open = await watch(transport);
    transport.requestFault = () => ({ type: 'delay', delayMs: 500 });
    const delayed = transport.request({ path, signal: new AbortController().signal });
    transport.requestFault = undefined;
    transport.serverDown(1_000);
    expect((await drain(open)).end).toMatch(/^failed/);
    await expect(delayed).rejects.toThrow(/socket hang up/);
    await expect(watch(transport)).rejects.toThrow(/ECONNREFUSED/);
    clock.advance(1_000);
    expect(transport.isDown).toBe(false);
    expect((await watch(transport)).status).toBe(200);
  });
});
