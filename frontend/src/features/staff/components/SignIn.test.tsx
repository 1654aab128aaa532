import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { bytesToHex } from '@waybill/shared/encoding';
import { encryptKeystore, KDF_LIMITS, type Keystore } from '@waybill/shared/keys';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  renderStaff,
  fakeNode,
  MEMBER,
  MEMBERS,
  OTHER_MEMBER,
  ORG,
  CARRIER,
  type FakeNode,
} from '../test/fixtures';
import { StaffShell } from './StaffShell';

vi.mock('next/navigation', () => ({ usePathname: () => '/staff' }));

const PASSPHRASE = 'waybill-demo';
const SECRET = bytesToHex(MEMBER.secretKey);
/** The cheapest cost a keystore may ask for (2^14), so each unlock takes a fraction of a second. */
const FAST = { kdfParams: { N: KDF_LIMITS.minN, r: 8, p: 1 } };

let withOrg: Keystore;
let withoutOrg: Keystore;
let stranger: Keystore;
let mislabelled: Keystore;

beforeAll(() => {
  withOrg = encryptKeystore(SECRET, PASSPHRASE, { ...FAST, org: ORG.id, label: 'Dock 4 scanner' });
  withoutOrg = encryptKeystore(SECRET, PASSPHRASE, FAST);
  stranger = encryptKeystore(bytesToHex(OTHER_MEMBER.secretKey), PASSPHRASE, {
    ...FAST,
    org: ORG.id,
  });
  mislabelled = encryptKeystore(SECRET, PASSPHRASE, { ...FAST, org: CARRIER.id });
});

function start(node: FakeNode = fakeNode()) {
  vi.stubGlobal('fetch', node);
  renderStaff(
    <StaffShell>
      <p>The desk</p>
    </StaffShell>,
    null,
  );
  return node;
}

async function open(keystore: Keystore, passphrase: string, name = 'dock-4.json') {
  await userEvent.upload(
    screen.getByLabelText('Keystore file'),
    new File([JSON.stringify(keystore)], name, { type: 'application/json' }),
  );
  await screen.findByText(/key .* of rotterdam-cold-hub|key “|key [0-9a-f]/);
  await userEvent.type(screen.getByLabelText('Passphrase'), passphrase);
  await userEvent.click(screen.getByRole('button', { name: 'Unlock and sign in' }));
}

function expectNoSecretSent(node: FakeNode, passphrase: string) {
  for (const body of node.bodies()) {
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(passphrase);
  }
}

describe('Sign-in', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('says the passphrase is wrong, and signs nobody in', async () => {
    const node = start();
    await open(withOrg, 'not-the-passphrase');
    expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent(
      'Wrong passphrase: the keystore did not open.',
    );
    expect(screen.getByLabelText('Passphrase')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText('The desk')).toBeNull();
    expectNoSecretSent(node, 'not-the-passphrase');
  });

  it('signs in with the right passphrase; the key never reaches the node; signing out forgets it', async () => {
    const node = start();
    await open(withOrg, PASSPHRASE);
    expect(await screen.findByText('The desk', {}, { timeout: 5000 })).toBeInTheDocument();
    const bar = screen.getByRole('region', { name: 'Signed in' });
    expect(bar).toHaveTextContent('Signed in as Dock 4 scanner of Rotterdam Cold Hub');
    expectNoSecretSent(node, PASSPHRASE);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(screen.getByRole('heading', { name: 'Sign in to the staff desk' })).toBeInTheDocument();
    expect(screen.queryByText('The desk')).toBeNull();
  });

  it('finds the organization from the key on the chain, for a keystore that does not name it', async () => {
    const node = start();
    await userEvent.upload(
      screen.getByLabelText('Keystore file'),
      new File([JSON.stringify(withoutOrg)], 'dock-4.json', { type: 'application/json' }),
    );
    expect(
      await screen.findByText(
        /key “Dock 4 scanner” .*, staff of Rotterdam Cold Hub \(rotterdam-cold-hub\)\./,
      ),
    ).toBeVisible();
    expect(screen.queryByLabelText('Your organization')).toBeNull();
    await userEvent.type(screen.getByLabelText('Passphrase'), PASSPHRASE);
    await userEvent.click(screen.getByRole('button', { name: 'Unlock and sign in' }));
    expect(await screen.findByText('The desk', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Signed in' })).toHaveTextContent(
      'Signed in as Dock 4 scanner of Rotterdam Cold Hub',
    );
    const lookups = node.calls.filter((call) => call.query.includes('member(publicKey'));
    expect(lookups.length).toBeGreaterThan(0);
    for (const call of lookups) expect(call.variables).toEqual({ publicKey: MEMBER.publicKey });
    expectNoSecretSent(node, PASSPHRASE);
  });

  it('says a key no organization registered is unknown on this chain, as soon as the file is chosen', async () => {
    start();
    await userEvent.upload(
      screen.getByLabelText('Keystore file'),
      new File([JSON.stringify(stranger)], 'dock-4.json', { type: 'application/json' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      /This key \([0-9a-f]+….*\) is not registered with any organization on this chain/,
    );
    expect(screen.getByLabelText('Keystore file')).toHaveAttribute('aria-invalid', 'true');

    await userEvent.type(screen.getByLabelText('Passphrase'), PASSPHRASE);
    await userEvent.click(screen.getByRole('button', { name: 'Unlock and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'is not registered with any organization on this chain',
    );
    expect(screen.queryByText('The desk')).toBeNull();
  });

  it('refuses a revoked key, saying who revoked it and when', async () => {
    start(
      fakeNode({
        members: MEMBERS.map((m) =>
          m.publicKey === MEMBER.publicKey ? { ...m, active: false, revokedAt: 57 } : m,
        ),
      }),
    );
    await open(withOrg, PASSPHRASE);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /This key \(.*\) was revoked by Rotterdam Cold Hub at block 57 and can no longer sign/,
    );
    expect(screen.queryByText('The desk')).toBeNull();
  });

  it('refuses a keystore whose organization is not the one the chain registered its key with', async () => {
    start();
    await open(mislabelled, PASSPHRASE);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /This keystore says it belongs to nordic-reefer, but on this chain its key \(.*\) is registered with Rotterdam Cold Hub \(rotterdam-cold-hub\)/,
    );
    expect(screen.queryByText('The desk')).toBeNull();
  });

  it('says when the node cannot be asked about the key', async () => {
    start(fakeNode({ members: new Error('node is down') }));
    await open(withOrg, PASSPHRASE);
    await waitFor(() => {
      expect(screen.getAllByRole('alert').at(-1)).toHaveTextContent(
        'Could not check your key with the node: node is down',
      );
    });
    expect(screen.queryByText('The desk')).toBeNull();
  });

  it('refuses a file that is not a keystore', async () => {
    start();
    await userEvent.upload(
      screen.getByLabelText('Keystore file'),
      new File(['{"hello": 1}'], 'notes.json', { type: 'application/json' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This file is not a valid Waybill keystore',
    );
  });
});
