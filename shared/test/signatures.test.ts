import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isCanonicalSignature,
  isValidPublicKey,
  isValidPublicKeyBytes,
  publicKeyOf,
  sign,
  verifyStrict,
} from '../src/crypto/index.js';
import { bytesToHex, hexToBytes } from '../src/encoding/index.js';

interface RfcVector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

interface EdgeCase {
  id: string;
  comment: string;
  publicKey: string;
  message: string;
  signature: string;
  strict: boolean;
  openssl: boolean;
}

function readVectors(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8'));
}

const RFC = (readVectors('ed25519-rfc8032.json') as { vectors: RfcVector[] }).vectors;
const EDGE = (readVectors('ed25519-edge-cases.json') as { cases: EdgeCase[] }).cases;

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The node's fast path: Node's built-in (OpenSSL) Ed25519; any throw counts as "not valid". */
function opensslVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
}

const bytes = (c: EdgeCase) => ({
  publicKey: hexToBytes(c.publicKey),
  message: hexToBytes(c.message),
  signature: hexToBytes(c.signature),
});

/** The checks the node puts in front of OpenSSL: key entry rules and byte-level S < L. */
const passesGate = (c: EdgeCase) => {
  const { publicKey, signature } = bytes(c);
  return isValidPublicKeyBytes(publicKey) && isCanonicalSignature(signature);
};

/** True when R decodes canonically to a point of the prime-order subgroup. */
function rIsTorsionFree(signature: Uint8Array): boolean {
  try {
    const R = ed25519.Point.fromBytes(signature.subarray(0, 32), false);
    return bytesToHex(R.toBytes()) === bytesToHex(signature.subarray(0, 32)) && R.isTorsionFree();
  } catch {
    return false;
  }
}

/**
 * Where strict (cofactored) and OpenSSL (cofactorless) still differ behind the gate: R carries a
 * small-order component that the cofactored equation multiplies away. Honest signers never make
 * such signatures; OpenSSL refuses them and noble accepts them.
 */
const R_TORSION_IDS = [
  'r-torsion-order-2',
  'r-torsion-order-4-a',
  'r-torsion-order-8-a',
  'r-torsion-order-8-d',
  'r-small-order-s-ka',
];

describe('RFC 8032 section 7.1 vectors', () => {
  it.each(RFC)('$name: derives the key, reproduces the signature, verifies', (v) => {
    const secret = hexToBytes(v.secretKey);
    const message = hexToBytes(v.message);
    const signature = hexToBytes(v.signature);
    expect(bytesToHex(publicKeyOf(secret))).toBe(v.publicKey);
    expect(bytesToHex(sign(message, secret))).toBe(v.signature);
    expect(verifyStrict(signature, message, hexToBytes(v.publicKey))).toBe(true);
    expect(opensslVerify(hexToBytes(v.publicKey), message, signature)).toBe(true);
    expect(isValidPublicKey(v.publicKey)).toBe(true);
    expect(isCanonicalSignature(signature)).toBe(true);
  });

  it('covers TEST 1, 2, 3, 1024 and SHA(abc)', () => {
    expect(RFC.map((v) => v.name)).toEqual([
      'TEST 1',
      'TEST 2',
      'TEST 3',
      'TEST 1024',
      'TEST SHA(abc)',
    ]);
    expect(hexToBytes(RFC[3]!.message)).toHaveLength(1023);
  });
});

describe('edge cases (test/vectors/ed25519-edge-cases.json)', () => {
  it('has unique ids and covers accepted and refused cases', () => {
    expect(new Set(EDGE.map((c) => c.id)).size).toBe(EDGE.length);
    expect(EDGE.filter((c) => c.strict).length).toBeGreaterThan(5);
    expect(EDGE.filter((c) => !c.strict).length).toBeGreaterThan(50);
  });

  it.each(EDGE)('$id: verifyStrict gives the recorded answer', (c) => {
    const { publicKey, message, signature } = bytes(c);
    expect(verifyStrict(signature, message, publicKey)).toBe(c.strict);
  });

  it.each(EDGE)('$id: this Node (OpenSSL) gives the recorded answer', (c) => {
    const { publicKey, message, signature } = bytes(c);
    expect(opensslVerify(publicKey, message, signature)).toBe(c.openssl);
  });

  describe('behind isValidPublicKey and isCanonicalSignature', () => {
    const gated = EDGE.filter(passesGate);

    it('leaves enough cases for the comparison to mean something', () => {
      expect(gated.length).toBeGreaterThanOrEqual(20);
      expect(gated.filter((c) => c.strict).length).toBeGreaterThanOrEqual(5);
    });

    it('OpenSSL accepting implies strict accepting', () => {
      const acceptedOnlyByOpenssl = gated.filter((c) => c.openssl && !c.strict).map((c) => c.id);
      expect(acceptedOnlyByOpenssl).toEqual([]);
    });

    // The fact the node's fast path depends on, stated exactly: the only disagreements left
    // behind the key and S checks are signatures whose R has a torsion component.
    it('OpenSSL and strict agree except where R has a torsion component', () => {
      const disagree = gated.filter((c) => c.openssl !== c.strict).map((c) => c.id);
      expect(disagree).toEqual(R_TORSION_IDS);
      for (const c of gated.filter((g) => R_TORSION_IDS.includes(g.id))) {
        expect(c).toMatchObject({ strict: true, openssl: false });
        expect(rIsTorsionFree(bytes(c).signature)).toBe(false);
      }
    });

    it('OpenSSL and strict agree on every case whose R is also torsion-free', () => {
      for (const c of gated.filter((g) => rIsTorsionFree(bytes(g).signature))) {
        expect({ id: c.id, openssl: c.openssl }).toEqual({ id: c.id, openssl: c.strict });
      }
    });
  });

  it('without the key check, OpenSSL accepts small-order, non-canonical and mixed keys', () => {
    const ungated = EDGE.filter((c) => c.openssl !== c.strict && !passesGate(c));
    for (const c of ungated) {
      expect(isValidPublicKey(c.publicKey)).toBe(false);
    }
    expect(ungated.some((c) => c.id.startsWith('small-order-key-'))).toBe(true);
    expect(ungated.some((c) => c.id.startsWith('non-canonical-key-'))).toBe(true);
    expect(ungated.some((c) => c.id.startsWith('mixed-order-key-'))).toBe(true);
    // Node builds the SPKI from the raw bytes and ignores what follows: length is checked first.
    expect(ungated.map((c) => c.id)).toContain('key-33-bytes');
  });
});

