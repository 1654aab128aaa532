/**
 * Ed25519 signing through OpenSSL (node:crypto). Signatures are deterministic (RFC 8032): these
 * are byte for byte the signatures `shared`'s noble-based `sign` makes, several times faster. The
 * authority signs votes and proposals with it; importers sign thousands of transactions with it.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { publicKeyOf } from '@waybill/shared/crypto';
import { bytesToHex, hexToBytes } from '@waybill/shared/encoding';
import {
  decodeTx,
  txHash,
  type PayloadOf,
  type SignedTxOf,
  type TxType,
  type UnsignedTx,
  type UnsignedTxOf,
} from '@waybill/shared/tx';

/** DER prefix of a PKCS #8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519PrivateKey(secretKey: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(secretKey)]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** Signs a 32-byte hash given as hex; the signature as hex. */
export function hashSigner(secretKey: Uint8Array): (hash: string) => string {
  const privateKey = ed25519PrivateKey(secretKey);
  return (hash) => bytesToHex(sign(null, hexToBytes(hash), privateKey));
}

/**
 * `createTx` of shared for one key and chain, without deriving the public key again for every
 * transaction: the same envelope, the same checks (`decodeTx`), the same signature.
 */
export function txSigner(
  chainId: string,
  secretKey: Uint8Array,
): <T extends TxType>(type: T, payload: PayloadOf<T>, nonce: string) => SignedTxOf<T> {
  const signer = bytesToHex(publicKeyOf(secretKey));
  const signHash = hashSigner(secretKey);
  return <T extends TxType>(type: T, payload: PayloadOf<T>, nonce: string) => {
    const unsigned = { chainId, type, signer, nonce, payload } as UnsignedTxOf<T>;
    const signed = { ...unsigned, signature: signHash(txHash(unsigned as UnsignedTx)) };
    decodeTx(signed);
    return signed as SignedTxOf<T>;
  };
}
