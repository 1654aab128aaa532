import { readFileSync } from 'node:fs';
import {
  generateSecretKey,
  publicKeyOf,
  randomBytes,
  sign,
  verifyStrict,
  type SignatureVerifier,
} from '@waybill/shared/crypto';
import { hexToBytes } from '@waybill/shared/encoding';
import { describe, expect, it } from 'vitest';
import {
  createFastVerifier,
  createFastVerifiers,
  ed25519KeyObject,
  fastVerifier,
  fastVerifierAsync,
} from '../src/mempool/index.js';

interface EdgeCase {
  id: string;
  comment: string;
  publicKey: string;
  message: string;
  signature: string;
  strict: boolean;
  openssl: boolean;
}
interface RfcVector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

function readVectors(name: string): unknown {
  const url = new URL(`../../shared/test/vectors/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

const edgeCases = (readVectors('ed25519-edge-cases.json') as { cases: EdgeCase[] }).cases;
const rfcVectors = (readVectors('ed25519-rfc8032.json') as { vectors: RfcVector[] }).vectors;

/** verifyStrict, counting its calls: shows which answers OpenSSL gave alone. */
function countingStrict(): { verifier: SignatureVerifier; calls: () => number } {
  let calls = 0;
  return {
    verifier: (s, m, k) => {
      calls++;
      return verifyStrict(s, m, k);
    },
    calls: () => calls,
  };
}

describe('fastVerifier', () => {
  it('reads the committed suites', () => {
    expect(edgeCases.length).toBeGreaterThanOrEqual(98);
    expect(rfcVectors.length).toBeGreaterThanOrEqual(5);
    // The suite exercises the disagreements the fallback exists for.
    expect(edgeCases.some((c) => c.strict && !c.openssl)).toBe(true);
    expect(edgeCases.some((c) => !c.strict && c.openssl)).toBe(true);
  });

  it.each(edgeCases.map((c) => [c.id, c] as const))(
    'edge case %s: gives the strict answer',
    (_id, c) => {
      const args = [
        hexToBytes(c.signature),
        hexToBytes(c.message),
        hexToBytes(c.publicKey),
      ] as const;
      expect(verifyStrict(...args)).toBe(c.strict);
      expect(fastVerifier(...args)).toBe(c.strict);
      // A fresh verifier (empty key cache) answers the same, and so does a warm one.
      const fresh = createFastVerifier();
      expect(fresh(...args)).toBe(c.strict);
      expect(fresh(...args)).toBe(c.strict);
    },
  );

  it('answers every edge case the same on the thread pool, all at once, fresh and warm', async () => {
    const args = edgeCases.map(
      (c) => [hexToBytes(c.signature), hexToBytes(c.message), hexToBytes(c.publicKey)] as const,
    );
    const expected = edgeCases.map((c) => c.strict);
    const fresh = createFastVerifiers().verifyAsync;
    await expect(Promise.all(args.map((a) => fresh(...a)))).resolves.toEqual(expected);
    await expect(Promise.all(args.map((a) => fresh(...a)))).resolves.toEqual(expected);
    await expect(Promise.all(args.map((a) => fastVerifierAsync(...a)))).resolves.toEqual(expected);
  });

  it('on the thread pool, sends honest signatures to OpenSSL only and refusals to noble too', async () => {
    const strict = countingStrict();
    const { verifyAsync } = createFastVerifiers({ fallback: strict.verifier });
    const secretKey = generateSecretKey();
    const publicKey = publicKeyOf(secretKey);
    const messages = Array.from({ length: 50 }, (_, i) => randomBytes(1 + i));
    const signatures = messages.map((m) => sign(m, secretKey));
    await expect(
      Promise.all(messages.map((m, i) => verifyAsync(signatures[i] as Uint8Array, m, publicKey))),
    ).resolves.toEqual(messages.map(() => true));
    expect(strict.calls()).toBe(0);
    const tampered = Uint8Array.from(signatures[0] as Uint8Array);
    tampered[5] = (tampered[5] ?? 0) ^ 4;
    await expect(verifyAsync(tampered, messages[0] as Uint8Array, publicKey)).resolves.toBe(false);
    expect(strict.calls()).toBe(1);
  });

  it.each(rfcVectors.map((v) => [v.name, v] as const))(
    'RFC 8032 %s: gives the strict answer, valid and tampered',
    (_name, v) => {
      const signature = hexToBytes(v.signature);
      const message = hexToBytes(v.message);
      const publicKey = hexToBytes(v.publicKey);
      expect(verifyStrict(signature, message, publicKey)).toBe(true);
      expect(fastVerifier(signature, message, publicKey)).toBe(true);
      const tampered = Uint8Array.from(message.length > 0 ? message : [0]);
      tampered[0] = (tampered[0] ?? 0) ^ 1;
      expect(fastVerifier(signature, tampered, publicKey)).toBe(
        verifyStrict(signature, tampered, publicKey),
      );
      expect(fastVerifier(signature, tampered, publicKey)).toBe(false);
    },
  );

  it('round-trips 200 random keys and messages; honest signatures never reach noble', () => {
    const strict = countingStrict();
    const verify = createFastVerifier({ fallback: strict.verifier, keyCacheSize: 50 });
    for (let i = 0; i < 200; i++) {
      const secretKey = generateSecretKey();
      const publicKey = publicKeyOf(secretKey);
      const message = randomBytes(i % 7 === 0 ? 0 : 1 + ((i * 37) % 300));
      const signature = sign(message, secretKey);
      expect(verify(signature, message, publicKey)).toBe(true);

      const badSignature = Uint8Array.from(signature);
      badSignature[i % 32] = (badSignature[i % 32] ?? 0) ^ (1 << (i % 8));
      const otherMessage = Uint8Array.from([...message, i & 0xff]);
      for (const [s, m] of [
        [badSignature, message],
        [signature, otherMessage],
      ] as const) {
        expect(verify(s, m, publicKey)).toBe(verifyStrict(s, m, publicKey));
        expect(verify(s, m, publicKey)).toBe(false);
      }
    }
    // Only the 2 × 2 × 200 refusals were re-checked with noble.
    expect(strict.calls()).toBe(800);
  });

  it('refuses wrong lengths and S >= L without any curve arithmetic', () => {
    const strict = countingStrict();
    const verify = createFastVerifier({ fallback: strict.verifier });
    const secretKey = generateSecretKey();
    const publicKey = publicKeyOf(secretKey);
    const message = randomBytes(10);
    const signature = sign(message, secretKey);
    expect(verify(signature.subarray(0, 63), message, publicKey)).toBe(false);
    expect(verify(signature, message, publicKey.subarray(0, 31))).toBe(false);
    const highS = Uint8Array.from(signature);
    highS.fill(0xff, 32);
    expect(verify(highS, message, publicKey)).toBe(false);
    expect(strict.calls()).toBe(0);
  });

  it('stays correct when the key cache overflows', () => {
    const verify = createFastVerifier({ keyCacheSize: 2 });
    const signed = Array.from({ length: 5 }, () => {
      const secretKey = generateSecretKey();
      const message = randomBytes(20);
      return { publicKey: publicKeyOf(secretKey), message, signature: sign(message, secretKey) };
    });
    for (let round = 0; round < 3; round++) {
      for (const s of signed) expect(verify(s.signature, s.message, s.publicKey)).toBe(true);
    }
    expect(() => createFastVerifier({ keyCacheSize: 0 })).toThrow(RangeError);
  });

  it('builds KeyObjects from raw keys', () => {
    const publicKey = publicKeyOf(generateSecretKey());
    const keyObject = ed25519KeyObject(publicKey);
    expect(keyObject.asymmetricKeyType).toBe('ed25519');
    const jwk = keyObject.export({ format: 'jwk' });
    expect(Buffer.from(jwk.x ?? '', 'base64url').equals(Buffer.from(publicKey))).toBe(true);
  });
});