describe('isCanonicalSignature', () => {
  const L = ed25519.Point.Fn.ORDER;
  const withS = (s: bigint) => {
    const sig = new Uint8Array(64);
    for (let i = 0; i < 32; i++) sig[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
    return sig;
  };

  it('accepts S < L and refuses S >= L and other lengths', () => {
    expect(isCanonicalSignature(withS(0n))).toBe(true);
    expect(isCanonicalSignature(withS(L - 1n))).toBe(true);
    expect(isCanonicalSignature(withS(L))).toBe(false);
    expect(isCanonicalSignature(withS(L + 1n))).toBe(false);
    expect(isCanonicalSignature(withS((1n << 256n) - 1n))).toBe(false);
    expect(isCanonicalSignature(new Uint8Array(63))).toBe(false);
    expect(isCanonicalSignature(new Uint8Array(65))).toBe(false);
  });

  it('agrees with S < L for any 64 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (sig) => {
        let s = 0n;
        for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
        expect(isCanonicalSignature(sig)).toBe(s < L);
      }),
    );
  });
});

describe('isValidPublicKey', () => {
  const SMALL_ORDER = [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  ];

  it.each(SMALL_ORDER)('refuses the small-order point %s', (key) => {
    expect(isValidPublicKey(key)).toBe(false);
  });

  it('refuses every small-order, non-canonical and mixed-order key in the edge cases', () => {
    const keys = EDGE.filter((c) =>
      /^(small-order-key|non-canonical-key|mixed-order-key|key-)/.test(c.id),
    ).map((c) => c.publicKey);
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(isValidPublicKey(key)).toBe(false);
  });

  it('refuses upper-case hex and non-strings', () => {
    expect(isValidPublicKey(RFC[0]!.publicKey.toUpperCase())).toBe(false);
    expect(isValidPublicKey(hexToBytes(RFC[0]!.publicKey))).toBe(false);
    expect(isValidPublicKey(undefined)).toBe(false);
  });

  const secretKey = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('accepts every generated key', () => {
    fc.assert(
      fc.property(secretKey, (secret) => {
        expect(isValidPublicKey(bytesToHex(publicKeyOf(secret)))).toBe(true);
      }),
    );
  });

  it('refuses a generated key plus any small-order point', () => {
    fc.assert(
      fc.property(secretKey, fc.integer({ min: 1, max: 7 }), (secret, index) => {
        const A = ed25519.Point.fromBytes(publicKeyOf(secret));
        const T = ed25519.Point.fromBytes(hexToBytes(SMALL_ORDER[index]!));
        expect(isValidPublicKeyBytes(A.add(T).toBytes())).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('sign and verifyStrict', () => {
  const secretKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const message = fc.uint8Array({ maxLength: 512 });
  const flip = (data: Uint8Array, bit: number) => {
    const out = data.slice();
    const i = bit % (out.length * 8);
    out[i >> 3] = out[i >> 3]! ^ (1 << (i & 7));
    return out;
  };

  it('verifies what it signs, for any message', () => {
    fc.assert(
      fc.property(secretKey, message, (secret, msg) => {
        const sig = sign(msg, secret);
        expect(verifyStrict(sig, msg, publicKeyOf(secret))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses after any one bit of message, signature or key flips', () => {
    fc.assert(
      fc.property(
        secretKey,
        message.filter((m) => m.length > 0),
        fc.nat(),
        (secret, msg, bit) => {
          const sig = sign(msg, secret);
          const key = publicKeyOf(secret);
          expect(verifyStrict(sig, flip(msg, bit), key)).toBe(false);
          expect(verifyStrict(flip(sig, bit), msg, key)).toBe(false);
          expect(verifyStrict(sig, msg, flip(key, bit))).toBe(false);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('agrees with OpenSSL on honest signatures', () => {
    fc.assert(
      fc.property(secretKey, message, (secret, msg) => {
        expect(opensslVerify(publicKeyOf(secret), msg, sign(msg, secret))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
