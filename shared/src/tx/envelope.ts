/**
 * The transaction envelope: decode and validate, hash, sign and verify. `txHash` covers every
 * field but the signature, under the `waybill/tx/v1` tag; the signature is Ed25519 over it.
 */
import {
  isValidPublicKey,
  publicKeyOf,
  randomBytes,
  sign,
  verifyHex,
  verifyHexAsync,
  verifyStrict,
  type AsyncSignatureVerifier,
  type SignatureVerifier,
} from '../crypto/index.js';
import {
  bytesToHex,
  canonicalBytes,
  hexToBytes,
  TAGS,
  taggedHash,
  utf8ToBytes,
} from '../encoding/index.js';
import { WaybillError, isWaybillError } from '../errors.js';
import { chainId as chainIdSchema, publicKey, signature as signatureSchema } from './fields.js';
import { isTxType, payloadSchemas, TX_TYPES, type PayloadOf, type TxType } from './payloads.js';
import { invalid, string } from './schema.js';

/** 64 KiB: the largest transaction a node admits (canonical bytes). */
export const MAX_TX_BYTES = 64 * 1024;

interface Envelope<T extends TxType> {
  chainId: string;
  type: T;
  /** Ed25519 public key of the signer, 64 hex. */
  signer: string;
  /** 16 random bytes (32 hex): two otherwise equal transactions still hash differently. */
  nonce: string;
  payload: PayloadOf<T>;
}
/** A transaction of type T before signing; for a union of types, the union of its members. */
export type UnsignedTxOf<T extends TxType> = { [K in T]: Envelope<K> }[T];
export type SignedTxOf<T extends TxType> = { [K in T]: Envelope<K> & { signature: string } }[T];
/** Any signed transaction, discriminated by `type`. */
export type SignedTx = SignedTxOf<TxType>;
export type UnsignedTx = UnsignedTxOf<TxType>;

const ENVELOPE_KEYS = ['chainId', 'type', 'signer', 'nonce', 'payload', 'signature'];
const nonceSchema = string({
  min: 32,
  max: 32,
  pattern: /^[0-9a-f]{32}$/,
  expected: '16 bytes as 32 lowercase hex characters',
});

/** Envelope faults are BAD_ENCODING; faults inside the payload keep their own code and path. */
function asEncodingError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isWaybillError(error) && error.code === 'INVALID_PAYLOAD') {
      throw new WaybillError('BAD_ENCODING', error.message, error.details);
    }
    throw error;
  }
}

/**
 * Validates a transaction object: exact envelope, known type, payload schema, size limit.
 * Envelope faults are BAD_ENCODING; payload faults are INVALID_PAYLOAD or INVALID_GS1, with the
 * JSON path. Does not check the signature or the chain id (see {@link checkTx}).
 */
export function decodeTx(value: unknown): SignedTx {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WaybillError('BAD_ENCODING', '$: a transaction must be a JSON object', { path: '$' });
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!ENVELOPE_KEYS.includes(key)) {
      throw new WaybillError('BAD_ENCODING', `$.${key}: is not a known field`, {
        path: `$.${key}`,
      });
    }
  }
  const size = canonicalBytes(record).length;
  if (size > MAX_TX_BYTES) {
    throw new WaybillError(
      'TOO_LARGE',
      `transaction is ${size} bytes; the limit is ${MAX_TX_BYTES}`,
      { size },
    );
  }
  const envelope = asEncodingError(() => {
    const type = record.type;
    if (!isTxType(type)) {
      invalid(
        '$.type',
        `unknown transaction type ${JSON.stringify(type)}; known: ${TX_TYPES.join(', ')}`,
      );
    }
    if (record.payload === undefined) invalid('$.payload', 'is required');
    return {
      chainId: chainIdSchema.parse(record.chainId, '$.chainId'),
      type,
      signer: publicKey.parse(record.signer, '$.signer'),
      nonce: nonceSchema.parse(record.nonce, '$.nonce'),
      signature: signatureSchema.parse(record.signature, '$.signature'),
    };
  });
  const payload = payloadSchemas[envelope.type].parse(record.payload, '$.payload');
  return { ...envelope, payload } as SignedTx;
}

