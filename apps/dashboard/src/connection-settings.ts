import type { WatchChannel } from '@kubeinformers/web';

/** Where the page's data comes from, read from its query string (`?api=…&token=…&watch=websocket`). */
export interface ConnectionSettings {
  /** The API's base URL; default `/k8s` on the page's origin (the launcher's proxy). */
  readonly apiUrl: string;
  readonly token: string | undefined;
  readonly watch: WatchChannel;
  /** Notification pace: `frame` (default) or milliseconds. */
  readonly notify: 'animation-frame' | number;
}

export function readConnectionSettings(search: string): ConnectionSettings {
  const query = new URLSearchParams(search);
  const notify = query.get('notify');
  return {
    apiUrl: query.get('api') ?? '/k8s',
    token: query.get('token') ?? undefined,
    watch: query.get('watch') === 'websocket' ? 'websocket' : 'fetch',
    notify: notify === null || !/^\d+$/.test(notify) ? 'animation-frame' : Number(notify),
  };
}
