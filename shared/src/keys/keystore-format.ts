/**
 * The encrypted keystore file: its shape, its limits and the parser that checks every field of
 * an untrusted file before any work is spent on it. A refusal is KEYSTORE_INVALID with
 * `details.path` naming the field, so the UI can say "this file's salt is damaged" rather than
 * "wrong passphrase".
 */
import { isHex } from '../encoding/index.js';
import { isValidPublicKey } from '../crypto/index.js';
import { WaybillError } from '../errors.js';

export const KEYSTORE_VERSION = 1;
export const KEYSTORE_KIND = 'waybill-keystore';
export const KDF_NAME = 'scrypt';
export const CIPHER_NAME = 'xchacha20-poly1305';

export const SALT_BYTES = 16;
/** XChaCha20's 24-byte nonce is large enough to be drawn at random with no counter to keep. */
export const NONCE_BYTES = 24;
export const DERIVED_KEY_BYTES = 32;
/** A 32-byte secret key plus the 16-byte Poly1305 tag. */
export const CIPHERTEXT_BYTES = 32 + 16;

/**
 * Default scrypt cost: N = 2^17, r = 8, p = 1 is OWASP's recommended minimum for scrypt. It takes
 * 128 MiB and about a second (noble, in Node or a browser), paid once per unlock: tolerable for a
 * warehouse worker, and every guess at a stolen file costs an attacker the same. 2^18 would need
 * 256 MiB, which low-end phones' browsers may fail to allocate.
 */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * What a file may ask for. The floor, 2^14 (scrypt's 2009 figure for interactive logins, the
 * cost tests use), refuses files whose passphrase protection is negligible; the ceilings refuse a
 * file crafted to freeze or crash the browser that opens it. Memory (128 * r * N bytes) is capped
 * at noble's own 1 GiB default.
 */
export const KDF_LIMITS = {
  minN: 2 ** 14,
  maxN: 2 ** 21,
  maxR: 16,
  maxP: 16,
  maxRTimesP: 16,
  maxMemoryBytes: 2 ** 30,
} as const;

/** Longest label or org, in UTF-16 code units: enough for a name, not for a payload. */
export const MAX_TEXT_LENGTH = 256;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export interface KeystoreKdf extends ScryptParams {
  readonly name: typeof KDF_NAME;
  readonly dkLen: typeof DERIVED_KEY_BYTES;
  /** 16 random bytes, lowercase hex. */
  readonly salt: string;
}

export interface KeystoreCipher {
  readonly name: typeof CIPHER_NAME;
  /** 24 random bytes, lowercase hex. */
  readonly nonce: string;
}

/** Everything but the ciphertext: its canonical bytes are the AEAD's associated data. */
export interface KeystoreHeader {
  readonly version: typeof KEYSTORE_VERSION;
  readonly kind: typeof KEYSTORE_KIND;
  readonly publicKey: string;
  readonly label?: string;
  readonly org?: string;
  readonly kdf: KeystoreKdf;
  readonly cipher: KeystoreCipher;
}

export interface Keystore extends KeystoreHeader {
  /** XChaCha20-Poly1305 of the 32-byte secret key: 48 bytes, lowercase hex. */
  readonly ciphertext: string;
}

const TOP_FIELDS = ['version', 'kind', 'publicKey', 'label', 'org', 'kdf', 'cipher', 'ciphertext'];
const KDF_FIELDS = ['name', 'N', 'r', 'p', 'dkLen', 'salt'];
const CIPHER_FIELDS = ['name', 'nonce'];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function invalid(path: string, what: string): never {
  throw new WaybillError('KEYSTORE_INVALID', `keystore ${path} ${what}`, { path });
}

function record(value: unknown, path: string, fields: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(path, 'must be an object');
  }
  const obj = value as Record<string, unknown>;
  // Unknown fields are refused, not ignored: nothing unauthenticated rides along in the file.
  for (const key of Object.keys(obj)) {
    if (!fields.includes(key)) invalid(`${path}.${key}`, 'is not a keystore field');
  }
  return obj;
}

function hexField(value: unknown, path: string, bytes: number): string {
  if (!isHex(value, bytes)) invalid(path, `must be ${bytes} bytes of lowercase hex`);
  return value;
}

