import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidPublicKey } from '../src/crypto/index.js';
import { bytesToHex, canonicalBytes, hexToBytes, utf8ToBytes } from '../src/encoding/index.js';
import { WaybillError, type ErrorCode } from '../src/errors.js';
import {
  DEFAULT_KDF,
  decryptKeystore,
  decryptKeystoreAsync,
  encryptKeystore,
  encryptKeystoreAsync,
  exportSecretKeyHex,
  generateKeyPair,
  keyPairFromSecretHex,
  parseKeystore,
  type Keystore,
} from '../src/keys/index.js';

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const OTHER_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';

/** The cheapest cost decryption accepts, so the suite stays fast. */
const FAST = { N: 2 ** 14, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple';

function caught(fn: () => unknown): WaybillError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WaybillError) return error as WaybillError;
    throw error;
  }
  throw new Error('expected a WaybillError');
}

function expectCode(fn: () => unknown, code: ErrorCode, path?: string): WaybillError {
  const error = caught(fn);
  expect(error.code).toBe(code);
  if (path !== undefined) expect(error.path).toBe(path);
  return error;
}

/** A deep copy with `edit` applied, as a hostile or damaged file would arrive. */
function edited(keystore: Keystore, edit: (file: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(keystore)) as Record<string, unknown>;
  edit(copy);
  return copy;
}

function kdfOf(file: Record<string, unknown>): Record<string, unknown> {
  return file.kdf as Record<string, unknown>;
}

function cipherOf(file: Record<string, unknown>): Record<string, unknown> {
  return file.cipher as Record<string, unknown>;
}

/** Flips the lowest bit of byte `index` of a hex string. */
function flipHexByte(hex: string, index = 0): string {
  const bytes = hexToBytes(hex);
  bytes[index] = bytes[index]! ^ 1;
  return bytesToHex(bytes);
}

describe('key pairs', () => {
  it('generates distinct valid key pairs as lowercase hex', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(a.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(isValidPublicKey(a.publicKey)).toBe(true);
    expect(a.secretKey).not.toBe(b.secretKey);
    expect(keyPairFromSecretHex(a.secretKey)).toEqual(a);
  });

  it('derives the RFC 8032 public key and normalizes upper-case hex', () => {
    expect(keyPairFromSecretHex(RFC_SECRET)).toEqual({
      secretKey: RFC_SECRET,
      publicKey: RFC_PUBLIC,
    });
    expect(keyPairFromSecretHex(RFC_SECRET.toUpperCase()).secretKey).toBe(RFC_SECRET);
  });

  it.each([
    ['a number', 42, 'hex string'],
    ['bytes', new Uint8Array(32), 'bytes'],
    ['63 characters', RFC_SECRET.slice(1), 'got 63'],
    ['65 characters', `${RFC_SECRET}0`, 'got 65'],
    ['an empty string', '', 'got 0'],
    ['a non-hex character', `${RFC_SECRET.slice(0, 9)}g${RFC_SECRET.slice(10)}`, 'character 10'],
    ['whitespace', ` ${RFC_SECRET.slice(1)}`, 'character 1'],
  ])('refuses %s as a secret key, naming the problem', (_, input, mention) => {
    const error = expectCode(() => keyPairFromSecretHex(input), 'INVALID_KEY');
    expect(error.message).toContain(mention);
    if (typeof input === 'string' && input.length > 10) {
      expect(error.message).not.toContain(input);
    }
  });

  it('exports a secret key from bytes or a consistent pair only', () => {
    expect(exportSecretKeyHex(hexToBytes(RFC_SECRET))).toBe(RFC_SECRET);
    expect(exportSecretKeyHex({ secretKey: RFC_SECRET, publicKey: RFC_PUBLIC })).toBe(RFC_SECRET);
    expectCode(() => exportSecretKeyHex(new Uint8Array(31)), 'INVALID_KEY');
    expectCode(
      () => exportSecretKeyHex({ secretKey: RFC_SECRET, publicKey: OTHER_PUBLIC }),
      'INVALID_KEY',
    );
  });
});

