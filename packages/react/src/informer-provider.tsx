import type { Transport } from '@kubeinformers/core';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { InformerClient, type InformerClientOptions } from './informer-client.js';
import { InformerContextError } from './informer-context-error.js';

const InformerClientContext = createContext<InformerClient | undefined>(undefined);

export type InformerProviderProps = { readonly children?: ReactNode } & (
  | {
      /** The transport of a factory created for this tree and shut down when the provider unmounts. */
      readonly transport: Transport;
      /** Read once, when the provider mounts. */
      readonly options?: InformerClientOptions;
      readonly client?: undefined;
    }
  | {
      /** A client created by you; its lifetime is yours (`client.shutdown()`). */
      readonly client: InformerClient;
      readonly transport?: undefined;
      readonly options?: undefined;
    }
);

/**
 * Scopes informers to a component tree: the hooks below it share one factory, so one list+watch per
 * definition serves every component. Given a `transport`, the provider creates the client and shuts it
 * down when it unmounts (informers also stop on their own when the last component using them
 * unmounts). Given a `client`, it only provides it. Safe under StrictMode (the double mount keeps the
 * connection) and on the server (nothing connects while rendering).
 */
export function InformerProvider(props: InformerProviderProps): ReactNode {
  const { transport, options, client: given } = props;
  // Created once per mounted provider; a StrictMode double render discards the first without effects.
  const [owned] = useState(() =>
    given === undefined && transport !== undefined
      ? { client: new InformerClient(transport, options), mounts: 0 }
      : undefined,
  );
  const client = given ?? owned?.client;
  useEffect(() => {
    if (owned === undefined) return;
    owned.mounts += 1;
    return () => {
      owned.mounts -= 1;
      // StrictMode unmounts and remounts within one commit: shut down only if it stays unmounted.
      queueMicrotask(() => {
        if (owned.mounts === 0) void owned.client.shutdown();
      });
    };
  }, [owned]);
  return <InformerClientContext.Provider value={client}>{props.children}</InformerClientContext.Provider>;
}

/** The client of the nearest `InformerProvider`; throws `InformerContextError` outside one. */
export function useInformerClient(): InformerClient {
  const client = useContext(InformerClientContext);
  if (client === undefined) throw new InformerContextError();
  return client;
}
