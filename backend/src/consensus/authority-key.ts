/** Loads this node's authority secret key (hex in a file) if it has one. */
import { existsSync, readFileSync } from 'node:fs';
import { publicKeyOf } from '@waybill/shared/crypto';
import { bytesToHex, hexToBytes } from '@waybill/shared/encoding';

export interface AuthorityKey {
  secretKey: Uint8Array;
  publicKey: string;
}

export function loadAuthorityKey(file: string): AuthorityKey | undefined {
  if (!existsSync(file)) return undefined;
  const secretKey = hexToBytes(readFileSync(file, 'utf8').trim(), 32, `authority key in ${file}`);
  return { secretKey, publicKey: bytesToHex(publicKeyOf(secretKey)) };
}
