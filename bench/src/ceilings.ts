/**
 * What this machine allows, measured in the same run as the network figures, so each figure can
 * be read as a fraction of its ceiling:
 *
 * - Ed25519 verifications per second on one core, with the node's verifier (OpenSSL behind
 *   noble's key checks) and with noble's `verifyStrict` (what browsers run);
 * - SQLite inserts per second of event-sized rows (a hash, a height, a position and a ~700-byte
 *   JSON body, as the node stores a transaction), 2,000 per database transaction, through the
 *   same `sqlite3` driver the node uses, with the node's pragmas (WAL, synchronous NORMAL);
 * - the bound a network of `authorities` nodes can reach if each verifies every signature once
 *   and the cores are shared: cores × verifications per second ÷ authorities.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFastVerifier } from '@waybill/node/fast-verifier';
import { generateSecretKey, publicKeyOf, sign, verifyStrict } from '@waybill/shared/crypto';
import type { SignatureVerifier } from '@waybill/shared/crypto';
import sqlite3 from 'sqlite3';

export interface Ceilings {
  cores: number;
  /** Ed25519 verifications per second, one core, the node's verifier. */
  nodeVerifierPerSecond: number;
  /** Ed25519 verifications per second, one core, @noble/curves verifyStrict. */
  nobleVerifyPerSecond: number;
  /** Event-sized rows inserted per second, batched 2,000 per transaction. */
  sqliteInsertsPerSecond: number;
}

interface Signed {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

function signedMessages(n: number): Signed[] {
  const keys = Array.from({ length: 20 }, () => {
    const secretKey = generateSecretKey();
    return { secretKey, publicKey: publicKeyOf(secretKey) };
  });
  return Array.from({ length: n }, (_, i) => {
    const key = keys[i % keys.length] as (typeof keys)[number];
    // A transaction's signature covers its 32-byte hash.
    const message = globalThis.crypto.getRandomValues(new Uint8Array(32));
    return { signature: sign(message, key.secretKey), message, publicKey: key.publicKey };
  });
}

/** Verifications per second over `items`, repeated until at least `minMs` have passed. */
function verifyRate(verify: SignatureVerifier, items: readonly Signed[], minMs: number): number {
  let done = 0;
  const start = performance.now();
  do {
    for (const { signature, message, publicKey } of items) {
      if (!verify(signature, message, publicKey)) throw new Error('a valid signature was refused');
    }
    done += items.length;
  } while (performance.now() - start < minMs);
  return done / ((performance.now() - start) / 1000);
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    db.exec(sql, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Inserts `rows` event-sized rows in batches of `batch` per database transaction. */
async function sqliteRate(rows: number, batch = 2_000): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'waybill-bench-sqlite-'));
  const db = new sqlite3.Database(join(dir, 'ceiling.sqlite'));
  try {
    await exec(
      db,
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
       CREATE TABLE transactions (hash TEXT PRIMARY KEY, height INTEGER NOT NULL,
         position INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL);
       CREATE INDEX transactions_height ON transactions (height, position);`,
    );
    const body = JSON.stringify({ padding: 'x'.repeat(640) });
    const statement = db.prepare('INSERT INTO transactions VALUES (?, ?, ?, ?, ?)');
    const start = performance.now();
    for (let done = 0; done < rows; done += batch) {
      await exec(db, 'BEGIN');
      await new Promise<void>((resolve, reject) => {
        for (let i = done; i < Math.min(rows, done + batch); i++) {
          const hash = i.toString(16).padStart(64, '0');
          statement.run([hash, Math.floor(i / batch), i % batch, 'event.observe', body]);
        }
        // The driver runs statements in order: this one completes after every insert above.
        db.run('SELECT 1', (error: Error | null) => {
          if (error) reject(error);
          else resolve();
        });
      });
      await exec(db, 'COMMIT');
    }
    const seconds = (performance.now() - start) / 1000;
    await new Promise<void>((resolve) => {
      statement.finalize(() => {
        resolve();
      });
    });
    return rows / seconds;
  } finally {
    await new Promise<void>((resolve) => {
      db.close(() => {
        resolve();
      });
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measures every ceiling; `quick` shortens each measurement (noisier, same method). */
export async function measureCeilings(quick: boolean): Promise<Ceilings> {
  const items = signedMessages(400);
  const fast = createFastVerifier();
  // Warm up both (JIT, noble's precomputed tables, the key cache).
  verifyRate(verifyStrict, items.slice(0, 40), 0);
  verifyRate(fast, items, 0);
  const minMs = quick ? 400 : 2_000;
  return {
    cores: availableParallelism(),
    nodeVerifierPerSecond: verifyRate(fast, items, minMs),
    nobleVerifyPerSecond: verifyRate(verifyStrict, items.slice(0, 100), minMs),
    sqliteInsertsPerSecond: await sqliteRate(quick ? 40_000 : 200_000),
  };
}

/** cores × verifications per second ÷ authorities: every authority verifies every signature. */
export function verificationBound(ceilings: Ceilings, authorities: number): number {
  return (ceilings.cores * ceilings.nodeVerifierPerSecond) / authorities;
}
