/**
 * The one Ed25519 wrapper. Verification is strict RFC 8032 (noble, `zip215: false`): canonical
 * R and A, s < L, small-order keys refused. `verify` returns false on malformed input and never
 * throws, so a hostile signature can only ever be "not valid".
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, isHex } from '../encoding/index.js';
import { WaybillError } from '../errors.js';

export const PUBLIC_KEY_BYTES = 32;
export const SECRET_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/**
 * Checks a signature over a message. The node may swap in a faster implementation that the
 * committed edge-case vectors prove equivalent (protocol.md, "Signature").
 */
export type SignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

/** Strict RFC 8032 verification with noble; false (never a throw) on any malformed input. */
export const verifyStrict: SignatureVerifier = (signature, message, publicKey) => {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

/**
 * The torsion check in checkPublicKey is a scalar multiplication (about 1.4 ms with noble, more
 * than half a verification), and the same few keys (validators, staff) are checked on every vote
 * and transaction, so answers are remembered. The answer is a pure function of the bytes.
 */
const VALID_KEY_CACHE_LIMIT = 4096;
const validKeyCache = new Map<string, boolean>();

/**
 * True when `publicKey` is a canonically encoded point of the prime-order subgroup (not small
 * order, no torsion component): the check applied wherever a key enters the system (genesis,
 * org.register, member.add, tx signer).
 */
export function isValidPublicKeyBytes(publicKey: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES) return false;
  const hex = bytesToHex(publicKey);
  const known = validKeyCache.get(hex);
  if (known !== undefined) return known;
  const valid = checkPublicKey(publicKey, hex);
  // Cleared wholesale when full: bounded memory without LRU bookkeeping.
  if (validKeyCache.size >= VALID_KEY_CACHE_LIMIT) validKeyCache.clear();
  validKeyCache.set(hex, valid);
  return valid;
}

function checkPublicKey(publicKey: Uint8Array, hex: string): boolean {
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    // fromBytes accepts y < p; re-encoding must give the same bytes (rejects x = 0 with sign bit).
    if (point.isSmallOrder() || point.toHex() !== hex) return false;
    // A mixed-order key (real key + small-order point) is no honest key, and on it noble's
    // cofactored equation and OpenSSL's cofactorless one disagree about honestly made signatures
    // (test/vectors/ed25519-edge-cases.json, "mixed-order-key-*").
    return point.isTorsionFree();
  } catch {
    return false;
  }
}

/** L, the order of the prime-order subgroup, little-endian as S is encoded. */
const GROUP_ORDER_LE = hexToBytes(
  'edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010',
);

/**
 * True when `signature` is 64 bytes with S < L (RFC 8032 section 5.1.7): the byte-only checks
 * that, with {@link isValidPublicKeyBytes} on the key, gate any faster verifier (protocol.md,
 * "Signature"). It does not decode R, so it says nothing about whether the signature verifies.
 */
export function isCanonicalSignature(signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  // Compare S and L from the most significant byte down.
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i] ?? 0;
    const l = GROUP_ORDER_LE[i] ?? 0;
    if (s !== l) return s < l;
  }
  return false;
}

/** Hex form of {@link isValidPublicKeyBytes}. */
export function isValidPublicKey(publicKeyHex: unknown): publicKeyHex is string {
  return isHex(publicKeyHex, PUBLIC_KEY_BYTES) && isValidPublicKeyBytes(hexToBytes(publicKeyHex));
}

export function assertValidPublicKey(publicKeyHex: unknown, label = 'public key'): string {
  if (!isValidPublicKey(publicKeyHex)) {
    throw new WaybillError(
      'INVALID_KEY',
      `${label} must be a canonical Ed25519 key of the prime-order subgroup (64 lowercase hex characters)`,
    );
  }
  return publicKeyHex;
}

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** A new 32-byte Ed25519 secret key (the RFC 8032 seed). */
export function generateSecretKey(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== SECRET_KEY_BYTES) {
    throw new WaybillError('INVALID_KEY', `secret key must be ${SECRET_KEY_BYTES} bytes`);
  }
  return ed25519.getPublicKey(secretKey);
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== SECRET_KEY_BYTES) {
    throw new WaybillError('INVALID_KEY', `secret key must be ${SECRET_KEY_BYTES} bytes`);
  }
  return ed25519.sign(message, secretKey);
}

/** Hex-in, boolean-out verification; malformed hex is simply "not valid". */
export function verifyHex(
  signatureHex: string,
  message: Uint8Array,
  publicKeyHex: string,
  verifier: SignatureVerifier = verifyStrict,
): boolean {
  if (!isHex(signatureHex, SIGNATURE_BYTES) || !isHex(publicKeyHex, PUBLIC_KEY_BYTES)) return false;
  return verifier(hexToBytes(signatureHex), message, hexToBytes(publicKeyHex));
}

/**
 * A verifier that answers later (a node verifies on its thread pool while it executes the block),
 * bound by the same rule as a synchronous one: identical answers to `verifyStrict`, never a throw.
 */
export type AsyncSignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => Promise<boolean>;

/** `verifyHex` with an asynchronous verifier. */
export async function verifyHexAsync(
  signatureHex: string,
  message: Uint8Array,
  publicKeyHex: string,
  verifier: AsyncSignatureVerifier,
): Promise<boolean> {
  if (!isHex(signatureHex, SIGNATURE_BYTES) || !isHex(publicKeyHex, PUBLIC_KEY_BYTES)) return false;
  return verifier(hexToBytes(signatureHex), message, hexToBytes(publicKeyHex));
}
