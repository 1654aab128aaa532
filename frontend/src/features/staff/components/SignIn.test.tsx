import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { bytesToHex } from '@waybill/shared/encoding';
import { encryptKeystore, KDF_LIMITS, type Keystore } from '@waybill/shared/keys';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderStaff, fakeNode, MEMBER, OTHER_MEMBER, ORG, type FakeNode } from '../test/fixtures';
import { StaffShell } from './StaffShell';

vi.mock('next/navigation', () => ({ usePathname: () => '/staff' }));

const PASSPHRASE = 'waybill-demo';
const SECRET = bytesToHex(MEMBER.secretKey);
/** The cheapest cost a keystore may ask for (2^14), so each unlock takes a fraction of a second. */
const FAST = { kdfParams: { N: KDF_LIMITS.minN, r: 8, p: 1 } };

let withOrg: Keystore;
let withoutOrg: Keystore;
let stranger: Keystore;

beforeAll(() => {
  withOrg = encryptKeystore(SECRET, PASSPHRASE, { ...FAST, org: ORG.id, label: 'Dock 4 scanner' });
  withoutOrg = encryptKeystore(SECRET, PASSPHRASE, FAST);
  stranger = encryptKeystore(bytesToHex(OTHER_MEMBER.secretKey), PASSPHRASE, {
    ...FAST,
    org: ORG.id,
  });
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

  it('refuses a key that is not a member of the organization, before spending time on scrypt', async () => {
    start();
    await open(stranger, PASSPHRASE);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /This key \(.*\) is not a member of Rotterdam Cold Hub \(rotterdam-cold-hub\)/,
    );
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

  it('asks for the organization when the keystore does not name it, by id when the node lists none', async () => {
    const node = start(
      fakeNode({ organizations: new Error('Cannot query field "organizations"') }),
    );
    await userEvent.upload(
      screen.getByLabelText('Keystore file'),
      new File([JSON.stringify(withoutOrg)], 'dock-4.json', { type: 'application/json' }),
    );
    const org = await screen.findByRole('textbox', { name: 'Your organization' });
    await userEvent.type(screen.getByLabelText('Passphrase'), PASSPHRASE);
    await userEvent.click(screen.getByRole('button', { name: 'Unlock and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose your organization.');

    await userEvent.type(org, 'rotterdam-cold-hub');
    await userEvent.click(screen.getByRole('button', { name: 'Unlock and sign in' }));
    expect(await screen.findByText('The desk', {}, { timeout: 5000 })).toBeInTheDocument();
    expectNoSecretSent(node, PASSPHRASE);
  });

  it('guesses the organization from a devnet file name and lets the member pick it from the list', async () => {
    start();
    await userEvent.upload(
      screen.getByLabelText('Keystore file'),
      new File([JSON.stringify(withoutOrg)], 'rotterdam-cold-hub-staff-1.json', {
        type: 'application/json',
      }),
    );
    const picker = await screen.findByRole('combobox', { name: 'Your organization' });
    await waitFor(() => {
      expect(picker).toHaveValue('rotterdam-cold-hub');
    });
  });
});