function integerField(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** An optional short text (label, org); undefined when absent. */
export function optionalText(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT_LENGTH) {
    invalid(path, `must be a string of 1 to ${MAX_TEXT_LENGTH} characters`);
  }
  // Canonical JSON refuses lone surrogates, and the header must canonicalize to be authenticated.
  if (LONE_SURROGATE.test(value)) invalid(path, 'contains a lone surrogate');
  return value;
}

/** Checks scrypt cost parameters against {@link KDF_LIMITS}; `path` is the kdf object's path. */
export function checkScryptParams(
  params: { readonly N?: unknown; readonly r?: unknown; readonly p?: unknown },
  path = '$.kdf',
): ScryptParams {
  const N = integerField(params.N, `${path}.N`, KDF_LIMITS.minN, KDF_LIMITS.maxN);
  // A power of two is what scrypt's integerify step assumes.
  if ((N & (N - 1)) !== 0) invalid(`${path}.N`, 'must be a power of two');
  const r = integerField(params.r, `${path}.r`, 1, KDF_LIMITS.maxR);
  const p = integerField(params.p, `${path}.p`, 1, KDF_LIMITS.maxP);
  if (r * p > KDF_LIMITS.maxRTimesP)
    invalid(`${path}.p`, `times r must be at most ${KDF_LIMITS.maxRTimesP}`);
  if (128 * r * N > KDF_LIMITS.maxMemoryBytes) {
    invalid(
      `${path}.N`,
      `with r = ${r} needs more than ${KDF_LIMITS.maxMemoryBytes / 2 ** 20} MiB`,
    );
  }
  return { N, r, p };
}

/** Parses a keystore header (everything but the ciphertext), with no extra fields. */
export function parseKeystoreHeader(value: unknown, allowCiphertext = false): KeystoreHeader {
  const fields = allowCiphertext ? TOP_FIELDS : TOP_FIELDS.filter((f) => f !== 'ciphertext');
  const file = record(value, '$', fields);
  if (file.version !== KEYSTORE_VERSION) invalid('$.version', `must be ${KEYSTORE_VERSION}`);
  if (file.kind !== KEYSTORE_KIND) invalid('$.kind', `must be "${KEYSTORE_KIND}"`);
  if (!isValidPublicKey(file.publicKey)) {
    invalid('$.publicKey', 'must be a canonical Ed25519 public key (64 lowercase hex characters)');
  }
  const label = optionalText(file.label, '$.label');
  const org = optionalText(file.org, '$.org');

  const kdfObj = record(file.kdf, '$.kdf', KDF_FIELDS);
  if (kdfObj.name !== KDF_NAME) invalid('$.kdf.name', `must be "${KDF_NAME}"`);
  const { N, r, p } = checkScryptParams(kdfObj);
  if (kdfObj.dkLen !== DERIVED_KEY_BYTES) invalid('$.kdf.dkLen', `must be ${DERIVED_KEY_BYTES}`);
  const salt = hexField(kdfObj.salt, '$.kdf.salt', SALT_BYTES);

  const cipherObj = record(file.cipher, '$.cipher', CIPHER_FIELDS);
  if (cipherObj.name !== CIPHER_NAME) invalid('$.cipher.name', `must be "${CIPHER_NAME}"`);
  const nonce = hexField(cipherObj.nonce, '$.cipher.nonce', NONCE_BYTES);

  // A fresh object of known fields only: this, not the input, is what gets authenticated.
  return {
    version: KEYSTORE_VERSION,
    kind: KEYSTORE_KIND,
    publicKey: file.publicKey,
    ...(label === undefined ? {} : { label }),
    ...(org === undefined ? {} : { org }),
    kdf: { name: KDF_NAME, N, r, p, dkLen: DERIVED_KEY_BYTES, salt },
    cipher: { name: CIPHER_NAME, nonce },
  };
}

/**
 * Checks every field of an untrusted keystore (such as `JSON.parse` of an uploaded file) and
 * returns a typed copy. Throws KEYSTORE_INVALID naming the first wrong field. Cheap: no KDF runs.
 */
export function parseKeystore(value: unknown): Keystore {
  const header = parseKeystoreHeader(value, true);
  const ciphertext = hexField(
    (value as Record<string, unknown>).ciphertext,
    '$.ciphertext',
    CIPHERTEXT_BYTES,
  );
  return { ...header, ciphertext };
}
