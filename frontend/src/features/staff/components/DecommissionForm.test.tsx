import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkTx } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CHAIN_ID,
  fakeNode,
  GONE,
  HELD,
  PACKED,
  PALLET,
  PENDING,
  renderStaff,
} from '../test/fixtures';
import { DecommissionForm } from './DecommissionForm';

function start() {
  const node = fakeNode();
  vi.stubGlobal('fetch', node);
  renderStaff(<DecommissionForm />);
  return node;
}

async function add(...codes: string[]) {
  for (const code of codes) {
    await userEvent.type(screen.getByLabelText('Item or lot code'), `${code}{Enter}`);
  }
}

const sign = () => userEvent.click(screen.getByRole('button', { name: 'Sign and decommission' }));

describe('DecommissionForm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for a reason', async () => {
    const node = start();
    await add(HELD);
    await sign();
    expect(screen.getByRole('alert')).toHaveTextContent('Choose why they leave the supply chain.');
    expect(node.calls).toHaveLength(0);
  });

  it('will not decommission what is already decommissioned or on its way', async () => {
    const node = start();
    await add(GONE, PENDING);
    await userEvent.selectOptions(screen.getByLabelText('Reason'), 'sold');
    await sign();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was signed: fix these 2 problems first.');
    expect(alert).toHaveTextContent('Item 09520123456788 · serial 4001 is decommissioned');
    expect(alert).toHaveTextContent('Item 09520123456788 · serial 3001 has a pending handover');
    expect(node.submitted()).toHaveLength(0);
  });

  it('refuses a pallet code: pallets are unpacked, not decommissioned', async () => {
    start();
    await add(PALLET);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'expected an item (GTIN + serial) or a lot',
    );
  });

  it('decommissions held items, packed ones included', async () => {
    const node = start();
    await add(HELD, PACKED);
    await userEvent.selectOptions(screen.getByLabelText('Reason'), 'sold');
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx).toMatchObject({
      type: 'product.decommission',
      payload: { epcs: [HELD, PACKED], reason: 'sold' },
    });
  });
});
