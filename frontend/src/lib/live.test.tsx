import { act, render, screen } from '@testing-library/react';
import type { Client, ClientOptions } from 'graphql-ws';
import { describe, expect, it, vi } from 'vitest';
import { LiveBanner } from '@/components/LiveBanner';
import { connectLive } from './live';

/** A stand-in for graphql-ws's createClient that lets the test fire its connection events. */
function fakeCreateClient() {
  let options: ClientOptions | undefined;
  const create = (opts: ClientOptions): Client => {
    options = opts;
    return {
      subscribe: vi.fn(),
      iterate: vi.fn(),
      dispose: vi.fn(),
      terminate: vi.fn(),
      on: vi.fn(),
    };
  };
  const fire = (event: 'connected' | 'closed' | 'error') => {
    const listener = options?.on?.[event] as ((...args: unknown[]) => void) | undefined;
    listener?.({}, {});
  };
  return { create, fire, options: () => options };
}

describe('live connection', () => {
  it('reports connecting, live, down and live again as the socket drops and reconnects', () => {
    const fake = fakeCreateClient();
    const connection = connectLive('ws://node.test/graphql', fake.create);
    const seen: string[] = [connection.state()];
    connection.subscribe(() => seen.push(connection.state()));
    fake.fire('connected');
    fake.fire('closed');
    fake.fire('closed');
    fake.fire('connected');
    expect(seen).toEqual(['connecting', 'live', 'down', 'live']);
  });

  it('retries for ever, with a growing wait capped at ten seconds', async () => {
    const fake = fakeCreateClient();
    connectLive('ws://node.test/graphql', fake.create);
    const options = fake.options();
    expect(options?.retryAttempts).toBe(Infinity);
    expect(options?.shouldRetry?.(new Event('close'))).toBe(true);
    vi.useFakeTimers();
    try {
      let done = false;
      void options?.retryWait?.(20).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(7_999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(4_002);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('LiveBanner', () => {
  it('shows while the connection is down and goes away when it is back', async () => {
    const fake = fakeCreateClient();
    vi.resetModules();
    vi.doMock('graphql-ws', () => ({ createClient: fake.create }));
    const { LiveProvider } = await import('./live');
    const { LiveBanner: Banner } = await import('@/components/LiveBanner');
    const { NodeConfigProvider } = await import('./browser-config');
    render(
      <NodeConfigProvider config={{ graphqlUrl: 'http://n/graphql', wsUrl: 'ws://n/graphql' }}>
        <LiveProvider>
          <Banner />
        </LiveProvider>
      </NodeConfigProvider>,
    );
    expect(screen.queryByText(/Live updates paused/)).toBeNull();
    act(() => {
      fake.fire('closed');
    });
    expect(screen.getByRole('status')).toHaveTextContent('Live updates paused');
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting automatically');
    act(() => {
      fake.fire('connected');
    });
    expect(screen.queryByText(/Live updates paused/)).toBeNull();
    vi.doUnmock('graphql-ws');
  });

  it('renders nothing outside a live provider (server rendering)', () => {
    const { container } = render(<LiveBanner />);
    expect(container).toBeEmptyDOMElement();
  });
});
