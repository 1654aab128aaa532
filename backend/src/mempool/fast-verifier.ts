/**
 * Ed25519 verification through Node's built-in `crypto.verify` (OpenSSL), about 15-20 times faster
 * than noble, made to accept exactly what `verifyStrict` (noble, the browser's verifier) accepts
 * (docs/protocol.md, "Signatures: strict noble versus the built-in verifier"):
 *
 * - wrong lengths and `S >= L` are refused before any curve arithmetic (strict refuses them too);
 * - a key that fails `isValidPublicKeyBytes` (non-canonical, small order, torsion component) never
 *   reaches OpenSSL: the answer is noble's. Such keys never pass transaction decoding, so this path
 *   is rare; it exists so that the verifier is equivalent to `verifyStrict` on every input;
 * - behind those checks OpenSSL saying `true` is final (it implies strict says `true`);
 * - OpenSSL saying `false` (or throwing) is re-checked with noble before refusing, because on a
 *   few crafted signatures whose `R` has a small-order component noble's cofactored equation
 *   accepts what OpenSSL's cofactorless one refuses.
 *
 * Bad signatures thus cost one OpenSSL plus one noble verification; honest ones only OpenSSL.
 * The asynchronous verifier follows the same rules with OpenSSL's call on libuv's thread pool.
 */
import { createPublicKey, verify as opensslVerify, type KeyObject } from 'node:crypto';
import {
  isCanonicalSignature,
  isValidPublicKeyBytes,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  verifyStrict,
  type AsyncSignatureVerifier,
  type SignatureVerifier,
} from '@waybill/shared/crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const DEFAULT_KEY_CACHE_SIZE = 10_000;

export interface FastVerifierOptions {
  /** KeyObjects kept (only of keys that passed the key checks); the oldest is dropped. */
  keyCacheSize?: number;
  /** The verifier consulted when OpenSSL refuses or the key checks fail; `verifyStrict` by default. */
  fallback?: SignatureVerifier;
}

/** Builds a KeyObject from the 32 raw bytes of an Ed25519 public key. */
export function ed25519KeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
}

export interface FastVerifiers {
  /** On the calling thread. */
  verify: SignatureVerifier;
  /**
   * On libuv's thread pool (`crypto.verify` with a callback), so that a block's signatures are
   * checked off this thread while it executes the block. Same answers as `verify`. The pool
   * also runs SQLite's queries, which wait behind a block's checks (about 0.2 ms each).
   */
  verifyAsync: AsyncSignatureVerifier;
}

/** Both verifiers over one key cache; see the module comment for the rules they follow. */
export function createFastVerifiers(options: FastVerifierOptions = {}): FastVerifiers {
  const cacheSize = options.keyCacheSize ?? DEFAULT_KEY_CACHE_SIZE;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw new RangeError(`keyCacheSize must be a positive integer, got ${cacheSize}`);
  }
  const fallback = options.fallback ?? verifyStrict;
  // Only keys that passed isValidPublicKeyBytes are cached, so a hit also means "key valid".
  const keys = new Map<string, KeyObject>();

  const keyObjectFor = (publicKey: Uint8Array): KeyObject | undefined => {
    const hex = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString(
      'hex',
    );
    const cached = keys.get(hex);
    if (cached !== undefined) return cached;
    if (!isValidPublicKeyBytes(publicKey)) return undefined;
    let keyObject: KeyObject;
    try {
      keyObject = ed25519KeyObject(publicKey);
    } catch {
      return undefined;
    }
    if (keys.size >= cacheSize) {
      const oldest = keys.keys().next();
      if (oldest.done !== true) keys.delete(oldest.value);
    }
    keys.set(hex, keyObject);
    return keyObject;
  };

  /** The key to give OpenSSL, or the final answer when OpenSSL must not be asked. */
  const prepare = (
    signature: Uint8Array,
    message: Uint8Array,
    publicKey: Uint8Array,
  ): KeyObject | boolean => {
    if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
    if (!isCanonicalSignature(signature)) return false;
    return keyObjectFor(publicKey) ?? fallback(signature, message, publicKey);
  };

  const verify: SignatureVerifier = (signature, message, publicKey) => {
    const keyObject = prepare(signature, message, publicKey);
    if (typeof keyObject === 'boolean') return keyObject;
    let accepted: boolean;
    try {
      accepted = opensslVerify(null, message, keyObject, signature);
    } catch {
      accepted = false;
    }
    return accepted || fallback(signature, message, publicKey);
  };

  const verifyAsync: AsyncSignatureVerifier = async (signature, message, publicKey) => {
    const keyObject = prepare(signature, message, publicKey);
    if (typeof keyObject === 'boolean') return keyObject;
    // Not throttled: the callbacks need this thread, which is busy executing the block meanwhile,
    // so the pool must hold all of a block's work up front to run it meanwhile.
    const accepted = await new Promise<boolean>((resolve) => {
      try {
        opensslVerify(null, message, keyObject, signature, (error, ok) => {
          resolve(error === null && ok);
        });
      } catch {
        resolve(false);
      }
    });
    return accepted || fallback(signature, message, publicKey);
  };

  return { verify, verifyAsync };
}

/** A verifier with its own key cache; see the module comment for the rules it follows. */
export function createFastVerifier(options: FastVerifierOptions = {}): SignatureVerifier {
  return createFastVerifiers(options).verify;
}

/** The node's shared verifiers (one key cache per process). */
const shared = createFastVerifiers();
export const fastVerifier: SignatureVerifier = shared.verify;
export const fastVerifierAsync: AsyncSignatureVerifier = shared.verifyAsync;
