import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { bytesToHex } from '@waybill/shared/encoding';
import { checkTx, txHash } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CARRIER,
  CHAIN_ID,
  ELSEWHERE,
  fakeNode,
  GONE,
  HELD,
  HELD_2,
  MEMBER,
  ORG_GLN,
  CHAMBER_GLN,
  DOCK_GLN,
  PACKED,
  PALLET,
  PENDING,
  UNKNOWN,
  renderStaff,
  session,
  type FakeNode,
} from '../test/fixtures';
import { HandoverForm } from './HandoverForm';

function start(node: FakeNode = fakeNode(), signedIn = session()) {
  vi.stubGlobal('fetch', node);
  renderStaff(<HandoverForm />, signedIn);
  return node;
}

async function addCodes(...codes: string[]) {
  for (const code of codes) {
    await userEvent.type(screen.getByLabelText('Item, lot or pallet code'), `${code}{Enter}`);
  }
}

async function chooseReceiver(id = CARRIER.id) {
  await screen.findByRole('option', { name: /Nordic Reefer Logistics/ });
  await userEvent.selectOptions(
    screen.getByRole('combobox', { name: 'Receiving organization' }),
    id,
  );
}

const sign = () => userEvent.click(screen.getByRole('button', { name: 'Sign and hand over' }));

describe('HandoverForm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for the items and the receiver before anything else', async () => {
    const node = start();
    await sign();
    expect(screen.getByText('Add at least one item, lot or pallet to hand over.')).toBeVisible();
    expect(screen.getByText('Choose the organization that receives them.')).toBeVisible();
    expect(node.calls.filter((c) => c.query.includes('thing('))).toHaveLength(0);
    expect(node.submitted()).toHaveLength(0);
  });

  it.each([
    [
      ELSEWHERE,
      /Item 09520123456788 · serial 2001 is held by nordic-reefer, not by Rotterdam Cold Hub, so you cannot hand it over\. If it was handed over to you, accept the handover in your inbox first\./,
    ],
    [
      PENDING,
      /serial 3001 has a pending handover \(abababab…ababab\)\. Wait until the receiver accepts or rejects it, or cancel it in your inbox\./,
    ],
    [GONE, /serial 4001 is decommissioned .* Remove it from the list\./],
    [
      PACKED,
      /serial 5001 is packed in Pallet 387123450000000012\. Hand over the pallet instead, or unpack it first\./,
    ],
    [UNKNOWN, /serial 9999 is not on the chain\. Check the code/],
  ])('refuses to sign for %s and says why', async (epc, message) => {
    const node = start();
    await addCodes(HELD, epc);
    await chooseReceiver();
    await sign();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was signed: fix this first.');
    expect(alert).toHaveTextContent(message);
    expect(node.submitted()).toHaveLength(0);
  });

  it('signs a valid handover with the member key and submits only the signed transaction', async () => {
    const node = start();
    await addCodes(HELD, '/01/9520123456788/21/1002', PALLET);
    await chooseReceiver();
    await userEvent.type(screen.getByLabelText(/Note/), 'Truck 12, dock 4');
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });

    const tx = node.onlySubmitted();
    // The node's own admission checks: decode, chain id, strict Ed25519 signature.
    expect(checkTx(tx, { chainId: CHAIN_ID }).hash).toBe(txHash(tx));
    expect(tx.type).toBe('custody.handover');
    expect(tx.signer).toBe(MEMBER.publicKey);
    expect(tx.payload).toMatchObject({
      epcs: [HELD, HELD_2, PALLET],
      to: CARRIER.id,
      bizLocation: DOCK_GLN,
      note: 'Truck 12, dock 4',
    });
    const secret = bytesToHex(MEMBER.secretKey);
    for (const body of node.bodies()) expect(body).not.toContain(secret);

    expect(
      await screen.findByText('Handover: submitted, waiting for the next block…'),
    ).toBeVisible();
    expect(screen.getByRole('link', { name: /^[0-9a-f]{8}…/ })).toHaveAttribute(
      'href',
      `/tx/${txHash(tx)}`,
    );
  });

  it('falls back to typing the receiver id when the node lists no organizations, and checks it', async () => {
    const node = start(
      fakeNode({ organizations: new Error('Cannot query field "organizations"') }),
    );
    await addCodes(HELD);
    const receiver = await screen.findByRole('textbox', { name: 'Receiving organization' });
    await userEvent.type(receiver, 'nordic-reefr');
    await sign();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'There is no organization "nordic-reefr" on this chain.',
    );
    expect(node.submitted()).toHaveLength(0);

    await userEvent.clear(receiver);
    await userEvent.type(receiver, 'nordic-reefer');
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    expect(node.submitted()[0]?.payload).toMatchObject({ to: 'nordic-reefer' });
  });

  it('shows the node rejection with its code and message', async () => {
    start(
      fakeNode({
        submit: () => ({
          status: 'REJECTED',
          code: 'NOT_CUSTODIAN',
          message: 'item is held by nordic-reefer',
          path: '$.payload.epcs[0]',
        }),
      }),
    );
    await addCodes(HELD);
    await chooseReceiver();
    await sign();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The node rejected it (NOT_CUSTODIAN)');
    expect(alert).toHaveTextContent('item is held by nordic-reefer');
    expect(alert).toHaveTextContent('At $.payload.epcs[0]');
  });

  it.each([
    ['Chamber C2', CHAMBER_GLN],
    ['No location', undefined],
  ])('records the location the member picks (%s)', async (name, gln) => {
    const node = start();
    const location = screen.getByRole('combobox', { name: 'Location' });
    expect(location).toHaveValue(DOCK_GLN);
    expect(Array.from((location as HTMLSelectElement).options, (o) => o.textContent)).toEqual([
      `Dock 4 · Rotterdam, NL (GLN ${DOCK_GLN})`,
      `Chamber C2 · Rotterdam, NL (GLN ${CHAMBER_GLN})`,
      'No location',
    ]);
    await userEvent.selectOptions(
      location,
      screen.getByRole('option', { name: new RegExp(`^${name}`) }),
    );
    await addCodes(HELD);
    await chooseReceiver();
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const payload = node.submitted()[0]?.payload;
    if (gln) expect(payload).toMatchObject({ bizLocation: gln });
    else expect(payload).not.toHaveProperty('bizLocation');
  });

  it('offers the organization’s own GLN when it defined no locations', () => {
    start(fakeNode(), session({ org: { ...session().org, locations: [] } }));
    expect(screen.getByRole('combobox', { name: 'Location' })).toHaveValue(ORG_GLN);
  });

  it('shows no location field when the organization has neither locations nor a GLN', () => {
    start(fakeNode(), session({ org: { ...session().org, gln: null, locations: [] } }));
    expect(screen.queryByRole('combobox', { name: 'Location' })).toBeNull();
  });
});
