/**
 * Signing in: check the keystore file, ask the node which organization its key signs for (and
 * that it is still active), then open it (the expensive step, last). Each failure says which
 * field to fix. The passphrase goes to the decryptor only; the node is asked nothing but public
 * facts (the public key, the organization's id).
 */
import type { WaybillClient } from '@waybill/shared/client';
import { hexToBytes } from '@waybill/shared/encoding';
import { parseKeystore, type Keystore } from '@waybill/shared/keys';
import { shortHash } from '@/lib/format';
import { CHAIN_ID_QUERY, MEMBER_QUERY, STAFF_ORG_QUERY } from '../queries';
import type { Member, StaffOrg, StaffSession } from '../types';
import type { DecryptOptions, KeystoreDecryptor } from '../workers/decrypt';

export type SignInField = 'file' | 'passphrase' | 'node';

export class SignInError extends Error {
  override readonly name = 'SignInError';

  constructor(
    readonly field: SignInField,
    message: string,
  ) {
    super(message);
  }
}

/** Reads an uploaded keystore file; throws SignInError('file') saying what is wrong with it. */
export function readKeystoreText(text: string): Keystore {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SignInError(
      'file',
      'This file is not a keystore (it is not JSON). Choose the .json keystore file your admin gave you.',
    );
  }
  try {
    return parseKeystore(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignInError('file', `This file is not a valid Waybill keystore: ${reason}.`);
  }
}

/** Whose key a keystore holds, as this chain records it. */
export interface KeyOwner {
  member: Member;
  org: StaffOrg;
  chainId: string;
}

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';

const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Finds the organization a keystore's key signs for with `member(publicKey)`: the public key is
 * in the file's header (bound to the secret by the AEAD), so this needs no passphrase and costs
 * no scrypt. The file's own `org`, when it has one, is only a cross-check. Throws SignInError for
 * a key no organization registered, a revoked key, a file naming another organization, or a node
 * that cannot answer.
 */
export async function findKeyOwner(client: WaybillClient, keystore: Keystore): Promise<KeyOwner> {
  const key = shortHash(keystore.publicKey);
  let member: Member | null;
  let chainId: string;
  try {
    const [memberData, chainData] = await Promise.all([
      client.request<{ member: Member | null }>(MEMBER_QUERY, { publicKey: keystore.publicKey }),
      client.request<{ chain: { chainId: string } }>(CHAIN_ID_QUERY),
    ]);
    member = memberData.member;
    chainId = chainData.chain.chainId;
  } catch (error) {
    if (errorCode(error) === 'BAD_REQUEST') {
      throw new SignInError('file', `The node refused this keystore’s key: ${reasonOf(error)}`);
    }
    throw new SignInError('node', `Could not check your key with the node: ${reasonOf(error)}`);
  }
  if (!member) {
    throw new SignInError(
      'file',
      `This key (${key}) is not registered with any organization on this chain. Check that the explorer is connected to the right network, or ask your organization’s admin to add the key.`,
    );
  }

  let org: StaffOrg | null;
  try {
    org = (
      await client.request<{ organization: StaffOrg | null }>(STAFF_ORG_QUERY, { id: member.orgId })
    ).organization;
  } catch (error) {
    throw new SignInError(
      'node',
      `Could not read your organization (${member.orgId}) from the node: ${reasonOf(error)}`,
    );
  }
  if (!org) {
    throw new SignInError(
      'node',
      `The node says this key signs for ${member.orgId}, but does not know that organization. Try again, or try another node.`,
    );
  }
  if (keystore.org !== undefined && keystore.org !== member.orgId) {
    throw new SignInError(
      'file',
      `This keystore says it belongs to ${keystore.org}, but on this chain its key (${key}) is registered with ${org.name} (${org.id}). The file may be meant for another network, or was made with the wrong organization: ask your admin.`,
    );
  }
  if (!member.active) {
    throw new SignInError(
      'file',
      `This key (${key}) was revoked by ${org.name}${member.revokedAt == null ? '' : ` at block ${String(member.revokedAt)}`} and can no longer sign. Ask your admin for a new keystore.`,
    );
  }
  return { member, org, chainId };
}

export interface OpenSessionInput {
  client: WaybillClient;
  decrypt: KeystoreDecryptor;
  keystore: Keystore;
  passphrase: string;
  options?: DecryptOptions;
}

export async function openSession(input: OpenSessionInput): Promise<StaffSession> {
  const { client, decrypt, keystore, passphrase } = input;
  if (passphrase === '') throw new SignInError('passphrase', 'Enter the keystore passphrase.');

  // Who the key belongs to first: an unknown or revoked key is refused before scrypt runs.
  const { member, org, chainId } = await findKeyOwner(client, keystore);

  let opened;
  try {
    opened = await decrypt(keystore, passphrase, input.options);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'KEYSTORE_WRONG_PASSPHRASE') {
      throw new SignInError(
        'passphrase',
        'Wrong passphrase: the keystore did not open. Check it and try again (passphrases are case-sensitive). If you are sure it is right, the file may have been altered: ask your admin for a fresh copy.',
      );
    }
    if (code === 'ABORTED') throw error;
    throw new SignInError('file', `The keystore could not be opened: ${reasonOf(error)}.`);
  }
  if (opened.publicKey !== member.publicKey) {
    // shared already refuses a file whose header names another key; this is belt and braces.
    throw new SignInError('file', 'The keystore holds a different key than its header says.');
  }
  const label = opened.label ?? member.label ?? undefined;
  return {
    publicKey: opened.publicKey,
    secretKey: hexToBytes(opened.secretKey),
    ...(label === undefined ? {} : { label }),
    role: member.role,
    org,
    chainId,
  };
}
