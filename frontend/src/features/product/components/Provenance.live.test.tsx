import { buildBundle, type ProvenanceBundle } from '@waybill/shared/bundle';
import { act, screen, waitFor, within } from '@testing-library/react';
import { createClient, type Client, type Sink } from 'graphql-ws';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphqlFetch, renderWithNode } from '../../../../test/render';
import { LiveProvider } from '@/lib/live';
import {
  buildColdChain,
  cheeseLot,
  CHEESE_CONDITIONS,
  dock,
  overTheWire,
  type ColdChain,
} from '../test/chain';
import { verifyInPage } from '../utils/verification';
import { Provenance } from './Provenance';

// happy-dom opens real sockets: the page's graphql-ws client is a stand-in the test drives.
vi.mock('graphql-ws', () => ({ createClient: vi.fn() }));

interface Subscription {
  query: string;
  variables: Record<string, unknown> | undefined;
  sink: Sink;
}

let cold: ColdChain;
let bundle: ProvenanceBundle;

beforeAll(async () => {
  cold = await buildColdChain();
  bundle = cold.bundle;
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function journeySteps(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Journey' })).getAllByRole('article');
}

describe('Provenance: live', () => {
  it('shows a new event at once and verifies it with the next bundle', async () => {
    const subscriptions: Subscription[] = [];
    vi.mocked(createClient).mockImplementation(
      () =>
        ({
          subscribe: (payload, sink) => {
            subscriptions.push({
              query: payload.query,
              variables: payload.variables ?? undefined,
              sink,
            });
            return () => undefined;
          },
          dispose: () => undefined,
        }) as Client,
    );
    vi.stubGlobal(
      'fetch',
      graphqlFetch(() => ({ data: { bundle: overTheWire(bundle) } })),
    );
    renderWithNode(
      <LiveProvider>
        <Provenance
          subject={cheeseLot}
          initialSteps={[]}
          conditions={CHEESE_CONDITIONS}
          verify={verifyInPage}
        />
      </LiveProvider>,
    );
    const panel = screen.getByRole('region', { name: /Verified in your browser/ });
    await within(panel).findByText('All 9 steps verified');
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.query).toContain('itemEvents(epc: $epc)');
    expect(subscriptions[0]?.variables).toEqual({ epc: cheeseLot });

    // The cold store logs a warm reading; the node finalizes it and tells the page.
    const result = await cold.chain.submit(
      'event.observe',
      {
        epcs: [cheeseLot],
        sensorReadings: [{ type: 'gs1:Temperature', value: '7.2', uom: 'CEL' }],
        eventTime: cold.chain.nextTimestamp(),
        bizLocation: dock,
      },
      cold.keys.staff.cold,
    );
    if (!result.ok) throw new Error(result.message);
    bundle = (await buildBundle(cold.chain.bundleSource(), cheeseLot)) ?? bundle;
    act(() => {
      subscriptions[0]?.sink.next({
        data: {
          itemEvents: {
            hash: result.hash,
            type: result.tx.type,
            signer: result.tx.signer,
            height: result.height,
            tx: result.tx,
          },
        },
      });
    });

    const fresh = journeySteps().at(-1);
    if (!fresh) throw new Error('no steps');
    expect(journeySteps()).toHaveLength(10);
    expect(within(fresh).getByText('New · not yet checked')).toBeInTheDocument();
    expect(fresh).toHaveTextContent('Rotterdam Cold Store');
    expect(fresh).toHaveTextContent('Rotterdam cold store, dock 4');
    expect(within(fresh).getByRole('list', { name: 'Sensor readings' })).toHaveTextContent(
      'Temperature 7.2 °C ⚠ out of range (allowed 2–6 °C)',
    );
    expect(screen.getByText('A new step was recorded: Observed.')).toBeInTheDocument();

    // A moment later the page fetches the bundle again and checks the new step too.
    await waitFor(
      () => {
        expect(within(panel).getByText('All 10 steps verified')).toBeInTheDocument();
      },
      { timeout: 8000 },
    );
    const checked = journeySteps().at(-1);
    if (!checked) throw new Error('no steps');
    expect(within(checked).getByText('Verified')).toBeInTheDocument();
  }, 15_000);
});
