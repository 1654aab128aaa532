/**
 * Encrypting a secret key under a passphrase, for warehouse staff whose browser holds their key:
 * scrypt derives a 32-byte key from the passphrase, XChaCha20-Poly1305 seals the secret key, and
 * the canonical bytes of the header (everything but the ciphertext) are the associated data, so
 * the public key, label, org and KDF parameters cannot be swapped or weakened without the
 * passphrase. The async variants yield to the event loop and report progress, so a browser can
 * show a progress bar instead of freezing for the second scrypt takes.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scrypt, scryptAsync, type ScryptOpts } from '@noble/hashes/scrypt.js';
import { bytesToHex, canonicalBytes, hexToBytes, utf8ToBytes } from '../encoding/index.js';
import { publicKeyOf, randomBytes, SECRET_KEY_BYTES } from '../crypto/index.js';
import { WaybillError } from '../errors.js';
import { keyPairFromSecretHex, type KeyPair } from './keypair.js';
import {
  checkScryptParams,
  CIPHER_NAME,
  DEFAULT_KDF,
  DERIVED_KEY_BYTES,
  KDF_NAME,
  KEYSTORE_KIND,
  KEYSTORE_VERSION,
  NONCE_BYTES,
  optionalText,
  parseKeystore,
  parseKeystoreHeader,
  SALT_BYTES,
  type Keystore,
  type KeystoreHeader,
  type ScryptParams,
} from './keystore-format.js';

export interface EncryptKeystoreOptions {
  /** Shown when choosing among keystores, such as "Dock 3 scanner". Authenticated, not secret. */
  readonly label?: string;
  /** The organization the key belongs to. Authenticated, not secret. */
  readonly org?: string;
  /** scrypt cost, each part defaulting to {@link DEFAULT_KDF}; lower N is for tests only. */
  readonly kdfParams?: Partial<ScryptParams>;
}

export interface ProgressOptions {
  /** Called with the fraction of the key derivation done, from 0 to 1. Must not throw. */
  readonly onProgress?: (fraction: number) => void;
}

export interface DecryptedKeystore extends KeyPair {
  readonly label?: string;
  readonly org?: string;
}

interface Sealing {
  readonly header: KeystoreHeader;
  readonly secret: Uint8Array;
}

/**
 * The passphrase as scrypt input. NFKC first, so "é" typed as one code point on one device and
 * as e + accent on another still opens the file.
 */
function passphraseBytes(passphrase: unknown): Uint8Array {
  if (typeof passphrase !== 'string') {
    throw new WaybillError('KEYSTORE_WRONG_PASSPHRASE', 'passphrase must be a string');
  }
  return utf8ToBytes(passphrase.normalize('NFKC'));
}

function scryptOptions(kdf: KeystoreHeader['kdf'], progress?: ProgressOptions): ScryptOpts {
  const { N, r, p } = kdf;
  return {
    N,
    r,
    p,
    dkLen: DERIVED_KEY_BYTES,
    // Exactly what noble allocates; checkScryptParams has already bounded it.
    maxmem: 128 * r * (N + p + 1),
    ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
  };
}

function prepare(secretKeyHex: string, options: EncryptKeystoreOptions): Sealing {
  const pair = keyPairFromSecretHex(secretKeyHex);
  const { N, r, p } = checkScryptParams({ ...DEFAULT_KDF, ...options.kdfParams });
  const label = optionalText(options.label, '$.label');
  const org = optionalText(options.org, '$.org');
  const header: KeystoreHeader = {
    version: KEYSTORE_VERSION,
    kind: KEYSTORE_KIND,
    publicKey: pair.publicKey,
    ...(label === undefined ? {} : { label }),
    ...(org === undefined ? {} : { org }),
    kdf: {
      name: KDF_NAME,
      N,
      r,
      p,
      dkLen: DERIVED_KEY_BYTES,
      salt: bytesToHex(randomBytes(SALT_BYTES)),
    },
    cipher: { name: CIPHER_NAME, nonce: bytesToHex(randomBytes(NONCE_BYTES)) },
  };
  // Never write a file that decryption would refuse.
  parseKeystoreHeader(header);
  return { header, secret: hexToBytes(pair.secretKey, SECRET_KEY_BYTES, 'secret key') };
}

function checkNewPassphrase(passphrase: string): Uint8Array {
  const bytes = passphraseBytes(passphrase);
  if (bytes.length === 0) {
    throw new WaybillError('KEYSTORE_INVALID', 'passphrase must not be empty', {
      field: 'passphrase',
    });
  }
  return bytes;
}

