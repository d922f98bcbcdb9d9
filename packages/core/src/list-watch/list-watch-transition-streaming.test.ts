import { describe, expect, it } from 'vitest';
import { ApiError, UnauthorizedError } from '../errors/api-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import {
  bookmark,
  change,
  expired,
  networkError,
  page,
  run,
  serverError,
  stalled,
  timerFired,
  watchFailed,
} from '../test-support/list-watch-inputs.js';
import { initialTransition } from './list-watch-transition.js';

describe('streaming list', () => {
  const start = () => initialTransition<KubeObject>(true);

  it('opens a watch with initial events and no version', () => {
    expect(start().state).toMatchObject({ kind: 'streaming', streamingList: true });
    expect(start().effects).toEqual([
      { type: 'openWatch', request: { resourceVersion: undefined, sendInitialEvents: true } },
    ]);
  });

  it('collects events and replaces atomically at the initial-events-end bookmark, then keeps watching', () => {
    const collecting = run(start().state, change('ADDED', 'a', '3'), change('ADDED', 'b', '4'));
    expect(collecting.effects).toEqual([
      {
        type: 'collect',
        change: { type: 'ADDED', object: { metadata: { name: 'b', resourceVersion: '4' } } },
      },
    ]);
    expect(collecting.state.resourceVersion).toBeUndefined();
    const synced = run(collecting.state, bookmark('5', true));
    expect(synced.effects).toEqual([{ type: 'replace', resourceVersion: '5' }, { type: 'progress' }]);
    expect(synced.state).toMatchObject({
      kind: 'watching',
      resourceVersion: '5',
      streamingList: true,
      received: 1,
    });
    expect(run(synced.state, change('MODIFIED', 'a', '6')).effects).toContainEqual(
      expect.objectContaining({ type: 'apply' }),
    );
  });

  it.each([400, 403, 405, 422])(
    'falls back to list+watch for good when the server answers %i',
    (statusCode) => {
      const error = new ApiError({ statusCode, status: { code: statusCode } });
      const fallback = run(start().state, watchFailed(error));
      expect(fallback.effects).toEqual([{ type: 'discard' }, { type: 'requestList', request: {} }]);
      expect(fallback.state).toMatchObject({ kind: 'listing', streamingList: false });
      // A later relist lists too.
      const later = run(fallback.state, page('8'), bookmark('9'), watchFailed(expired));
      expect(later.effects).toEqual([
        { type: 'requestList', request: { resourceVersion: '9', resourceVersionMatch: 'NotOlderThan' } },
      ]);
    },
  );

  it('falls back when a bookmark without the annotation arrives, or the stream ends before it', () => {
    const unannotated = run(start().state, change('ADDED', 'a', '3'), bookmark('5'));
    expect(unannotated.effects).toEqual([{ type: 'discard' }, { type: 'requestList', request: {} }]);
    expect(unannotated.state.streamingList).toBe(false);
    const ended = run(start().state, change('ADDED', 'a', '3'), { type: 'watchEnded', durationMs: 600_000 });
    expect(ended.effects).toEqual([{ type: 'discard' }, { type: 'requestList', request: {} }]);
  });

  it('discards and retries the stream after a backoff on other failures, keeping streaming on', () => {
    for (const error of [networkError, serverError, new UnauthorizedError({ statusCode: 401 })]) {
      const failed = run(start().state, change('ADDED', 'a', '3'), watchFailed(error));
      expect(failed.effects).toEqual([{ type: 'discard' }, { type: 'report', error }, { type: 'wait' }]);
      expect(run(failed.state, timerFired).effects).toEqual([
        { type: 'openWatch', request: { resourceVersion: undefined, sendInitialEvents: true } },
      ]);
    }
  });

  it('relists by stream at the last version after a watch 410, then with no version if that expires', () => {
    const synced = run(start().state, bookmark('5', true), change('ADDED', 'a', '6'));
    const relist = run(synced.state, watchFailed(expired));
    expect(relist.effects).toEqual([
      { type: 'openWatch', request: { resourceVersion: '6', sendInitialEvents: true } },
    ]);
    const fresh = run(relist.state, watchFailed(expired));
    expect(fresh.effects).toEqual([
      { type: 'discard' },
      { type: 'openWatch', request: { resourceVersion: undefined, sendInitialEvents: true } },
    ]);
  });

  it('restarts a stalled stream at once, dropping what it had sent', () => {
    expect(run(start().state, change('ADDED', 'a', '3'), watchFailed(stalled)).effects).toEqual([
      { type: 'discard' },
      { type: 'report', error: stalled },
      { type: 'openWatch', request: { resourceVersion: undefined, sendInitialEvents: true } },
    ]);
  });

  it('ignores list inputs and timers while streaming', () => {
    const state = start().state;
    expect(run(state, page('1'), timerFired).state).toBe(state);
  });
});
