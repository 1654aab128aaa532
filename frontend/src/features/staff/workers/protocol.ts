/** Messages between the staff page and the keystore worker. */
import type { DecryptedKeystore } from '@waybill/shared/keys';

export interface DecryptRequest {
  keystore: unknown;
  passphrase: string;
}

export type DecryptResponse =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; key: DecryptedKeystore }
  | { type: 'error'; code: string; message: string };
