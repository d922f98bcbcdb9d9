import { ApiError, defineResource, ManualClock } from '@kubeinformers/core';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode, useCallback } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defineInformer,
  InformerContextError,
  type InformerHealth,
  InformerProvider,
  useConnectionHealth,
  useIndexLookup,
  useInformerHealth,
  useInformerObject,
  useInformerObjects,
} from './index.js';
import { ManualNotifications, ScriptedApi, type TestPod, testPod } from './test-support/scripted-api.js';

const pods = defineResource<TestPod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});
const allPods = defineInformer(pods, {
  indexers: { byIP: (pod) => (pod.status?.podIP === undefined ? [] : [pod.status.podIP]) },
});

let api: ScriptedApi;
let clock: ManualClock;
let notifications: ManualNotifications;

function setup(): void {
  api = new ScriptedApi();
  clock = new ManualClock();
  notifications = new ManualNotifications();
}

afterEach(() => cleanup());

/** Delivers pending notifications until `check` passes; bounded, it lets the transport's promises run between rounds. */
async function until(check: () => void): Promise<void> {
  let failure: unknown;
  for (let round = 0; round < 200; round += 1) {
    act(() => notifications.flush());
    try {
      check();
      return;
    } catch (error) {
      failure = error;
    }
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  }
  throw failure;
}

function Provider(props: { readonly children: React.ReactNode }) {
  return (
    <InformerProvider transport={api} options={{ clock, notify: notifications.schedule, onError: () => {} }}>
      {props.children}
    </InformerProvider>
  );
}

const renders = { names: 0 };

function PodNames(props: {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly running?: boolean;
}) {
  renders.names += 1;
  const { running } = props;
  const where = useCallback(
    (pod: { readonly status?: { readonly phase?: string } }) => !running || pod.status?.phase === 'Running',
    [running],
  );
  const objects = useInformerObjects(allPods, {
    namespace: props.namespace,
    labelSelector: props.labelSelector,
    where,
  });
  const health = useInformerHealth(allPods);
  return (
    <p data-testid="names">
      {health.synced ? 'synced' : 'unsynced'}:{objects.map((pod) => pod.metadata?.name).join(',')}
    </p>
  );
}

const text = () => screen.getByTestId('names').textContent;

describe('useInformerObjects', () => {
  it('shows nothing until synced, then the objects, filtered by namespace, labels and predicate', async () => {
    setup();
    api.put(testPod('a', { namespace: 'blue', app: 'web' }));
    api.put(testPod('b', { namespace: 'blue', app: 'db', phase: 'Pending' }));
    api.put(testPod('c', { namespace: 'green', app: 'web' }));
    const view = render(
      <Provider>
        <PodNames namespace="blue" />
      </Provider>,
    );
    expect(text()).toBe('unsynced:');
    await until(() => expect(text()).toBe('synced:a,b'));
    view.rerender(
      <Provider>
        <PodNames labelSelector="app=web" />
      </Provider>,
    );
    expect(text()).toBe('synced:a,c');
    view.rerender(
      <Provider>
        <PodNames namespace="blue" running />
      </Provider>,
    );
    expect(text()).toBe('synced:a');
  });

  it('re-renders once per notification however many events arrived, and not for other namespaces', async () => {
    setup();
    render(
      <Provider>
        <PodNames namespace="blue" />
      </Provider>,
    );
    await until(() => expect(text()).toBe('synced:'));
    await until(() => expect(api.openWatches).toBe(1));
    renders.names = 0;
    for (let index = 0; index < 100; index += 1) api.put(testPod(`p${index}`, { namespace: 'blue' }));
    await until(() => expect(text()?.split(',').length).toBe(100));
    expect(renders.names).toBe(1);

    renders.names = 0;
    for (let index = 0; index < 50; index += 1) api.put(testPod(`q${index}`, { namespace: 'green' }));
    await until(() => expect(notifications.hasPending).toBe(false));
    // Let the green events land, then deliver them: the blue slice did not change.
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    act(() => notifications.flush());
    expect(renders.names).toBe(0);
  });
});

function Lookup(props: { readonly ip: string; readonly podKey: string }) {
  const sameIP = useIndexLookup(allPods, 'byIP', props.ip);
  const pod = useInformerObject(allPods, props.podKey);
  return (
    <p data-testid="names">
      {pod?.status?.phase ?? 'absent'}:{sameIP.map((found) => found.metadata?.name).join(',')}
    </p>
  );
}

describe('useInformerObject and useIndexLookup', () => {
  it('finds every pod sharing an IP, and follows one object by key', async () => {
    setup();
    api.put(testPod('proxy', { namespace: 'kube-system', podIP: '10.0.0.11' }));
    api.put(testPod('exporter', { namespace: 'monitoring', podIP: '10.0.0.11' }));
    api.put(testPod('web', { podIP: '10.244.1.5', phase: 'Pending' }));
    render(
      <Provider>
        <Lookup ip="10.0.0.11" podKey="default/web" />
      </Provider>,
    );
    await until(() => expect(text()).toBe('Pending:proxy,exporter'));
    await until(() => expect(api.openWatches).toBe(1));
    api.put(testPod('web', { podIP: '10.244.1.5', phase: 'Running' }));
    api.remove('monitoring/exporter');
    await until(() => expect(text()).toBe('Running:proxy'));
  });
});

