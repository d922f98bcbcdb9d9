import { describe, expect, it } from 'vitest';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../errors/api-error.js';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import {
  bookmark,
  change,
  expired,
  type Input,
  networkError,
  openWatch,
  ordinaryWatchFailures,
  page,
  run,
  serverError,
  stalled,
  timerFired,
  tooLarge,
  watchFailed,
  watching,
} from '../test-support/list-watch-inputs.js';
import type { ListWatchState, WatchingState } from './list-watch-state.js';
import { initialTransition } from './list-watch-transition.js';

describe('listing', () => {
  it('starts with one consistent list request (no resource version)', () => {
    const start = initialTransition(false);
    expect(start.state).toMatchObject({ kind: 'listing', resourceVersion: undefined });
    expect(start.effects).toEqual([{ type: 'requestList', request: {} }]);
  });

  it('follows continue tokens, then replaces once and watches from the list version', () => {
    const first = run(initialTransition(false).state, page('7', 'token-1'));
    expect(first.effects).toEqual([{ type: 'requestList', request: { continueToken: 'token-1' } }]);
    const second = run(first.state, page('7', 'token-2'));
    expect(second.effects).toEqual([{ type: 'requestList', request: { continueToken: 'token-2' } }]);
    const last = run(second.state, page('7'));
    // A completed list is progress: the backoff starts over.
    expect(last.effects).toEqual([
      { type: 'replace', resourceVersion: '7' },
      { type: 'progress' },
      openWatch('7'),
    ]);
    expect(last.state).toEqual(watching('7'));
  });

  it('restarts ONE fresh full list when a continue token expires, never keeping the old pages', () => {
    const paging = run(initialTransition(false).state, page('7', 'token-1')).state;
    const restart = run(paging, { type: 'listFailed', error: expired });
    // Unpaginated: one response cannot expire midway, however fast the server compacts.
    expect(restart.effects).toEqual([
      { type: 'discard' },
      { type: 'requestList', request: { unpaginated: true } },
    ]);
    expect(restart.state).toMatchObject({ kind: 'listing', restarted: true });
    // Expiring again: back off before the next fresh list, and say so.
    const again = run(restart.state, page('9', 'token-2'), { type: 'listFailed', error: expired });
    expect(again.effects).toEqual([
      { type: 'discard' },
      { type: 'report', error: expired },
      { type: 'wait' },
    ]);
    expect(run(again.state, timerFired).effects).toEqual([
      { type: 'requestList', request: { unpaginated: true } },
    ]);
  });

  it('restarts an expired first page (not a continuation) with an ordinary paginated list', () => {
    const relisting = run(watching('10'), bookmark('12'), watchFailed(expired)).state;
    const restart = run(relisting, { type: 'listFailed', error: expired });
    expect(restart.effects).toEqual([{ type: 'discard' }, { type: 'requestList', request: {} }]);
  });

  it('retries the failed page after a backoff on network errors and 5xx, keeping earlier pages', () => {
    for (const error of [networkError, serverError]) {
      const paging = run(initialTransition(false).state, page('7', 'token-1')).state;
      const failed = run(paging, { type: 'listFailed', error });
      expect(failed.effects).toEqual([{ type: 'report', error }, { type: 'wait' }]);
      expect(failed.state.kind).toBe('waiting');
      expect(run(failed.state, timerFired).effects).toEqual([
        { type: 'requestList', request: { continueToken: 'token-1' } },
      ]);
    }
  });

  it('waits at least Retry-After on 429', () => {
    const throttled = new TooManyRequestsError({ statusCode: 429, retryAfterSeconds: 7 });
    const failed = run(initialTransition(false).state, { type: 'listFailed', error: throttled });
    expect(failed.effects).toEqual([
      { type: 'report', error: throttled },
      { type: 'wait', retryAfterSeconds: 7 },
    ]);
    const proxy = new UnexpectedResponseError(429, 'text/html', '', 'busy', 2);
    expect(run(initialTransition(false).state, { type: 'listFailed', error: proxy }).effects).toContainEqual({
      type: 'wait',
      retryAfterSeconds: 2,
    });
  });

  it('surfaces 401 and 403 and keeps retrying with backoff', () => {
    for (const error of [
      new UnauthorizedError({ statusCode: 401 }),
      new ForbiddenError({ statusCode: 403 }),
    ]) {
      const failed = run(initialTransition(false).state, { type: 'listFailed', error });
      expect(failed.effects).toEqual([{ type: 'report', error }, { type: 'wait' }]);
      expect(run(failed.state, timerFired).effects).toEqual([{ type: 'requestList', request: {} }]);
    }
  });

  it('re-requests the page at once after a stall', () => {
    const paging = run(initialTransition(false).state, page('7', 'token-1')).state;
    expect(run(paging, { type: 'listFailed', error: stalled }).effects).toEqual([
      { type: 'report', error: stalled },
      { type: 'requestList', request: { continueToken: 'token-1' } },
    ]);
  });

  it('ignores inputs that belong to other states', () => {
    const listing = initialTransition(false).state;
    for (const input of [
      change('ADDED', 'a', '1'),
      bookmark('3'),
      timerFired,
      { type: 'watchEnded', durationMs: 5 },
    ] as Input[]) {
      expect(run(listing, input)).toEqual({ state: listing, effects: [] });
    }
  });
});

