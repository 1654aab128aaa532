import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkTx, createTx, txHash } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QrDecoderProvider, type QrDecoder } from '../hooks/qr-decoder';
import {
  CHAIN_ID,
  ELSEWHERE,
  fakeNode,
  INCOMING,
  MEMBER,
  CHAMBER_GLN,
  DOCK_GLN,
  ORG,
  OTHER_MEMBER,
  OUTGOING,
  RETAILER,
  renderStaff,
  THINGS,
  type FakeNodeOptions,
} from '../test/fixtures';
import type { ThingState } from '../types';
import { Inbox } from './Inbox';

function start(options: FakeNodeOptions = {}) {
  const node = fakeNode(options);
  vi.stubGlobal('fetch', node);
  renderStaff(<Inbox />);
  return node;
}

describe('Inbox', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lists handovers to and from the organization', async () => {
    start();
    const incoming = await screen.findByRole('list', { name: 'Handovers to you' });
    expect(within(incoming).getByRole('heading', { name: /From nordic-reefer/ })).toBeVisible();
    expect(incoming).toHaveTextContent('Item 09520123456788 · serial 2001');
    const outgoing = screen.getByRole('list', { name: 'Handovers from you' });
    expect(within(outgoing).getByRole('heading', { name: /To green-basket/ })).toBeVisible();
  });

  it('accepts in one click with a custody.accept signed by the member', async () => {
    const node = start();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
    );
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx).toMatchObject({ type: 'custody.accept', signer: MEMBER.publicKey });
    expect(tx.payload).toMatchObject({ transfer: INCOMING.id, bizLocation: DOCK_GLN });
    expect(
      await screen.findByText('Acceptance: submitted, waiting for the next block…'),
    ).toBeVisible();
  });

  it('records acceptances at the location picked for the inbox', async () => {
    const node = start();
    const at = await screen.findByRole('combobox', { name: 'Receive at' });
    expect(at).toHaveValue(DOCK_GLN);
    await userEvent.selectOptions(at, CHAMBER_GLN);
    await userEvent.click(
      screen.getByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
    );
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    expect(node.onlySubmitted().payload).toMatchObject({ bizLocation: CHAMBER_GLN });
  });

  it('rejects in one click with a custody.reject', async () => {
    const node = start();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject 1 thing from nordic-reefer' }),
    );
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx.type).toBe('custody.reject');
    expect(tx.payload).toMatchObject({ transfer: INCOMING.id });
    expect(tx.payload).not.toHaveProperty('bizLocation');
  });

  it('cancels its own handover with a custody.cancel', async () => {
    const node = start();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel handover of 1 thing to green-basket' }),
    );
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    expect(node.submitted()[0]).toMatchObject({
      type: 'custody.cancel',
      payload: { transfer: OUTGOING.id },
    });
  });

  it('will not accept a handover meant for another organization', async () => {
    const node = start({
      inbox: { incoming: [{ ...INCOMING, to: RETAILER.id }], outgoing: [] },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This handover is meant for green-basket, not for Rotterdam Cold Hub: only green-basket can accept it.',
    );
    expect(node.submitted()).toHaveLength(0);
  });

  it('says when nothing is waiting', async () => {
    start({ inbox: { incoming: [], outgoing: [] } });
    expect(await screen.findByText('No handovers are waiting for you.')).toBeVisible();
    expect(screen.getByText('Nothing you handed over is waiting for the receiver.')).toBeVisible();
  });

  it('says when the inbox cannot be loaded', async () => {
    start({ inbox: new Error('cannot reach the node') });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The inbox could not be loaded');
    expect(alert).toHaveTextContent('cannot reach the node');
  });
});

/** A final custody.handover of ELSEWHERE by the carrier to `to`, as `transaction(hash)` has it. */
function handover(to: string) {
  const tx = createTx({
    chainId: CHAIN_ID,
    type: 'custody.handover',
    payload: { epcs: [ELSEWHERE], to, eventTime: '2026-11-25T10:00:00.000Z' },
    secretKey: OTHER_MEMBER.secretKey,
  });
  const hash = txHash(tx);
  const info = { hash, status: 'FINAL', type: tx.type, signer: tx.signer, tx, height: 47 };
  return { hash, info };
}

/** The carrier's ELSEWHERE, with `pendingTransfer` and events as given. */
function elsewhere(fields: Partial<ThingState> & { events?: unknown[] }) {
  const base = THINGS[ELSEWHERE];
  if (!base) throw new Error('no ELSEWHERE fixture');
  return { ...THINGS, [ELSEWHERE]: { ...base, ...fields } };
}

