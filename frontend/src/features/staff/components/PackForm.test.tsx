import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkTx } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHAIN_ID,
  fakeNode,
  FOREIGN_PALLET,
  HELD,
  HELD_2,
  LOT,
  NEW_PALLET,
  PACKED,
  PALLET,
  renderStaff,
} from '../test/fixtures';
import { PackForm } from './PackForm';

function start(mode: 'pack' | 'unpack') {
  const node = fakeNode();
  vi.stubGlobal('fetch', node);
  renderStaff(<PackForm mode={mode} />);
  return node;
}

async function fill(pallet: string, ...children: string[]) {
  await userEvent.type(screen.getByLabelText('Pallet code (SSCC)'), `${pallet}{Enter}`);
  for (const child of children) {
    await userEvent.type(screen.getByLabelText('Item, lot or pallet code'), `${child}{Enter}`);
  }
}

describe('PackForm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('will not pack into a pallet another organization holds', async () => {
    const node = start('pack');
    await fill(FOREIGN_PALLET, HELD);
    await userEvent.click(screen.getByRole('button', { name: 'Sign and pack' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Pallet 387123450000000029 is held by nordic-reefer, not by Rotterdam Cold Hub, so you cannot pack into it.',
    );
    expect(node.submitted()).toHaveLength(0);
  });

  it('will not pack what is already packed elsewhere, naming the pallet it is in', async () => {
    const node = start('pack');
    await fill(NEW_PALLET, PACKED);
    await userEvent.click(screen.getByRole('button', { name: 'Sign and pack' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Item 09520123456788 · serial 5001 is already packed in Pallet 387123450000000012. Unpack it from there first.',
    );
    expect(node.submitted()).toHaveLength(0);
  });

  it('packs held things into a new pallet', async () => {
    const node = start('pack');
    await fill(NEW_PALLET, HELD, LOT);
    await userEvent.click(screen.getByRole('button', { name: 'Sign and pack' }));
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx).toMatchObject({
      type: 'aggregate.pack',
      payload: { parent: NEW_PALLET, children: [HELD, LOT] },
    });
  });

  it('only takes a pallet code as the pallet', async () => {
    start('pack');
    await userEvent.type(screen.getByLabelText('Pallet code (SSCC)'), `${HELD}{Enter}`);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'cannot be used here: expected a pallet or container (SSCC)',
    );
  });

  it('will not unpack what is not in the pallet, and unpacks everything when none is listed', async () => {
    const node = start('unpack');
    await fill(PALLET, HELD_2);
    await userEvent.click(screen.getByRole('button', { name: 'Sign and unpack' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Item 09520123456788 · serial 1002 is not packed in Pallet 387123450000000012.',
    );
    expect(node.submitted()).toHaveLength(0);

    await userEvent.click(
      screen.getByRole('button', { name: 'Remove Item 09520123456788 · serial 1002' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign and unpack' }));
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    expect(node.submitted()[0]).toMatchObject({
      type: 'aggregate.unpack',
      payload: { parent: PALLET },
    });
    expect(node.submitted()[0]?.payload).not.toHaveProperty('children');
  });
});