describe('watching', () => {
  it('applies events and advances the version with every event and bookmark', () => {
    const result = run(
      watching('10'),
      change('ADDED', 'a', '11'),
      bookmark('15'),
      change('DELETED', 'a', '16'),
    );
    expect(result.state).toEqual(watching('16', 3));
    const modified = {
      type: 'apply',
      change: { type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '11' } } },
      resourceVersion: '11',
    };
    // The first event or bookmark of a connection is progress; later ones are not announced again.
    expect(run(watching('10'), change('MODIFIED', 'a', '11')).effects).toEqual([
      { type: 'progress' },
      modified,
    ]);
    expect(run(watching('10', 1), change('MODIFIED', 'a', '11')).effects).toEqual([modified]);
    expect(run(watching('11'), bookmark('15')).effects).toEqual([
      { type: 'progress' },
      { type: 'bookmark', resourceVersion: '15' },
    ]);
    expect(run(watching('11', 4), bookmark('15')).effects).toEqual([
      { type: 'bookmark', resourceVersion: '15' },
    ]);
  });

  it('treats versions as opaque strings, never comparing them', () => {
    const result = run(
      watching('900'),
      change('MODIFIED', 'a', '1000'),
      bookmark('abc'),
      change('ADDED', 'b', '20'),
    );
    expect(result.state.resourceVersion).toBe('20');
  });

  it('keeps the version when an event carries none', () => {
    expect(run(watching('10'), change('MODIFIED', 'a')).state.resourceVersion).toBe('10');
  });

  it('rewatches from the last version after a clean end, without relisting', () => {
    const ended = run(watching('10'), change('ADDED', 'a', '12'), {
      type: 'watchEnded',
      durationMs: 300_000,
    });
    expect(ended.effects).toEqual([openWatch('12')]);
    expect(ended.state).toEqual(watching('12', 0, false));
  });

  it('rewatches at once after a quick end that did deliver something, or a slow end that did not', () => {
    expect(run(watching('10'), bookmark('11'), { type: 'watchEnded', durationMs: 10 }).effects).toEqual([
      openWatch('11'),
    ]);
    expect(run(watching('10'), { type: 'watchEnded', durationMs: 1_000 }).effects).toEqual([openWatch('10')]);
  });

  it('backs off after a watch that ends in under a second with nothing received', () => {
    const ended = run(watching('10'), { type: 'watchEnded', durationMs: 999 });
    expect(ended.effects).toEqual([{ type: 'wait' }]);
    expect(ended.state.kind).toBe('waiting');
    expect(run(ended.state, timerFired).effects).toEqual([openWatch('10')]);
  });

  it('relists at the last version on 410 (HTTP status or ERROR event alike), once', () => {
    const failed = run(watching('10'), change('ADDED', 'a', '12'), watchFailed(expired));
    expect(failed.effects).toEqual([
      { type: 'requestList', request: { resourceVersion: '12', resourceVersionMatch: 'NotOlderThan' } },
    ]);
    expect(failed.state).toMatchObject({ kind: 'listing', restarted: false });
    // The relist completes: one replace, then a watch from its version.
    const relisted = run(failed.state, page('30'));
    expect(relisted.effects).toEqual([
      { type: 'replace', resourceVersion: '30' },
      { type: 'progress' },
      openWatch('30'),
    ]);
  });

  it('relists with no version when the relist at the last version is expired or too large', () => {
    for (const error of [expired, tooLarge]) {
      const relisting = run(watching('10'), bookmark('12'), watchFailed(expired)).state;
      const fresh = run(relisting, { type: 'listFailed', error });
      expect(fresh.effects).toEqual([{ type: 'discard' }, { type: 'requestList', request: {} }]);
    }
  });

  it('backs off before relisting when the expired watch had delivered nothing (no list/watch spin)', () => {
    const failed = run(watching('10'), watchFailed(expired));
    expect(failed.effects).toEqual([{ type: 'wait' }]);
    expect(run(failed.state, timerFired).effects).toEqual([
      { type: 'requestList', request: { resourceVersion: '10', resourceVersionMatch: 'NotOlderThan' } },
    ]);
  });

  it('relists with no version after a 504 ResourceVersionTooLarge', () => {
    const failed = run(watching('10'), bookmark('11'), watchFailed(tooLarge));
    expect(failed.effects).toEqual([{ type: 'requestList', request: {} }]);
  });

  it('reports network errors, 5xx, 401/403, other ERROR codes and bad lines, backs off, then rewatches', () => {
    for (const error of ordinaryWatchFailures) {
      const failed = run(watching('10'), watchFailed(error));
      expect(failed.effects).toEqual([{ type: 'report', error }, { type: 'wait' }]);
      expect(run(failed.state, timerFired).effects).toEqual([openWatch('10')]);
    }
  });

  it('reopens at once from the last version when a watch fails after delivering something', () => {
    for (const error of ordinaryWatchFailures) {
      const failed = run(watching('10'), change('ADDED', 'a', '11'), watchFailed(error));
      expect(failed.effects).toEqual([{ type: 'report', error }, openWatch('11')]);
      expect(failed.state).toEqual(watching('11', 0, false));
    }
  });

  it('waits at least Retry-After on 429, then rewatches, whatever the watch had delivered', () => {
    const throttled = new TooManyRequestsError({ statusCode: 429, retryAfterSeconds: 3 });
    for (const start of [watching('10'), watching('10', 5, true)]) {
      const failed = run(start, watchFailed(throttled));
      expect(failed.effects).toEqual([
        { type: 'report', error: throttled },
        { type: 'wait', retryAfterSeconds: 3 },
      ]);
      expect(run(failed.state, timerFired).effects).toEqual([openWatch('10')]);
    }
  });

  it('reopens at once, without resetting the backoff, when a watch open a second or more breaks with nothing', () => {
    const longOpen = run(watching('10'), { type: 'watchFailed', error: networkError, connectedMs: 1_000 });
    expect(longOpen.effects).toEqual([{ type: 'report', error: networkError }, openWatch('10')]);
    expect(longOpen.state).toEqual(watching('10', 0, false));
    const brief = run(watching('10'), { type: 'watchFailed', error: networkError, connectedMs: 999 });
    expect(brief.effects).toEqual([{ type: 'report', error: networkError }, { type: 'wait' }]);
    // A 410 after such a watch relists at once.
    expect(run(longOpen.state, watchFailed(expired)).effects[1]).toMatchObject({ type: 'requestList' });
  });

  it('relists at once on a 410 on any watch but one straight from a snapshot, ending the failures in a row', () => {
    // A watch streamed, broke, was reopened at once, and its version had been compacted meanwhile.
    const reopened = run(watching('10'), change('ADDED', 'a', '12'), watchFailed(networkError)).state;
    const expiredAfterHealthy = run(reopened, watchFailed(expired));
    // A working server answered: the next failure (of the relist, say) waits the shortest backoff again.
    expect(expiredAfterHealthy.effects).toEqual([
      { type: 'progress' },
      { type: 'requestList', request: { resourceVersion: '12', resourceVersionMatch: 'NotOlderThan' } },
    ]);
    // So does one after a watch that ended cleanly at its timeout.
    const relistsAtOnce = [{ type: 'progress' }, { type: 'requestList', request: expect.anything() }];
    const renewed = run(watching('12'), { type: 'watchEnded', durationMs: 300_000 }).state;
    expect(run(renewed, watchFailed(expired)).effects).toEqual(relistsAtOnce);
    // And after a failed one: a 410 is the server's plain answer, not a failure to retry later.
    const quick = run(watching('12'), { type: 'watchEnded', durationMs: 10 }, timerFired).state;
    expect(run(quick, watchFailed(expired)).effects).toEqual(relistsAtOnce);
    const afterStall = run(watching('12'), watchFailed(stalled)).state;
    expect(run(afterStall, watchFailed(expired)).effects).toEqual(relistsAtOnce);
    const afterError = run(watching('12'), watchFailed(serverError), timerFired).state;
    expect(run(afterError, watchFailed(expired)).effects).toEqual(relistsAtOnce);
    // A 504 ResourceVersionTooLarge relists too, but says nothing of the failures before it.
    expect(run(afterError, watchFailed(tooLarge)).effects).toEqual([{ type: 'requestList', request: {} }]);
  });

  it('keeps backing off in a list→watch→410 loop: a relist after an empty expired watch is no progress', () => {
    const loop = (state: ListWatchState) => run(state, watchFailed(expired), timerFired, page('20'));
    const first = loop(watching('10'));
    // The relist completes, but the loop earns no reset of the backoff.
    expect(first.effects).toEqual([{ type: 'replace', resourceVersion: '20' }, openWatch('20')]);
    // Its watch expires with nothing delivered again: another wait (longer, as the count kept growing).
    expect(run(first.state, watchFailed(expired)).effects).toEqual([{ type: 'wait' }]);
    // Once that watch delivers something, the loop is over.
    expect(run(first.state, bookmark('21')).effects[0]).toEqual({ type: 'progress' });
  });

  it('counts a streaming snapshot completed in a relist loop as no progress either', () => {
    const streamingWatch: WatchingState = { ...watching('10'), streamingList: true };
    const relisting = run(streamingWatch, watchFailed(expired), timerFired);
    expect(relisting.state).toMatchObject({ kind: 'streaming', suspect: true });
    expect(run(relisting.state, bookmark('20', true)).effects).toEqual([
      { type: 'replace', resourceVersion: '20' },
    ]);
  });

  it('reports a stall and reopens the watch at once from the last version', () => {
    const failed = run(watching('10'), bookmark('14'), watchFailed(stalled));
    expect(failed.effects).toEqual([{ type: 'report', error: stalled }, openWatch('14')]);
  });

  it('ignores list inputs and timers while watching', () => {
    const state = watching('10');
    expect(run(state, page('99'), timerFired, { type: 'listFailed', error: expired }).state).toBe(state);
  });
});

