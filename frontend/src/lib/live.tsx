'use client';
/**
 * Live updates: one graphql-ws connection per page to the node, shared by every subscription on it,
 * reconnecting on its own with backoff. Only client components use it, inside effects, so server
 * rendering never opens a socket.
 */
import { createClient, type Client } from 'graphql-ws';
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useNodeConfig } from './browser-config';

export type LiveState = 'connecting' | 'live' | 'down';

interface LiveConnection {
  client: Client;
  state: () => LiveState;
  subscribe: (listener: () => void) => () => void;
}

/** Creates the connection; exported so tests can replace it with a stand-in graphql-ws client. */
export function connectLive(
  url: string,
  create: typeof createClient = createClient,
): LiveConnection {
  let state: LiveState = 'connecting';
  const listeners = new Set<() => void>();
  const set = (next: LiveState) => {
    if (state === next) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const client = create({
    url,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 1 s, 2 s, 4 s ... capped at 10 s, with jitter so a restarted node is not hit all at once.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(10_000, 1000 * 2 ** retries) * (0.8 + Math.random() * 0.4)),
      ),
    on: {
      connected: () => set('live'),
      closed: () => set('down'),
      error: () => set('down'),
    },
  });
  return {
    client,
    state: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const LiveContext = createContext<LiveConnection | null>(null);

// One connection per node URL for the page's lifetime: created on first use in the browser and
// never torn down by React (StrictMode mounts twice; a disposed client would stay "down").
const connections = new Map<string, LiveConnection>();

function connectionFor(url: string): LiveConnection | null {
  if (typeof window === 'undefined') return null;
  let connection = connections.get(url);
  if (!connection) {
    connection = connectLive(url);
    connections.set(url, connection);
  }
  return connection;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const { wsUrl } = useNodeConfig();
  return <LiveContext value={connectionFor(wsUrl)}>{children}</LiveContext>;
}

const noSubscribe = () => () => undefined;

/** The connection's state; `connecting` during server rendering. */
export function useLiveState(): LiveState {
  const connection = useContext(LiveContext);
  return useSyncExternalStore(
    connection?.subscribe ?? noSubscribe,
    () => connection?.state() ?? 'connecting',
    () => 'connecting',
  );
}

/**
 * Subscribes while mounted; `onData` gets each result's `data`. The latest `onData` is used
 * without resubscribing, so callers need not memoize it.
 */
// T names the shape the caller expects from its query; nothing checks it at run time.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function useSubscription<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  enabled = true,
): void {
  const connection = useContext(LiveContext);
  const handler = useRef(onData);
  useEffect(() => {
    handler.current = onData;
  });
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!connection || !enabled) return;
    const vars = JSON.parse(key) as Record<string, unknown>;
    return connection.client.subscribe<T>(
      { query, variables: vars },
      {
        next: (result) => {
          if (result.data) handler.current(result.data);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }, [connection, query, key, enabled]);
}
