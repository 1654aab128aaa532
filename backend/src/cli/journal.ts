/**
 * What the importers (`waybill import epcis`, `waybill import csv`) share so that an interrupted
 * import can run again without landing anything twice: a journal beside the file of what landed,
 * nonces derived from content (the same input signs to the same transaction, so a resubmission
 * is a DUPLICATE), and waiting for a transaction an earlier run left pending.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { WaybillClient } from '@waybill/shared/client';

export interface Journal {
  /** SHA-256 of the file: a journal of another file's content is not used. */
  digest: string;
  chainId: string;
  /** What landed (an event hash, a CSV transaction's content key) → the transaction's hash. */
  landed: Record<string, string>;
}

/** The same content mapped the same way signs to the same transaction. */
export function nonceFor(contentKey: string): string {
  return createHash('sha256').update(contentKey).digest('hex').slice(0, 32);
}

export function fileDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function loadJournal(file: string, digest: string, chainId: string): Journal {
  if (existsSync(file)) {
    try {
      const journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
      if (journal.digest === digest && journal.chainId === chainId) return journal;
    } catch {
      // A damaged journal is only a cache: the chain is asked about everything anyway.
    }
  }
  return { digest, chainId, landed: {} };
}

export function saveJournal(file: string, journal: Journal): void {
  // Written aside and renamed, so an interruption never leaves half a journal.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(journal)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Waits (a minute at most) until a pending transaction is final or refused. */
export async function settledOnChain(client: WaybillClient, hash: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = (await client.transaction(hash))?.status;
    if (status !== 'PENDING') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