describe('waiting', () => {
  it('marks the cache current when a watch is answered 2xx, without starting the backoff over', () => {
    const rewatch = run(watching('10'), watchFailed(serverError), timerFired).state;
    const opened = run(rewatch, { type: 'watchOpened' });
    expect(opened).toEqual({ state: rewatch, effects: [{ type: 'recovered' }] });
    // A streaming list that opens is not a complete snapshot yet.
    const streaming = initialTransition<KubeObject>(true).state;
    expect(run(streaming, { type: 'watchOpened' }).effects).toEqual([]);
  });

  it('hurries a wait after a failure to reach the server when a sibling reached it; keeps 429 and storm-guard waits', () => {
    const afterFailure = [
      run(watching('10'), watchFailed(serverError)).state,
      run(watching('10'), watchFailed(networkError)).state,
      run(initialTransition(false).state, { type: 'listFailed', error: networkError }).state,
    ];
    for (const state of afterFailure) {
      expect(state).toMatchObject({ kind: 'waiting', cause: 'failure' });
      expect(run(state, { type: 'serverReachable' })).toEqual({ state, effects: [{ type: 'hurry' }] });
    }
    const throttled = new TooManyRequestsError({ statusCode: 429, retryAfterSeconds: 1 });
    const kept = [
      run(watching('10'), watchFailed(throttled)).state,
      // A quick empty watch, a list→watch→410 loop: the server answers, and waiting is the point.
      run(watching('10'), { type: 'watchEnded', durationMs: 10 }).state,
      run(watching('10'), watchFailed(expired)).state,
    ];
    expect(kept.map((state) => (state.kind === 'waiting' ? state.cause : state.kind))).toEqual([
      'throttled',
      'guard',
      'guard',
    ]);
    for (const state of kept) expect(run(state, { type: 'serverReachable' }).effects).toEqual([]);
    // Outside a wait, the evidence changes nothing.
    expect(run(watching('10'), { type: 'serverReachable' }).effects).toEqual([]);
  });

  it('starts nothing until the timer fires', () => {
    const waitingState = run(watching('10'), { type: 'watchEnded', durationMs: 0 }).state;
    for (const input of [
      change('ADDED', 'a', '1'),
      bookmark('2'),
      page('3'),
      { type: 'watchEnded', durationMs: 1 },
    ] as Input[]) {
      expect(run(waitingState, input)).toEqual({ state: waitingState, effects: [] });
    }
    expect(waitingState.resourceVersion).toBe('10');
  });
});
