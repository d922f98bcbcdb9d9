import {
  type Clock,
  createInformerFactory,
  type InformerFactory,
  type InformerFactoryDefaults,
  type KubeInformersError,
  type KubeObject,
  systemClock,
  type Transport,
} from '@kubeinformers/core';
import type { InformerDefinition } from './informer-definition.js';
import type { InformerHealth, InformerPhase } from './informer-health.js';
import { InformerSource } from './informer-source.js';
import {
  animationFrameScheduler,
  intervalScheduler,
  type NotificationScheduler,
} from './notification-scheduler.js';

export interface InformerClientOptions extends InformerFactoryDefaults {
  /**
   * How often components hear about changes: `'animation-frame'` (default, one render per frame at
   * most), a number of milliseconds, or a scheduler of your own. Events in between are coalesced.
   */
  readonly notify?: 'animation-frame' | number | NotificationScheduler;
  /**
   * How long an informer keeps running after the last component using it unmounted; default 0 (stopped
   * on the next tick, which is enough for StrictMode's remount). Longer keeps the connection across
   * route changes.
   */
  readonly stopDelayMs?: number;
}

/** Health of everything the client is connected to. */
export interface ConnectionHealth {
  /** `recovering` if any active informer is; `syncing` if any is; `healthy` when all are; `idle` if none runs. */
  readonly phase: InformerPhase;
  /** How many informers components use now. */
  readonly activeInformers: number;
  /** The last error any informer survived (from the factory's error hook), with the time it was seen. */
  readonly lastError: { readonly at: number; readonly error: KubeInformersError } | undefined;
}

const idleConnection: ConnectionHealth = Object.freeze({
  phase: 'idle',
  activeInformers: 0,
  lastError: undefined,
});

/**
 * The React side of an informer factory: it owns the factory (so an `InformerProvider` scopes informers
 * to its tree), turns definitions into reference-counted sources, batches notifications, and reports
 * each informer's health from core. Nothing connects until a component subscribes, so rendering on
 * the server never opens a connection.
 */
export class InformerClient {
  readonly factory: InformerFactory;
  private readonly clock: Clock;
  private readonly sources = new Map<
    InformerDefinition<KubeObject, string>,
    InformerSource<KubeObject, string>
  >();
  private readonly sourcesByInformer = new Map<object, InformerSource<KubeObject, string>>();
  private readonly schedule: NotificationScheduler;
  private readonly changed = new Set<InformerSource<KubeObject, string>>();
  private readonly connectionListeners = new Set<() => void>();
  private connection: ConnectionHealth = idleConnection;
  private lastError: ConnectionHealth['lastError'];
  private cancelFlush: (() => void) | undefined;
  private readonly stopDelayMs: number;

  constructor(transport: Transport, options: InformerClientOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.stopDelayMs = options.stopDelayMs ?? 0;
    const { notify = 'animation-frame' } = options;
    this.schedule =
      typeof notify === 'function'
        ? notify
        : notify === 'animation-frame'
          ? animationFrameScheduler(this.clock)
          : intervalScheduler(this.clock, notify);
    this.factory = createInformerFactory(transport, {
      ...options,
      onError: (error) => {
        this.lastError = { at: this.clock.now(), error };
        this.requestFlush();
        options.onError?.(error);
      },
    });
  }

  /**
   * The source of `definition` in this client. Definitions the factory resolves to the same shared
   * informer (same resource and list options) share one source, so one reference count decides when it
   * stops. Its health is the informer's own (core's `informer.health()`).
   */
  source<T extends KubeObject, I extends string>(definition: InformerDefinition<T, I>): InformerSource<T, I> {
    const key = definition as unknown as InformerDefinition<KubeObject, string>;
    let source = this.sources.get(key);
    if (source === undefined) {
      const { resource, options } = definition;
      const informer = this.factory.informerFor(resource, options);
      source = this.sourcesByInformer.get(informer);
      if (source === undefined) {
        source = new InformerSource(informer, {
          clock: this.clock,
          stopDelayMs: this.stopDelayMs,
          markChanged: (changed) => {
            this.changed.add(changed);
            this.requestFlush();
          },
        }) as unknown as InformerSource<KubeObject, string>;
        this.sourcesByInformer.set(informer, source);
      }
      this.sources.set(key, source);
    }
    return source as unknown as InformerSource<T, I>;
  }

  readonly subscribeConnection = (listener: () => void): (() => void) => {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  };

  readonly getConnection = (): ConnectionHealth => this.connection;

  /** Stops every informer and releases every connection; the client is unusable afterwards. */
  async shutdown(): Promise<void> {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    await this.factory.shutdown();
  }

  private requestFlush(): void {
    this.cancelFlush ??= this.schedule(() => {
      this.cancelFlush = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const changed = [...this.changed];
    this.changed.clear();
    for (const source of changed) source.flush();
    const next = this.summarize();
    if (
      next.phase !== this.connection.phase ||
      next.activeInformers !== this.connection.activeInformers ||
      next.lastError !== this.connection.lastError
    ) {
      this.connection = next;
      for (const listener of [...this.connectionListeners]) listener();
    }
  }

  private summarize(): ConnectionHealth {
    const phases: InformerHealth['phase'][] = [];
    for (const source of this.sourcesByInformer.values()) {
      if (source.active) phases.push(source.getSnapshot().health.phase);
    }
    const phase: InformerPhase = phases.includes('recovering')
      ? 'recovering'
      : phases.includes('syncing')
        ? 'syncing'
        : phases.length > 0
          ? 'healthy'
          : 'idle';
    return { phase, activeInformers: phases.length, lastError: this.lastError };
  }
}
