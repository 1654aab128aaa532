import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { txHash } from '@waybill/shared/tx';
import type { Sink } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithNode } from '../../../../test/render';
import { LiveProvider } from '@/lib/live';
import { Inbox } from '../components/Inbox';
import { directDecrypt, fakeNode, session, type FakeNode } from '../test/fixtures';
import { StaffProvider } from './session';

/** A stand-in graphql-ws client: records subscriptions and lets the test push their data. */
const live = vi.hoisted(() => ({
  log: [] as string[],
  subscriptions: [] as { query: string; variables: Record<string, unknown>; sink: Sink }[],
  connected: (): void => undefined,
}));

vi.mock('graphql-ws', () => ({
  createClient: (options: { on?: { connected?: () => void } }) => {
    live.connected = () => options.on?.connected?.();
    return {
      subscribe: (payload: { query: string; variables: Record<string, unknown> }, sink: Sink) => {
        live.log.push(
          payload.query.includes('transactionStatus')
            ? `status of ${String(payload.variables.hash)}`
            : 'other subscription',
        );
        live.subscriptions.push({ ...payload, sink });
        return () => undefined;
      },
      dispose: () => undefined,
    };
  },
}));

function statusSink(hash: string): Sink {
  const found = live.subscriptions.find(
    (s) => s.query.includes('transactionStatus') && s.variables.hash === hash,
  );
  if (!found) throw new Error(`no status subscription for ${hash}`);
  return found.sink;
}

function start(): FakeNode {
  const node = fakeNode();
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof init?.body === 'string' && init.body.includes('submitTransaction'))
      live.log.push('submit');
    return node(input, init);
  });
  renderWithNode(
    <LiveProvider>
      <StaffProvider initialSession={session()} decrypt={directDecrypt}>
        <Inbox />
      </StaffProvider>
    </LiveProvider>,
  );
  act(() => {
    live.connected();
  });
  return node;
}

async function accept(node: FakeNode): Promise<string> {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
  );
  await waitFor(() => {
    expect(node.submitted()).toHaveLength(1);
  });
  return txHash(node.onlySubmitted());
}

describe('following a submitted transaction', () => {
  beforeEach(() => {
    live.log.length = 0;
    live.subscriptions.length = 0;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('subscribes to its status before submitting, then shows it final with its block', async () => {
    const node = start();
    const hash = await accept(node);
    expect(live.log.filter((entry) => entry !== 'other subscription')).toEqual([
      `status of ${hash}`,
      'submit',
    ]);
    expect(
      await screen.findByText('Acceptance: submitted, waiting for the next block…'),
    ).toBeVisible();

    act(() => {
      statusSink(hash).next({
        data: {
          transactionStatus: {
            hash,
            status: 'FINAL',
            height: 42,
            blockHash: 'ef'.repeat(32),
            code: null,
            message: null,
            path: null,
          },
        },
      });
    });
    expect(await screen.findByText('Acceptance: final in block #42.')).toBeVisible();
    expect(screen.getByRole('link', { name: '#42' })).toHaveAttribute('href', '/blocks/42');
    const steps = screen.getByRole('list', { name: 'Progress' });
    expect(steps).toHaveTextContent('SignedSubmittedIn block #42Final');
  });

  it('shows a rejection from the block proposer with its code and message', async () => {
    const node = start();
    const hash = await accept(node);
    act(() => {
      statusSink(hash).next({
        data: {
          transactionStatus: {
            hash,
            status: 'REJECTED',
            code: 'NOT_FOUND',
            message: 'transfer is no longer pending (it was cancelled)',
            path: '$.payload.transfer',
          },
        },
      });
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The node rejected it (NOT_FOUND)');
    expect(alert).toHaveTextContent('transfer is no longer pending (it was cancelled)');
    expect(screen.getByRole('button', { name: 'Back' })).toBeVisible();
  });
});