async function openReference(reference: string) {
  await userEvent.type(await screen.findByLabelText('Handover reference'), reference);
  await userEvent.click(screen.getByRole('button', { name: 'Open handover' }));
}

describe('Inbox: opening a handover by its reference', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows a pending handover to the organization as a card to accept', async () => {
    const { hash, info } = handover(ORG.id);
    const node = start({
      things: elsewhere({ status: 'in_transit', pendingTransfer: hash }),
      transactions: { [hash]: info },
      inbox: { incoming: [], outgoing: [] },
    });
    await openReference(hash.toUpperCase());
    const card = await screen.findByRole('list', { name: 'Opened handover' });
    expect(within(card).getByRole('heading', { name: /From nordic-reefer/ })).toBeVisible();
    expect(card).toHaveTextContent('Item 09520123456788 · serial 2001');
    await userEvent.click(
      within(card).getByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
    );
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx).toMatchObject({ type: 'custody.accept', payload: { transfer: hash } });
  });

  it('will not accept a handover meant for another organization, and signs nothing', async () => {
    const { hash, info } = handover(RETAILER.id);
    const node = start({
      things: elsewhere({ status: 'in_transit', pendingTransfer: hash }),
      transactions: { [hash]: info },
    });
    await openReference(hash);
    const card = await screen.findByRole('list', { name: 'Opened handover' });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Accept 1 thing from nordic-reefer' }),
    );
    const alert = await within(card).findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was signed.');
    expect(alert).toHaveTextContent(
      'This handover is meant for green-basket, not for Rotterdam Cold Hub: only green-basket can accept it.',
    );
    expect(node.submitted()).toHaveLength(0);
  });

  it.each([
    ['custody.accept', 'accepted'],
    ['custody.reject', 'rejected'],
    ['custody.cancel', 'cancelled'],
  ])('says when the handover was already answered (%s)', async (type, outcome) => {
    const { hash, info } = handover(ORG.id);
    const node = start({
      things: elsewhere({
        events: [
          { type: 'custody.handover', height: 47, tx: info.tx },
          { type, height: 52, tx: { type, payload: { transfer: hash } } },
        ],
      }),
      transactions: { [hash]: info },
    });
    await openReference(hash);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `This handover was already ${outcome} in block #52. Nothing is waiting for an answer.`,
    );
    expect(screen.queryByRole('list', { name: 'Opened handover' })).toBeNull();
    expect(node.submitted()).toHaveLength(0);
  });

  it('says when the reference is not a handover', async () => {
    const hash = 'ef'.repeat(32);
    start({ transactions: { [hash]: { hash, status: 'FINAL', type: 'epcis.observe' } } });
    await openReference(hash);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Transaction efefefef…efefef is not a handover: it records .* \(epcis\.observe\)\.$/,
    );
    expect(screen.queryByRole('list', { name: 'Opened handover' })).toBeNull();
  });

  it('says when the node knows no such transaction', async () => {
    const hash = '01'.repeat(32);
    start({ transactions: { [hash]: null } });
    await openReference(hash);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The node knows no transaction 01010101…010101. Check the reference on the slip.',
    );
  });

  it('says what a reference looks like, without asking the node', async () => {
    const node = start();
    await openReference('HO-2026-0042');
    expect(await screen.findByRole('alert')).toHaveTextContent(/^That is not a handover reference/);
    expect(screen.getByLabelText('Handover reference')).toHaveAttribute('aria-invalid', 'true');
    expect(node.bodies().some((body) => body.includes('transaction(hash'))).toBe(false);
  });

  it('reads the reference from a photo of the slip’s QR code', async () => {
    const { hash, info } = handover(ORG.id);
    const node = fakeNode({
      things: elsewhere({ status: 'in_transit', pendingTransfer: hash }),
      transactions: { [hash]: info },
      inbox: { incoming: [], outgoing: [] },
    });
    vi.stubGlobal('fetch', node);
    const decoder: QrDecoder = {
      decodeFrame: () => Promise.resolve(null),
      decodeFile: () => Promise.resolve(`https://explorer.example/tx/${hash}`),
      openCamera: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
    };
    renderStaff(
      <QrDecoderProvider decoder={decoder}>
        <Inbox />
      </QrDecoderProvider>,
    );
    await userEvent.upload(
      await screen.findByLabelText('Scan a photo'),
      new File(['jpeg'], 'slip.jpg', { type: 'image/jpeg' }),
    );
    const card = await screen.findByRole('list', { name: 'Opened handover' });
    expect(within(card).getByRole('heading', { name: /From nordic-reefer/ })).toBeVisible();
    expect(screen.getByLabelText('Handover reference')).toHaveValue(hash);
  });
});
