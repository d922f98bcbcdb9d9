import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../../fake-api-server.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read object fields loosely.
type Any = any;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('simulated Jobs', () => {
  it('runs a Job to completion, parallelism pods at a time', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({
      clock,
      simulate: { nodes: 1, podStartupMs: 1_000, jobDurationMs: 4_000 },
    });
    const { store } = server;
    store.create('jobs.batch', {
      metadata: { name: 'batch' },
      spec: {
        completions: 3,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    clock.advance(0);
    const job = () => store.get<Any>('jobs.batch', 'default/batch');
    expect(job().status.active).toBe(2);
    clock.advance(5_000);
    expect(job().status).toMatchObject({ succeeded: 2, active: 1 });
    clock.advance(5_000);
    expect(job().status.succeeded).toBe(3);
    expect(job().status.conditions.map((entry: Any) => `${entry.type}=${entry.status}`)).toEqual([
      'SuccessCriteriaMet=True',
      'Complete=True',
    ]);
    expect(job().status.completionTime).toBeDefined();
    expect(store.list<Any>('pods').map((entry) => entry.status.phase)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
    expect(store.list<Any>('pods')[0].metadata.labels['job-name']).toBe('batch');
  });
});
