import { WaybillClient } from '@waybill/shared/client';
import { bytesToHex } from '@waybill/shared/encoding';
import { encryptKeystore, KDF_LIMITS, type Keystore } from '@waybill/shared/keys';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CARRIER,
  CHAIN_ID,
  directDecrypt,
  fakeNode,
  MEMBER,
  MEMBERS,
  ORG,
  OTHER_MEMBER,
  type FakeNodeOptions,
} from '../test/fixtures';
import { findKeyOwner, openSession, SignInError } from './sign-in';

const PASSPHRASE = 'waybill-demo';
const FAST = { kdfParams: { N: KDF_LIMITS.minN, r: 8, p: 1 } };

let unlabelled: Keystore;
let stranger: Keystore;

beforeAll(() => {
  unlabelled = encryptKeystore(bytesToHex(MEMBER.secretKey), PASSPHRASE, FAST);
  stranger = encryptKeystore(bytesToHex(OTHER_MEMBER.secretKey), PASSPHRASE, FAST);
});

function client(options: FakeNodeOptions = {}) {
  return new WaybillClient({ url: 'http://node.test/graphql', fetch: fakeNode(options) });
}

async function refusal(promise: Promise<unknown>): Promise<SignInError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

describe('openSession', () => {
  it('takes the organization, its locations and the role from the chain; the label from the chain when the file has none', async () => {
    const session = await openSession({
      client: client(),
      decrypt: directDecrypt,
      keystore: unlabelled,
      passphrase: PASSPHRASE,
    });
    expect(session).toMatchObject({
      publicKey: MEMBER.publicKey,
      label: 'Dock 4 scanner',
      role: 'staff',
      chainId: CHAIN_ID,
      org: { id: ORG.id, name: ORG.name, locations: ORG.locations },
    });
    expect(session.secretKey).toEqual(MEMBER.secretKey);
  });

  it('does not run scrypt for an unknown or a revoked key', async () => {
    const decrypt = vi.fn(directDecrypt);
    const unknown = await refusal(
      openSession({ client: client(), decrypt, keystore: stranger, passphrase: PASSPHRASE }),
    );
    expect(unknown.field).toBe('file');
    expect(unknown.message).toContain('is not registered with any organization on this chain');

    const revoked = await refusal(
      openSession({
        client: client({
          members: MEMBERS.map((m) =>
            m.publicKey === MEMBER.publicKey ? { ...m, active: false } : m,
          ),
        }),
        decrypt,
        keystore: unlabelled,
        passphrase: PASSPHRASE,
      }),
    );
    expect(revoked.message).toMatch(
      /^This key \(.*\) was revoked by Rotterdam Cold Hub and can no longer sign/,
    );
    expect(decrypt).not.toHaveBeenCalled();
  });

  it('asks for the passphrase before asking the node anything', async () => {
    const node = fakeNode();
    const error = await refusal(
      openSession({
        client: new WaybillClient({ url: 'http://node.test/graphql', fetch: node }),
        decrypt: directDecrypt,
        keystore: unlabelled,
        passphrase: '',
      }),
    );
    expect(error.field).toBe('passphrase');
    expect(node.calls).toHaveLength(0);
  });
});

describe('findKeyOwner', () => {
  it('names the organization the chain says, when the file names another', async () => {
    const keystore = encryptKeystore(bytesToHex(MEMBER.secretKey), PASSPHRASE, {
      ...FAST,
      org: CARRIER.id,
    });
    const error = await refusal(findKeyOwner(client(), keystore));
    expect(error.field).toBe('file');
    expect(error.message).toContain(
      'This keystore says it belongs to nordic-reefer, but on this chain its key',
    );
    expect(error.message).toContain('is registered with Rotterdam Cold Hub (rotterdam-cold-hub)');
  });

  it('reports a node that refuses the key as malformed against the file', async () => {
    const error = await refusal(
      findKeyOwner(client(), { ...unlabelled, publicKey: 'AB'.repeat(32) }),
    );
    expect(error.field).toBe('file');
    expect(error.message).toContain('The node refused this keystore’s key');
  });

  it('reports a node that cannot answer against the node', async () => {
    const error = await refusal(findKeyOwner(client({ members: new Error('down') }), unlabelled));
    expect(error.field).toBe('node');
    expect(error.message).toBe('Could not check your key with the node: down');
  });
});
