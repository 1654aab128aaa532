/**
 * The demo staff's keys, opened here the way a worker's browser opens them, for what the tests do
 * beside the browser: another participant's transaction arriving live, a transaction the explorer
 * would never let a worker sign, and the secrets no request may carry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaybillClient, type SubmitResult } from '@waybill/shared/client';
import { hexToBytes } from '@waybill/shared/encoding';
import { decryptKeystore } from '@waybill/shared/keys';
import { createTx, type PayloadOf, type SignedTx, type TxType } from '@waybill/shared/tx';
import { PASSPHRASE } from './paths.js';
import { runState } from './state.js';

export function keystorePath(org: string, role = 'staff', n = 1): string {
  return join(runState().keystoresDir, `${org}-${role}-${String(n)}.json`);
}

export interface OpenedKey {
  publicKey: string;
  /** Hex, as in the keystore's plain text. */
  secretKey: string;
}

export function openKeystore(file: string): OpenedKey {
  const { publicKey, secretKey } = decryptKeystore(
    JSON.parse(readFileSync(file, 'utf8')),
    PASSPHRASE,
  );
  return { publicKey, secretKey };
}

/** The current time as an EPCIS eventTime (UTC offset). */
export function nowEventTime(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

/**
 * Signs and submits a transaction with `key` to a node (the explorer's by default); waits for it
 * to be final or rejected.
 */
export async function submitSigned<T extends TxType>(
  key: OpenedKey,
  type: T,
  payload: PayloadOf<T>,
  url = runState().nodeUrl,
): Promise<SubmitResult> {
  const client = new WaybillClient({ url });
  const { chainId } = await client.chain();
  const tx = createTx({ chainId, type, payload, secretKey: hexToBytes(key.secretKey) });
  return client.submit(tx as SignedTx, { waitFinal: true });
}
