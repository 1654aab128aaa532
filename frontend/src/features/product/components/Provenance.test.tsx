import { signVote, genesisHash } from '@waybill/shared/block';
import { verifyBundle, type ProvenanceBundle } from '@waybill/shared/bundle';
import { testKey } from '@waybill/shared/testing';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphqlFetch, renderWithNode, TEST_CONFIG } from '../../../../test/render';
import type { BrowserConfig } from '@/config/browser';
import {
  buildColdChain,
  cheeseLot,
  CHEESE_CONDITIONS,
  overTheWire,
  type ColdChain,
} from '../test/chain';
import type { TimelineStep } from '../types';
import { timelineOf } from '../utils/timeline';
import { countSignatures, verifyInPage, type BundleVerifier } from '../utils/verification';
import { Provenance } from './Provenance';

let trusted: ColdChain;
/** The same journey on a chain with another authority set, so another genesis. */
let other: ColdChain;
/** What the server renders first: the journey with every step "checking". */
let serverSteps: TimelineStep[];

beforeAll(async () => {
  [trusted, other] = await Promise.all([buildColdChain(), buildColdChain({ authorities: 3 })]);
  const assembled = await verifyBundle(overTheWire(trusted.bundle), { expectedSubject: cheeseLot });
  serverSteps = timelineOf(
    assembled,
    { subject: cheeseLot, conditions: CHEESE_CONDITIONS },
    () => ({
      state: 'checking',
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Renders the verified part of the page with the node answering `bundle` for the lot. */
function renderPage(
  bundle: ProvenanceBundle,
  config: BrowserConfig = TEST_CONFIG,
  verify: BundleVerifier = verifyInPage,
) {
  const fetch = graphqlFetch((query, variables) => {
    expect(query).toContain('bundle(epc: $epc)');
    expect(variables).toEqual({ epc: cheeseLot });
    return { data: { bundle } };
  });
  vi.stubGlobal('fetch', fetch);
  renderWithNode(
    <Provenance
      subject={cheeseLot}
      initialSteps={serverSteps}
      conditions={CHEESE_CONDITIONS}
      verify={verify}
    />,
    config,
  );
  return fetch;
}

function panel(): HTMLElement {
  return screen.getByRole('region', { name: /Verified in your browser/ });
}

function journeySteps(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Journey' })).getAllByRole('article');
}

function stepTitled(title: RegExp, nth = 0): HTMLElement {
  const match = journeySteps().filter((a) =>
    title.test(within(a).getByRole('heading', { level: 3 }).textContent),
  )[nth];
  if (!match) throw new Error(`no step ${String(title)}`);
  return match;
}

const VERIFIED_STEPS = 9;

describe('Provenance: verified in your browser', () => {
  it('fetches the bundle, says how many signatures it checks, and verifies every step', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The real verifier, held back until the test has seen the progress message.
    const gated: BundleVerifier = async (bundle, options, progress) => {
      await gate;
      return verifyInPage(bundle, options, progress);
    };
    renderPage(overTheWire(trusted.bundle), TEST_CONFIG, gated);

    // The server's first paint: the journey is there, nothing is claimed yet.
    expect(journeySteps()).toHaveLength(VERIFIED_STEPS);
    for (const step of journeySteps())
      expect(within(step).getByText('Checking…')).toBeInTheDocument();
    expect(within(panel()).getByRole('status')).toHaveTextContent(
      'Fetching the provenance bundle from the node…',
    );

    const signatures = countSignatures(trusted.bundle);
    expect(signatures).toBeGreaterThan(VERIFIED_STEPS);
    await waitFor(() => {
      expect(within(panel()).getByRole('status')).toHaveTextContent(
        `Verifying ${signatures} signatures…`,
      );
    });
    expect(
      within(panel()).getByRole('progressbar', { name: 'Signatures checked' }),
    ).toBeInTheDocument();
    release();

    await within(panel()).findByText(`All ${VERIFIED_STEPS} steps verified`);
    expect(within(panel()).getByText('✓', { exact: false })).toBeInTheDocument();
    for (const step of journeySteps()) {
      expect(within(step).getByText('Verified')).toBeInTheDocument();
      expect(within(step).queryByText(/Not verified/)).toBeNull();
    }
    expect(
      within(within(panel()).getByRole('list', { name: 'Organizations that signed' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Acme Dairy', 'Rotterdam Cold Store', 'Swift Freight']);
    expect(
      within(within(panel()).getByRole('list', { name: 'Authorities that finalized' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent)
        .sort(),
    ).toEqual(['authority-0', 'authority-1', 'authority-2', 'authority-3']);
    // No trusted genesis is configured in TEST_CONFIG: the summary says where it came from.
    expect(panel()).toHaveTextContent(/Taken from the node: no trusted genesis is configured/);
    expect(panel()).toHaveTextContent(`${signatures} signatures`);
  });

  it('checks against the trusted genesis when one is configured', async () => {
    const config = { ...TEST_CONFIG, genesisHash: genesisHash(trusted.chain.genesis) };
    renderPage(overTheWire(trusted.bundle), config);
    await within(panel()).findByText(`All ${VERIFIED_STEPS} steps verified`);
    expect(panel()).toHaveTextContent('the genesis this explorer is configured to trust');
    expect(panel()).not.toHaveTextContent('Taken from the node');
  });

  it('fails the one step whose event was altered, and says why', async () => {
    const tampered = overTheWire(trusted.bundle);
    // Someone hides the excursion: the carrier's 9.1 °C becomes 5.1 °C.
    const entry = tampered.txs.find(
      (t) => t.tx.type === 'event.observe' && JSON.stringify(t.tx.payload).includes('"9.1"'),
    );
    if (entry?.tx.type !== 'event.observe') throw new Error('fixture: no reading to alter');
    const reading = entry.tx.payload.sensorReadings?.[1];
    if (!reading) throw new Error('fixture: no second reading');
    reading.value = '5.1';
    renderPage(tampered);

    await within(panel()).findByText(`1 of ${VERIFIED_STEPS} steps could not be verified`);
    expect(within(panel()).getByText('Not verified', { exact: false })).toBeInTheDocument();
    const altered = stepTitled(/Temperature recorded/);
    expect(within(altered).getByText(/^Not verified: /)).toHaveTextContent(
      'Not verified: it was altered: its content is not the event the chain recorded',
    );
    // Every other step still verifies.
    const others = journeySteps().filter((s) => s !== altered);
    expect(others).toHaveLength(VERIFIED_STEPS - 1);
    for (const step of others) expect(within(step).getByText('Verified')).toBeInTheDocument();
  });

  it('refuses a bundle of another authority set than the trusted genesis', async () => {
    const config = { ...TEST_CONFIG, genesisHash: genesisHash(trusted.chain.genesis) };
    renderPage(overTheWire(other.bundle), config);

    const expected = `the bundle is for genesis ${genesisHash(other.chain.genesis)}, not the expected ${genesisHash(trusted.chain.genesis)}`;
    await within(panel()).findByText('The journey could not be verified');
    expect(panel()).toHaveTextContent(expected);
    for (const step of journeySteps())
      expect(within(step).getByText(/^Not verified: /)).toHaveTextContent(
        `Not verified: ${expected}`,
      );
    expect(within(panel()).queryByRole('list', { name: 'Authorities that finalized' })).toBeNull();
  });

  it('fails the step whose block was certified by a key outside the authority set', async () => {
    const forged = overTheWire(trusted.bundle);
    const height = forged.txs.find((t) => t.tx.type === 'transform')?.height;
    const block = forged.blocks.find((b) => b.header.height === height);
    if (height === undefined || !block) throw new Error('fixture: no transform block');
    // authority-4 exists on no chain here; with two real signatures it would make the quorum.
    const stranger = testKey('authority-4');
    const vote = signVote(
      {
        type: 'precommit',
        chainId: trusted.chain.chainId,
        height,
        round: 0,
        blockHash: block.commit.blockHash,
        validator: stranger.publicKey,
      },
      stranger.secretKey,
    );
    (block.commit as { signatures: unknown[] }).signatures = [
      ...block.commit.signatures.slice(0, 2),
      { validator: vote.validator, signature: vote.signature },
    ];
    renderPage(forged);

    await within(panel()).findByText(`1 of ${VERIFIED_STEPS} steps could not be verified`);
    expect(within(stepTitled(/Transformed/)).getByText(/^Not verified: /)).toHaveTextContent(
      `Not verified: its block ${height} is not final: signer ${stranger.publicKey} is not in the validator set`,
    );
    expect(within(stepTitled(/Packed/)).getByText('Verified')).toBeInTheDocument();
  });

  it('says so when the bundle cannot be fetched, and tries again on request', async () => {
    let calls = 0;
    vi.stubGlobal(
      'fetch',
      graphqlFetch(() => {
        calls++;
        return calls === 1
          ? { errors: [{ message: 'rate limited', extensions: { code: 'RATE_LIMITED' } }] }
          : { data: { bundle: overTheWire(trusted.bundle) } };
      }),
    );
    renderWithNode(
      <Provenance
        subject={cheeseLot}
        initialSteps={serverSteps}
        conditions={CHEESE_CONDITIONS}
        verify={verifyInPage}
      />,
    );
    const alert = await within(panel()).findByRole('alert');
    expect(alert).toHaveTextContent(
      'could not be fetched, so nothing on this page has been checked by your browser: rate limited',
    );
    expect(alert).toHaveTextContent('RATE_LIMITED');
    expect(within(stepTitled(/Transformed/)).getByText(/^Not verified: /)).toHaveTextContent(
      'your browser could not check it: rate limited',
    );
    within(alert).getByRole('button', { name: 'Try again' }).click();
    await within(panel()).findByText(`All ${VERIFIED_STEPS} steps verified`);
  });
});