/** Decodes a transaction from JSON text, refusing oversized input before parsing it. */
export function decodeTxJson(json: string): SignedTx {
  if (json.length > MAX_TX_BYTES * 2 || utf8ToBytes(json).length > MAX_TX_BYTES * 2) {
    throw new WaybillError('TOO_LARGE', `transaction text exceeds ${MAX_TX_BYTES * 2} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new WaybillError('BAD_ENCODING', 'transaction is not valid JSON');
  }
  return decodeTx(value);
}

/** `hash("waybill/tx/v1", tx without "signature")`. */
export function txHash(tx: UnsignedTx | SignedTx): string {
  const { chainId, type, signer, nonce, payload } = tx;
  return taggedHash(TAGS.tx, { chainId, type, signer, nonce, payload });
}

export function randomNonce(): string {
  return bytesToHex(randomBytes(16));
}

export interface CreateTxOptions<T extends TxType> {
  chainId: string;
  type: T;
  payload: PayloadOf<T>;
  secretKey: Uint8Array;
  /** Fixed nonce for deterministic vectors; random otherwise. */
  nonce?: string;
}

/** Builds, validates and signs a transaction. Throws the same codes a node would return. */
export function createTx<T extends TxType>(options: CreateTxOptions<T>): SignedTxOf<T> {
  const { chainId, type, payload, secretKey } = options;
  const unsigned = {
    chainId,
    type,
    signer: bytesToHex(publicKeyOf(secretKey)),
    nonce: options.nonce ?? randomNonce(),
    payload,
  } as UnsignedTxOf<T>;
  const signature = bytesToHex(sign(hexToBytes(txHash(unsigned as UnsignedTx)), secretKey));
  const signed = { ...unsigned, signature };
  decodeTx(signed);
  return signed;
}

/** Whether the signature verifies; `hash` is `txHash(tx)`, passed when the caller has it already. */
export function verifyTxSignature(
  tx: SignedTx,
  verifier: SignatureVerifier = verifyStrict,
  hash: string = txHash(tx),
): boolean {
  // A faster verifier may only run behind the key checks (protocol.md, "Signature"), as for votes.
  if (verifier !== verifyStrict && !isValidPublicKey(tx.signer)) return false;
  return verifyHex(tx.signature, hexToBytes(hash), tx.signer, verifier);
}

/** `verifyTxSignature` with a verifier that answers later (always behind the key checks). */
export async function verifyTxSignatureAsync(
  tx: SignedTx,
  hash: string,
  verifier: AsyncSignatureVerifier,
): Promise<boolean> {
  if (!isValidPublicKey(tx.signer)) return false;
  return verifyHexAsync(tx.signature, hexToBytes(hash), tx.signer, verifier);
}

export interface CheckTxOptions {
  chainId: string;
  verifier?: SignatureVerifier;
}

/**
 * The stateless admission checks but the signature: decode, then the chain id. Returns the
 * decoded transaction and its hash (computed once), or throws the rejection. `checkTx` is this
 * followed by `verifyTxSignature`; a node that verifies on its thread pool runs the two apart.
 */
export function decodeTxForChain(value: unknown, chainId: string): { tx: SignedTx; hash: string } {
  const tx = decodeTx(value);
  if (tx.chainId !== chainId) {
    throw new WaybillError(
      'WRONG_CHAIN',
      `transaction is for chain "${tx.chainId}", this is "${chainId}"`,
      {
        path: '$.chainId',
      },
    );
  }
  return { tx, hash: txHash(tx) };
}

/** The rejection of a transaction whose signature does not verify. */
export function badSignature(): WaybillError {
  return new WaybillError(
    'BAD_SIGNATURE',
    'signature does not verify for the signer key over this transaction',
    { path: '$.signature' },
  );
}

/**
 * The stateless admission checks (decode, chain id, signature), in the order a node runs them.
 * Returns the decoded transaction and its hash, or throws the rejection.
 */
export function checkTx(value: unknown, options: CheckTxOptions): { tx: SignedTx; hash: string } {
  const checked = decodeTxForChain(value, options.chainId);
  if (!verifyTxSignature(checked.tx, options.verifier, checked.hash)) throw badSignature();
  return checked;
}
