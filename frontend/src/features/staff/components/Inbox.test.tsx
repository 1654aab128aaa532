import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkTx } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHAIN_ID,
  fakeNode,
  INCOMING,
  MEMBER,
  CHAMBER_GLN,
  DOCK_GLN,
  OUTGOING,
  RETAILER,
  renderStaff,
  type FakeNodeOptions,
} from '../test/fixtures';
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
