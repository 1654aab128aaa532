import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { bytesToHex, sha256, utf8ToBytes } from '@waybill/shared/encoding';
import { checkTx } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAIN_ID, ELSEWHERE, fakeNode, HELD, ORG, renderStaff, session } from '../test/fixtures';
import { ObserveForm } from './ObserveForm';

function start(signedIn = session()) {
  const node = fakeNode();
  vi.stubGlobal('fetch', node);
  renderStaff(<ObserveForm />, signedIn);
  return node;
}

async function add(code: string) {
  await userEvent.type(screen.getByLabelText('Item, lot or pallet code'), `${code}{Enter}`);
}

const sign = () => userEvent.click(screen.getByRole('button', { name: 'Sign and record' }));

describe('ObserveForm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('refuses a reading that is not a number', async () => {
    const node = start();
    await add(HELD);
    await userEvent.click(screen.getByRole('button', { name: 'Add a reading' }));
    await userEvent.type(screen.getByLabelText('Reading 1: value'), 'cold');
    await sign();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Reading 1: “cold” is not a number; write it like 4.5 or -18.',
    );
    expect(node.calls).toHaveLength(0);
  });

  it('will not record for an item another organization holds, unless it is an inspector', async () => {
    const node = start();
    await add(ELSEWHERE);
    await sign();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Item 09520123456788 · serial 2001 is held by nordic-reefer, not by Rotterdam Cold Hub. Only its custodian or an inspector records observations for it.',
    );
    expect(node.submitted()).toHaveLength(0);
  });

  it('lets an inspector observe what others hold', async () => {
    const node = start(session({ org: { ...ORG, roles: ['inspector'] } }));
    await add(ELSEWHERE);
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
  });

  it('signs readings as decimal strings and a document by the SHA-256 computed in the browser', async () => {
    const node = start();
    await add(HELD);
    await userEvent.selectOptions(screen.getByLabelText('Business step'), 'inspecting');
    await userEvent.selectOptions(screen.getByLabelText('Disposition'), 'conformant');
    await userEvent.click(screen.getByRole('button', { name: 'Add a reading' }));
    await userEvent.type(screen.getByLabelText('Reading 1: value'), '4,5');
    await userEvent.click(screen.getByRole('button', { name: 'Add a document' }));
    await userEvent.type(screen.getByLabelText('Document 1: kind'), 'Certificate of analysis');
    const content = 'lab report 42: all within limits';
    await userEvent.upload(
      screen.getByLabelText('Document 1: file'),
      new File([content], 'report.pdf', { type: 'application/pdf' }),
    );
    const expected = bytesToHex(sha256(utf8ToBytes(content)));
    expect(await screen.findByText(expected)).toBeVisible();
    await sign();
    await waitFor(() => {
      expect(node.submitted()).toHaveLength(1);
    });
    const tx = node.onlySubmitted();
    checkTx(tx, { chainId: CHAIN_ID });
    expect(tx).toMatchObject({
      type: 'event.observe',
      payload: {
        epcs: [HELD],
        bizStep: 'inspecting',
        disposition: 'conformant',
        sensorReadings: [{ type: 'gs1:Temperature', value: '4.5', uom: 'CEL' }],
        documents: [{ type: 'Certificate of analysis', hash: expected }],
      },
    });
    // The document itself never leaves the browser.
    for (const body of node.bodies()) expect(body).not.toContain(content);
  });
});
