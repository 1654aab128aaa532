/**
 * Verifications per second of noble's `verifyStrict` against the node's `fastVerifier` (OpenSSL),
 * over pre-signed messages from a few keys (a transaction-sized message each), on one core.
 *
 * Node 20 cannot run TypeScript directly; from backend/:
 *
 *   npx tsc bench/verifiers.ts --ignoreConfig --outDir node_modules/.cache/bench --rootDir . \
 *     --module nodenext --target es2022 --types node --skipLibCheck \
 *     && node node_modules/.cache/bench/bench/verifiers.js
 *
 * Optional argument: the number of signed messages (2,000 by default).
 */
import { generateSecretKey, publicKeyOf, sign, verifyStrict } from '@waybill/shared/crypto';
import type { SignatureVerifier } from '@waybill/shared/crypto';
import { createFastVerifier } from '../src/mempool/fast-verifier.js';

interface Signed {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

const count = Number(process.argv[2] ?? 2000);
const KEYS = 20;

function signedMessages(n: number): Signed[] {
  const keys = Array.from({ length: KEYS }, () => {
    const secretKey = generateSecretKey();
    return { secretKey, publicKey: publicKeyOf(secretKey) };
  });
  return Array.from({ length: n }, (_, i) => {
    const key = keys[i % KEYS] ?? keys[0];
    if (key === undefined) throw new Error('no keys');
    // A transaction's signature covers its 32-byte hash.
    const message = new Uint8Array(32);
    globalThis.crypto.getRandomValues(message);
    return { signature: sign(message, key.secretKey), message, publicKey: key.publicKey };
  });
}

function tamper(s: Signed): Signed {
  const message = Uint8Array.from(s.message);
  message[0] = (message[0] ?? 0) ^ 1;
  return { ...s, message };
}

function measure(verify: SignatureVerifier, items: readonly Signed[], expected: boolean): number {
  const start = process.hrtime.bigint();
  for (const { signature, message, publicKey } of items) {
    if (verify(signature, message, publicKey) !== expected) {
      throw new Error(`verifier answered ${String(!expected)} where ${String(expected)} was due`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return items.length / seconds;
}

const valid = signedMessages(count);
const invalid = valid.slice(0, Math.max(1, Math.floor(count / 10))).map(tamper);

// Warm up both (JIT, noble's precomputed tables, the key caches).
const fast = createFastVerifier();
measure(verifyStrict, valid.slice(0, 50), true);
measure(fast, valid.slice(0, 200), true);

const rows: [string, number, number][] = [
  ['verifyStrict (noble)', measure(verifyStrict, valid, true), valid.length],
  ['fastVerifier (OpenSSL)', measure(fast, valid, true), valid.length],
  ['verifyStrict, bad signatures', measure(verifyStrict, invalid, false), invalid.length],
  ['fastVerifier, bad signatures', measure(fast, invalid, false), invalid.length],
];

const strictRate = rows[0]?.[1] ?? 1;
const lines = [
  `Node ${process.version}, ${count} messages from ${KEYS} keys`,
  '',
  `${'verifier'.padEnd(30)} ${'n'.padStart(6)} ${'verif./s'.padStart(10)} ${'× strict'.padStart(9)}`,
  ...rows.map(
    ([name, rate, n]) =>
      `${name.padEnd(30)} ${String(n).padStart(6)} ${Math.round(rate).toString().padStart(10)} ${(rate / strictRate).toFixed(1).padStart(9)}`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
