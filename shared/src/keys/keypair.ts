/**
 * Ed25519 key pairs as lowercase hex: generation, import of a raw secret key and export. The
 * secret key is the 32-byte RFC 8032 seed; the public key is always derived from it, never
 * trusted from outside.
 */
import { bytesToHex, hexToBytes } from '../encoding/index.js';
import { generateSecretKey, publicKeyOf, SECRET_KEY_BYTES } from '../crypto/index.js';
import { WaybillError } from '../errors.js';

export interface KeyPair {
  /** 32-byte Ed25519 seed, 64 lowercase hex characters. */
  readonly secretKey: string;
  /** 32-byte Ed25519 public key, 64 lowercase hex characters. */
  readonly publicKey: string;
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;

export function generateKeyPair(): KeyPair {
  const secret = generateSecretKey();
  try {
    return { secretKey: bytesToHex(secret), publicKey: bytesToHex(publicKeyOf(secret)) };
  } finally {
    secret.fill(0);
  }
}

/**
 * Validates a pasted or stored secret key and derives its public key. Upper-case hex is accepted
 * (people copy keys between tools) and normalized to lower case; every other problem is an
 * INVALID_KEY that says what is wrong, without echoing the key.
 */
export function keyPairFromSecretHex(secretKeyHex: unknown): KeyPair {
  if (typeof secretKeyHex !== 'string') {
    throw new WaybillError(
      'INVALID_KEY',
      `secret key must be a hex string, got ${describe(secretKeyHex)}`,
    );
  }
  const expected = SECRET_KEY_BYTES * 2;
  if (secretKeyHex.length !== expected) {
    throw new WaybillError(
      'INVALID_KEY',
      `secret key must be ${expected} hex characters (${SECRET_KEY_BYTES} bytes), got ${secretKeyHex.length}`,
    );
  }
  for (let i = 0; i < secretKeyHex.length; i++) {
    if (!HEX_DIGIT.test(secretKeyHex.charAt(i))) {
      throw new WaybillError(
        'INVALID_KEY',
        `secret key must be hex; character ${i + 1} is not a hex digit`,
      );
    }
  }
  const secret = hexToBytes(secretKeyHex.toLowerCase(), SECRET_KEY_BYTES, 'secret key');
  try {
    return { secretKey: bytesToHex(secret), publicKey: bytesToHex(publicKeyOf(secret)) };
  } finally {
    secret.fill(0);
  }
}

/**
 * The raw secret key as lowercase hex, from its bytes or from a key pair (whose public key is
 * checked against the secret, so a mismatched pair is never exported as if it were whole).
 */
export function exportSecretKeyHex(key: Uint8Array | KeyPair): string {
  if (key instanceof Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES) {
      throw new WaybillError(
        'INVALID_KEY',
        `secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`,
      );
    }
    return bytesToHex(key);
  }
  const pair = keyPairFromSecretHex(key.secretKey);
  if (pair.publicKey !== key.publicKey) {
    throw new WaybillError('INVALID_KEY', 'public key does not belong to the secret key');
  }
  return pair.secretKey;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'bytes (use exportSecretKeyHex to convert)';
  return typeof value;
}