function seal({ header, secret }: Sealing, key: Uint8Array): Keystore {
  try {
    const nonce = hexToBytes(header.cipher.nonce, NONCE_BYTES, 'nonce');
    const ciphertext = xchacha20poly1305(key, nonce, canonicalBytes(header)).encrypt(secret);
    return { ...header, ciphertext: bytesToHex(ciphertext) };
  } finally {
    // Best effort: JS strings holding the hex cannot be wiped, but these buffers can.
    key.fill(0);
    secret.fill(0);
  }
}

function open(file: Keystore, key: Uint8Array): DecryptedKeystore {
  const { ciphertext, ...header } = file;
  let secret: Uint8Array;
  try {
    const nonce = hexToBytes(header.cipher.nonce, NONCE_BYTES, 'nonce');
    secret = xchacha20poly1305(key, nonce, canonicalBytes(header)).decrypt(hexToBytes(ciphertext));
  } catch {
    // The tag cannot tell a wrong passphrase from an edited header or ciphertext.
    throw new WaybillError(
      'KEYSTORE_WRONG_PASSPHRASE',
      'wrong passphrase, or the keystore file has been modified',
    );
  } finally {
    key.fill(0);
  }
  try {
    const publicKey = bytesToHex(publicKeyOf(secret));
    // Only a file sealed by someone who knew the passphrase can get here with a wrong key, but
    // then the file lies about whose key it holds, and the UI would show the wrong identity.
    if (publicKey !== file.publicKey) {
      throw new WaybillError(
        'KEYSTORE_INVALID',
        'keystore $.publicKey does not belong to the encrypted secret key',
        { path: '$.publicKey' },
      );
    }
    return {
      secretKey: bytesToHex(secret),
      publicKey,
      ...(file.label === undefined ? {} : { label: file.label }),
      ...(file.org === undefined ? {} : { org: file.org }),
    };
  } finally {
    secret.fill(0);
  }
}

/**
 * Encrypts a secret key (64 hex characters) under `passphrase`. Blocks for the whole scrypt run
 * (about a second at the default cost); in a browser prefer {@link encryptKeystoreAsync}.
 */
export function encryptKeystore(
  secretKeyHex: string,
  passphrase: string,
  options: EncryptKeystoreOptions = {},
): Keystore {
  const sealing = prepare(secretKeyHex, options);
  const password = checkNewPassphrase(passphrase);
  const salt = hexToBytes(sealing.header.kdf.salt, SALT_BYTES, 'salt');
  try {
    return seal(sealing, scrypt(password, salt, scryptOptions(sealing.header.kdf)));
  } finally {
    password.fill(0);
  }
}

/** {@link encryptKeystore} without blocking the event loop, reporting scrypt's progress. */
export async function encryptKeystoreAsync(
  secretKeyHex: string,
  passphrase: string,
  options: EncryptKeystoreOptions & ProgressOptions = {},
): Promise<Keystore> {
  const sealing = prepare(secretKeyHex, options);
  const password = checkNewPassphrase(passphrase);
  const salt = hexToBytes(sealing.header.kdf.salt, SALT_BYTES, 'salt');
  try {
    return seal(
      sealing,
      await scryptAsync(password, salt, scryptOptions(sealing.header.kdf, options)),
    );
  } finally {
    password.fill(0);
  }
}

/**
 * Decrypts an untrusted keystore (such as `JSON.parse` of an uploaded file). Throws
 * KEYSTORE_INVALID with `details.path` for a malformed file (checked before scrypt runs) and
 * KEYSTORE_WRONG_PASSPHRASE when the passphrase is wrong or the file was tampered with.
 */
export function decryptKeystore(keystore: unknown, passphrase: string): DecryptedKeystore {
  const file = parseKeystore(keystore);
  const password = passphraseBytes(passphrase);
  const salt = hexToBytes(file.kdf.salt, SALT_BYTES, 'salt');
  try {
    return open(file, scrypt(password, salt, scryptOptions(file.kdf)));
  } finally {
    password.fill(0);
  }
}

/** {@link decryptKeystore} without blocking the event loop, reporting scrypt's progress. */
export async function decryptKeystoreAsync(
  keystore: unknown,
  passphrase: string,
  options: ProgressOptions = {},
): Promise<DecryptedKeystore> {
  const file = parseKeystore(keystore);
  const password = passphraseBytes(passphrase);
  const salt = hexToBytes(file.kdf.salt, SALT_BYTES, 'salt');
  try {
    return open(file, await scryptAsync(password, salt, scryptOptions(file.kdf, options)));
  } finally {
    password.fill(0);
  }
}