describe('informer lifetime', () => {
  it('starts one informer for many components under StrictMode, and stops it when the last unmounts', async () => {
    setup();
    const view = render(
      <StrictMode>
        <Provider>
          <PodNames namespace="blue" />
          <PodNames />
        </Provider>
      </StrictMode>,
    );
    await until(() => expect(api.openWatches).toBe(1));
    const lists = api.requests.filter((request) => request.query?.watch === undefined);
    expect(lists).toHaveLength(1);
    view.rerender(
      <StrictMode>
        <Provider>
          <PodNames />
        </Provider>
      </StrictMode>,
    );
    clock.advance(0);
    expect(api.openWatches).toBe(1);
    view.rerender(
      <StrictMode>
        <Provider>{null}</Provider>
      </StrictMode>,
    );
    clock.advance(0);
    await until(() => expect(api.openWatches).toBe(0));
    expect(api.requests.filter((request) => request.query?.watch === undefined)).toHaveLength(1);
  });

  it('renders the unsynced state on the server without a single request', () => {
    setup();
    const html = renderToString(
      <Provider>
        <PodNames />
      </Provider>,
    );
    expect(html.replaceAll('<!-- -->', '')).toContain('>unsynced:</p>');
    expect(api.requests).toHaveLength(0);
  });

  it('throws a typed error outside a provider', () => {
    setup();
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => render(<PodNames />)).toThrow(InformerContextError);
    } finally {
      console.error = quiet;
    }
  });
});

const seen = { mostFailures: 0, health: undefined as InformerHealth | undefined };

function Health() {
  const health = useInformerHealth(allPods);
  seen.mostFailures = Math.max(seen.mostFailures, health.consecutiveFailures);
  seen.health = health;
  const connection = useConnectionHealth();
  return (
    <p data-testid="names">
      {health.phase}/{connection.phase}/{health.consecutiveFailures}
    </p>
  );
}

describe('health', () => {
  it("follows core's health: recovering from a dropped watch until the server accepts a rewatch, then healthy", async () => {
    setup();
    seen.mostFailures = 0;
    render(
      <Provider>
        <Health />
      </Provider>,
    );
    await until(() => expect(text()).toBe('healthy/healthy/0'));
    await until(() => expect(api.openWatches).toBe(1));
    // The completed list is the first activity core records.
    expect(seen.health?.lastEventAt).toBe(0);
    expect(seen.health?.lastFailure).toBeUndefined();
    // The watch breaks without having delivered anything, and the next attempt is refused: core backs off.
    api.failNext(503);
    api.dropWatches();
    await until(() => expect(text()).toBe('recovering/recovering/1'));
    // The backoffs elapse on the injected clock: the refused attempt counts, then a rewatch opens.
    await until(() => {
      clock.advance(500);
      expect(seen.mostFailures).toBe(2);
      expect(api.openWatches).toBe(1);
    });
    // The server accepted the rewatch from the cache's version: the cache is current again, so core is
    // healthy at once, with no event or bookmark (a watch that then turns out dead is the stall guard's).
    act(() => notifications.flush());
    expect(text()).toBe('healthy/healthy/0');
    expect(seen.health?.lastFailure).toBeInstanceOf(ApiError);
    expect(seen.health?.lastFailure).toMatchObject({ statusCode: 503, code: 'KI_API_SERVER_ERROR' });
    // The last failure stays readable after recovery, and no pod event was ever delivered.
    expect(seen.health?.lastFailure).toMatchObject({ statusCode: 503 });
    expect(api.openWatches).toBe(1);
  });

  it('reports the connection idle once the last component unmounts', async () => {
    setup();
    api.put(testPod('a'));
    const view = render(
      <Provider>
        <Health />
        <Connection />
      </Provider>,
    );
    await until(() => expect(text()).toBe('healthy/healthy/0'));
    view.rerender(
      <Provider>
        <Connection />
      </Provider>,
    );
    clock.advance(0);
    await until(() => expect(screen.getByTestId('connection').textContent).toBe('idle/0'));
    expect(api.openWatches).toBe(0);
  });
});

function Connection() {
  const connection = useConnectionHealth();
  return (
    <p data-testid="connection">
      {connection.phase}/{connection.activeInformers}
    </p>
  );
}

const samePods = defineInformer(pods, { indexers: allPods.options.indexers });

function Other() {
  const objects = useInformerObjects(samePods);
  return <p data-testid="other">{objects.length}</p>;
}

describe('shared informers', () => {
  it('counts users of one informer across definitions that resolve to it', async () => {
    setup();
    api.put(testPod('a'));
    const view = render(
      <Provider>
        <PodNames />
        <Other />
      </Provider>,
    );
    await until(() => expect(api.openWatches).toBe(1));
    view.rerender(
      <Provider>
        <Other />
      </Provider>,
    );
    clock.advance(0);
    // The informer still serves the remaining component: its watch stays open and changes arrive.
    api.put(testPod('b'));
    await until(() => expect(screen.getByTestId('other').textContent).toBe('2'));
    expect(api.openWatches).toBe(1);
  });
});