describe('keystore', () => {
  let keystore: Keystore;

  beforeAll(() => {
    keystore = encryptKeystore(RFC_SECRET, PASSPHRASE, {
      label: 'Dock 3 scanner',
      org: 'acme-logistics',
      kdfParams: FAST,
    });
  });

  it('writes the documented format', () => {
    expect(keystore).toEqual({
      version: 1,
      kind: 'waybill-keystore',
      publicKey: RFC_PUBLIC,
      label: 'Dock 3 scanner',
      org: 'acme-logistics',
      kdf: {
        name: 'scrypt',
        N: 2 ** 14,
        r: 8,
        p: 1,
        dkLen: 32,
        salt: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      },
      cipher: {
        name: 'xchacha20-poly1305',
        nonce: expect.stringMatching(/^[0-9a-f]{48}$/) as unknown,
      },
      ciphertext: expect.stringMatching(/^[0-9a-f]{96}$/) as unknown,
    });
    expect(parseKeystore(keystore)).toEqual(keystore);
  });

  it('round-trips through JSON text', () => {
    const file: unknown = JSON.parse(JSON.stringify(keystore));
    expect(decryptKeystore(file, PASSPHRASE)).toEqual({
      secretKey: RFC_SECRET,
      publicKey: RFC_PUBLIC,
      label: 'Dock 3 scanner',
      org: 'acme-logistics',
    });
  });

  it('is what the format says: scrypt, then XChaCha20-Poly1305 with the header as AAD', () => {
    // An independent reading of the file with noble alone, as another implementation would.
    const { ciphertext, ...header } = keystore;
    const key = scrypt(utf8ToBytes(PASSPHRASE), hexToBytes(header.kdf.salt), {
      N: header.kdf.N,
      r: header.kdf.r,
      p: header.kdf.p,
      dkLen: 32,
    });
    const cipher = xchacha20poly1305(key, hexToBytes(header.cipher.nonce), canonicalBytes(header));
    expect(bytesToHex(cipher.decrypt(hexToBytes(ciphertext)))).toBe(RFC_SECRET);
  });

  it('salts and nonces every file afresh', () => {
    const again = encryptKeystore(RFC_SECRET, PASSPHRASE, { kdfParams: FAST });
    expect(again.kdf.salt).not.toBe(keystore.kdf.salt);
    expect(again.cipher.nonce).not.toBe(keystore.cipher.nonce);
    expect(again.ciphertext).not.toBe(keystore.ciphertext);
  });

  it('omits label and org when not given, and fills kdf defaults', () => {
    const plain = encryptKeystore(RFC_SECRET, PASSPHRASE, { kdfParams: { N: 2 ** 14 } });
    expect(Object.keys(plain)).not.toContain('label');
    expect(Object.keys(plain)).not.toContain('org');
    expect(plain.kdf).toMatchObject({ N: 2 ** 14, r: DEFAULT_KDF.r, p: DEFAULT_KDF.p });
    expect(decryptKeystore(plain, PASSPHRASE)).toEqual({
      secretKey: RFC_SECRET,
      publicKey: RFC_PUBLIC,
    });
  });

  it('defaults to N = 2^17, r = 8, p = 1', () => {
    expect(DEFAULT_KDF).toEqual({ N: 131072, r: 8, p: 1 });
  });

  it('treats the passphrase as NFKC, so composed and decomposed accents agree', () => {
    const file = encryptKeystore(RFC_SECRET, 'caf\u00e9', { kdfParams: FAST });
    expect(decryptKeystore(file, 'cafe\u0301').secretKey).toBe(RFC_SECRET);
  });

  it('decrypts asynchronously, reporting progress up to 1', async () => {
    const fractions: number[] = [];
    const result = await decryptKeystoreAsync(keystore, PASSPHRASE, {
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(result.secretKey).toBe(RFC_SECRET);
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    }
  });

  it('encrypts asynchronously', async () => {
    let last = 0;
    const file = await encryptKeystoreAsync(RFC_SECRET, PASSPHRASE, {
      kdfParams: FAST,
      label: 'async',
      onProgress: (fraction) => {
        last = fraction;
      },
    });
    expect(last).toBe(1);
    expect(decryptKeystore(file, PASSPHRASE)).toMatchObject({
      label: 'async',
      secretKey: RFC_SECRET,
    });
  });

  it('refuses a wrong passphrase, sync and async', async () => {
    expectCode(() => decryptKeystore(keystore, `${PASSPHRASE}!`), 'KEYSTORE_WRONG_PASSPHRASE');
    expectCode(() => decryptKeystore(keystore, ''), 'KEYSTORE_WRONG_PASSPHRASE');
    // Plain JavaScript callers can pass anything.
    expectCode(
      () => decryptKeystore(keystore, 42 as unknown as string),
      'KEYSTORE_WRONG_PASSPHRASE',
    );
    await expect(decryptKeystoreAsync(keystore, 'nope')).rejects.toMatchObject({
      code: 'KEYSTORE_WRONG_PASSPHRASE',
    });
  });

  // Each of these leaves a well-formed file, so only the AEAD tag can catch the change.
  it.each<[string, (file: Record<string, unknown>) => void]>([
    ['a ciphertext byte', (f) => (f.ciphertext = flipHexByte(f.ciphertext as string))],
    ['the tag', (f) => (f.ciphertext = flipHexByte(f.ciphertext as string, 47))],
    ['the public key (another valid key)', (f) => (f.publicKey = OTHER_PUBLIC)],
    ['the label', (f) => (f.label = 'Dock 4 scanner')],
    ['the label (removed)', (f) => delete f.label],
    ['the org', (f) => (f.org = 'evil-logistics')],
    ['the org (removed)', (f) => delete f.org],
    ['the salt', (f) => (kdfOf(f).salt = flipHexByte(kdfOf(f).salt as string))],
    ['the nonce', (f) => (cipherOf(f).nonce = flipHexByte(cipherOf(f).nonce as string))],
    ['r', (f) => (kdfOf(f).r = 4)],
  ])('detects a change to %s', (_, edit) => {
    const error = expectCode(
      () => decryptKeystore(edited(keystore, edit), PASSPHRASE),
      'KEYSTORE_WRONG_PASSPHRASE',
    );
    expect(error.message).toContain('modified');
  });

  it('refuses a file sealed with the passphrase but naming someone else’s public key', () => {
    // Only someone who knows the passphrase can build this; the header then lies about the key.
    const header = { ...keystore, publicKey: OTHER_PUBLIC } as Record<string, unknown>;
    delete header.ciphertext;
    const key = scrypt(utf8ToBytes(PASSPHRASE), hexToBytes(keystore.kdf.salt), {
      ...FAST,
      dkLen: 32,
    });
    const cipher = xchacha20poly1305(
      key,
      hexToBytes(keystore.cipher.nonce),
      canonicalBytes(header),
    );
    const forged = { ...header, ciphertext: bytesToHex(cipher.encrypt(hexToBytes(RFC_SECRET))) };
    expectCode(() => decryptKeystore(forged, PASSPHRASE), 'KEYSTORE_INVALID', '$.publicKey');
  });

  describe('malformed files name the field', () => {
    const LONG = 'x'.repeat(257);
    const cases: [string, (file: Record<string, unknown>) => void, string][] = [
      ['unknown top-level field', (f) => (f.extra = 1), '$.extra'],
      ['version 2', (f) => (f.version = 2), '$.version'],
      ['version as a string', (f) => (f.version = '1'), '$.version'],
      ['missing version', (f) => delete f.version, '$.version'],
      ['another kind', (f) => (f.kind = 'ethereum-keystore'), '$.kind'],
      ['upper-case public key', (f) => (f.publicKey = RFC_PUBLIC.toUpperCase()), '$.publicKey'],
      ['short public key', (f) => (f.publicKey = RFC_PUBLIC.slice(2)), '$.publicKey'],
      ['small-order public key', (f) => (f.publicKey = `01${'0'.repeat(62)}`), '$.publicKey'],
      ['missing public key', (f) => delete f.publicKey, '$.publicKey'],
      ['empty label', (f) => (f.label = ''), '$.label'],
      ['numeric label', (f) => (f.label = 5), '$.label'],
      ['overlong label', (f) => (f.label = LONG), '$.label'],
      ['label with a lone surrogate', (f) => (f.label = 'a\ud800'), '$.label'],
      ['null org', (f) => (f.org = null), '$.org'],
      ['missing kdf', (f) => delete f.kdf, '$.kdf'],
      ['kdf as an array', (f) => (f.kdf = []), '$.kdf'],
      ['unknown kdf field', (f) => (kdfOf(f).maxmem = 1), '$.kdf.maxmem'],
      ['another kdf', (f) => (kdfOf(f).name = 'argon2id'), '$.kdf.name'],
      ['N not a power of two', (f) => (kdfOf(f).N = 20000), '$.kdf.N'],
      ['N below 2^14', (f) => (kdfOf(f).N = 2 ** 13), '$.kdf.N'],
      ['N above 2^21', (f) => (kdfOf(f).N = 2 ** 22), '$.kdf.N'],
      ['N as a string', (f) => (kdfOf(f).N = '16384'), '$.kdf.N'],
      ['N fractional', (f) => (kdfOf(f).N = 16384.5), '$.kdf.N'],
      ['N over the memory cap with r', (f) => (kdfOf(f).N = 2 ** 21), '$.kdf.N'],
      ['r of 0', (f) => (kdfOf(f).r = 0), '$.kdf.r'],
      ['r above 16', (f) => (kdfOf(f).r = 17), '$.kdf.r'],
      ['r fractional', (f) => (kdfOf(f).r = 1.5), '$.kdf.r'],
      ['p of 0', (f) => (kdfOf(f).p = 0), '$.kdf.p'],
      ['r * p too big', (f) => (kdfOf(f).p = 3), '$.kdf.p'],
      ['dkLen 64', (f) => (kdfOf(f).dkLen = 64), '$.kdf.dkLen'],
      ['15-byte salt', (f) => (kdfOf(f).salt = (kdfOf(f).salt as string).slice(2)), '$.kdf.salt'],
      ['upper-case salt', (f) => (kdfOf(f).salt = 'AB'.repeat(16)), '$.kdf.salt'],
      ['missing salt', (f) => delete kdfOf(f).salt, '$.kdf.salt'],
      ['missing cipher', (f) => delete f.cipher, '$.cipher'],
      ['another cipher', (f) => (cipherOf(f).name = 'aes-256-gcm'), '$.cipher.name'],
      ['12-byte nonce', (f) => (cipherOf(f).nonce = '00'.repeat(12)), '$.cipher.nonce'],
      ['unknown cipher field', (f) => (cipherOf(f).tag = '00'), '$.cipher.tag'],
      ['47-byte ciphertext', (f) => (f.ciphertext = '00'.repeat(47)), '$.ciphertext'],
      ['49-byte ciphertext', (f) => (f.ciphertext = '00'.repeat(49)), '$.ciphertext'],
      [
        'odd-length ciphertext',
        (f) => (f.ciphertext = `${f.ciphertext as string}0`),
        '$.ciphertext',
      ],
      ['missing ciphertext', (f) => delete f.ciphertext, '$.ciphertext'],
    ];

    it.each(cases)('%s', (_, edit, path) => {
      const file = edited(keystore, edit);
      // parseKeystore is what decryption runs first, before any scrypt work.
      expectCode(() => parseKeystore(file), 'KEYSTORE_INVALID', path);
      expectCode(() => decryptKeystore(file, PASSPHRASE), 'KEYSTORE_INVALID', path);
    });

    it.each([null, [], 'keystore', 42])('refuses %j as a file', (value) => {
      expectCode(() => parseKeystore(value), 'KEYSTORE_INVALID', '$');
    });

    it('rejects asynchronously too', async () => {
      await expect(
        decryptKeystoreAsync(
          edited(keystore, (f) => (kdfOf(f).N = 2 ** 13)),
          PASSPHRASE,
        ),
      ).rejects.toMatchObject({ code: 'KEYSTORE_INVALID', details: { path: '$.kdf.N' } });
    });
  });

  describe('parameter limits', () => {
    it.each([
      ['the floor', { N: 2 ** 14, r: 1, p: 1 }],
      ['the N ceiling with the most r memory allows', { N: 2 ** 21, r: 4, p: 4 }],
      ['the r * p ceiling', { N: 2 ** 14, r: 16, p: 1 }],
      ['p at its ceiling', { N: 2 ** 14, r: 1, p: 16 }],
    ])('accepts %s', (_, params) => {
      const file = edited(keystore, (f) => Object.assign(kdfOf(f), params));
      expect(parseKeystore(file).kdf).toMatchObject(params);
    });

    it.each([
      [{ N: 2 ** 13 }, '$.kdf.N'],
      [{ N: 2 ** 22 }, '$.kdf.N'],
      [{ N: 3 * 2 ** 14 }, '$.kdf.N'],
      [{ r: 0 }, '$.kdf.r'],
      [{ p: 17 }, '$.kdf.p'],
      [{ r: 8, p: 4 }, '$.kdf.p'],
      [{ N: 2 ** 21, r: 8 }, '$.kdf.N'],
    ])('will not write a file it would refuse: %j', (kdfParams, path) => {
      expectCode(
        () => encryptKeystore(RFC_SECRET, PASSPHRASE, { kdfParams }),
        'KEYSTORE_INVALID',
        path,
      );
    });

    it('checks the secret key, label and passphrase it is given', () => {
      expectCode(
        () => encryptKeystore(RFC_SECRET.slice(2), PASSPHRASE, { kdfParams: FAST }),
        'INVALID_KEY',
      );
      expectCode(
        () => encryptKeystore(RFC_SECRET, PASSPHRASE, { kdfParams: FAST, label: '' }),
        'KEYSTORE_INVALID',
        '$.label',
      );
      expectCode(
        () => encryptKeystore(RFC_SECRET, PASSPHRASE, { kdfParams: FAST, org: 'x'.repeat(257) }),
        'KEYSTORE_INVALID',
        '$.org',
      );
      expectCode(() => encryptKeystore(RFC_SECRET, '', { kdfParams: FAST }), 'KEYSTORE_INVALID');
    });
  });
});
