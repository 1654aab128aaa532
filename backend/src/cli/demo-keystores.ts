/**
 * Encrypted keystores of the demo organizations' admin and staff keys, so the explorer's
 * "open a keystore" sign-in can be tried on a devnet: `<dir>/<orgId>-<role>-<n>.json` (n counts
 * from 1 per role, in the order the seed adds the keys), sealed with `encryptKeystore` under one
 * passphrase, labelled with the member's label and org. Idempotent: a file that already holds
 * the right key, label and org under the passphrase is left as it is.
 *
 * The demo keys are public by construction (derived from their names), so the keystores use
 * scrypt's floor cost (N = 2^14): the devnet writes them in a moment and a browser opens one
 * at once. Never use such a cost for a real key.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptKeystore, encryptKeystore, KDF_LIMITS } from '@waybill/shared/keys';
import { demoKeys, type DemoMemberKey, type DemoOrgId } from '../demo/index.js';

export const DEMO_KEYSTORE_DIR = 'keystores';
export const DEFAULT_DEMO_PASSPHRASE = 'waybill-demo';
const DEMO_KDF = { N: KDF_LIMITS.minN, r: 8, p: 1 };

export interface DemoKeystore {
  file: string;
  orgId: DemoOrgId;
  member: DemoMemberKey;
}

/** The keystore files of the demo keys under `dir`, admin and staff of every demo org. */
export function demoKeystores(dir: string): DemoKeystore[] {
  return Object.values(demoKeys()).flatMap(({ orgId, members }) => {
    const counts = { admin: 0, staff: 0 };
    return members.map((member) => {
      counts[member.role] += 1;
      const file = join(dir, `${orgId}-${member.role}-${String(counts[member.role])}.json`);
      return { file, orgId, member };
    });
  });
}

/** Writes the keystores that are missing or do not open with `passphrase`; returns them all. */
export function writeDemoKeystores(dir: string, passphrase: string): DemoKeystore[] {
  mkdirSync(dir, { recursive: true });
  const keystores = demoKeystores(dir);
  for (const { file, orgId, member } of keystores) {
    if (holds(file, member, orgId, passphrase)) continue;
    const keystore = encryptKeystore(member.secretKey, passphrase, {
      label: member.label,
      org: orgId,
      kdfParams: DEMO_KDF,
    });
    writeFileSync(file, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
  }
  return keystores;
}

function holds(file: string, member: DemoMemberKey, org: string, passphrase: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const opened = decryptKeystore(JSON.parse(readFileSync(file, 'utf8')), passphrase);
    return (
      opened.publicKey === member.publicKey && opened.label === member.label && opened.org === org
    );
  } catch {
    return false;
  }
}
