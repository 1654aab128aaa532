/**
 * Signing in: check the keystore file, check with the node that its key is an active member of
 * the organization, then open it (the expensive step, last). Each failure says which field to
 * fix. The passphrase goes to the decryptor only; the node is asked nothing but public facts.
 */
import type { WaybillClient } from '@waybill/shared/client';
import { hexToBytes } from '@waybill/shared/encoding';
import { parseKeystore, type Keystore } from '@waybill/shared/keys';
import { shortHash } from '@/lib/format';
import { CHAIN_ID_QUERY, ORG_MEMBERS_QUERY } from '../queries';
import type { OrgWithMembers, StaffSession } from '../types';
import type { DecryptOptions, KeystoreDecryptor } from '../workers/decrypt';

export type SignInField = 'file' | 'passphrase' | 'org' | 'node';

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

/** The org a keystore's file name suggests, for `<orgId>-<role>-<n>.json` as the devnet writes. */
export function orgFromFileName(name: string): string | undefined {
  return /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-(?:admin|staff)-\d+\.json$/.exec(name)?.[1];
}

export interface OpenSessionInput {
  client: WaybillClient;
  decrypt: KeystoreDecryptor;
  keystore: Keystore;
  passphrase: string;
  orgId: string;
  options?: DecryptOptions;
}

export async function openSession(input: OpenSessionInput): Promise<StaffSession> {
  const { client, decrypt, keystore, passphrase } = input;
  const orgId = input.orgId.trim();
  if (orgId === '') throw new SignInError('org', 'Choose your organization.');
  if (passphrase === '') throw new SignInError('passphrase', 'Enter the keystore passphrase.');

  let org: OrgWithMembers | null;
  let chainId: string;
  try {
    const [orgData, chainData] = await Promise.all([
      client.request<{ organization: OrgWithMembers | null }>(ORG_MEMBERS_QUERY, { id: orgId }),
      client.request<{ chain: { chainId: string } }>(CHAIN_ID_QUERY),
    ]);
    org = orgData.organization;
    chainId = chainData.chain.chainId;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignInError('node', `Could not check your organization with the node: ${reason}`);
  }
  if (!org) {
    throw new SignInError(
      'org',
      `There is no organization "${orgId}" on this chain. Check the id.`,
    );
  }
  const member = org.members.find((m) => m.publicKey === keystore.publicKey);
  if (!member) {
    throw new SignInError(
      'org',
      `This key (${shortHash(keystore.publicKey)}) is not a member of ${org.name} (${org.id}). Check the organization, or ask its admin to add the key.`,
    );
  }
  if (!member.active) {
    throw new SignInError(
      'org',
      `This key was revoked by ${org.name}${member.revokedAt ? ` at block ${String(member.revokedAt)}` : ''} and can no longer sign. Ask your admin for a new keystore.`,
    );
  }

  let opened;
  try {
    opened = await decrypt(keystore, passphrase, input.options);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === 'KEYSTORE_WRONG_PASSPHRASE') {
      throw new SignInError(
        'passphrase',
        'Wrong passphrase: the keystore did not open. Check it and try again (passphrases are case-sensitive). If you are sure it is right, the file may have been altered: ask your admin for a fresh copy.',
      );
    }
    if (code === 'ABORTED') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignInError('file', `The keystore could not be opened: ${reason}.`);
  }
  const { members: _, ...summary } = org;
  return {
    publicKey: opened.publicKey,
    secretKey: hexToBytes(opened.secretKey),
    ...(opened.label === undefined ? {} : { label: opened.label }),
    role: member.role,
    org: summary,
    chainId,
  };
}
