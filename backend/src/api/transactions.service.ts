/** Transaction status across mempool and chain, and waiting for finality. */
import { Injectable } from '@nestjs/common';
import { ChainService, type StoredTx } from '../chain/chain.service.js';
import { MempoolService, type AdmitManyResult } from '../mempool/mempool.service.js';
import { TxStatus, type TransactionModel } from './models.js';

/**
 * How long a client's submission from a key this node does not know waits for the node's next
 * blocks before the refusal stands.
 */
const CATCH_UP_MS = 3_000;

@Injectable()
export class TransactionsService {
  constructor(
    private readonly chain: ChainService,
    private readonly mempool: MempoolService,
  ) {}

  async describe(hash: string): Promise<TransactionModel | undefined> {
    // The pool first: a block that takes a transaction out of the pool is stored before it does,
    // so one that left the pool before this line is found in the chain below. Asked after the
    // chain, the pool could have lost it to a block stored between the two, and a final
    // transaction read as unknown (waitFinal answered PENDING at once).
    const pooled = this.mempool.status(hash);
    const stored = await this.chain.tx(hash);
    if (stored) return this.final(stored);
    // Refused by a final block: as final as an applied transaction, and never included later.
    const refusal = await this.chain.refusal(hash);
    if (refusal) {
      return {
        hash,
        status: TxStatus.REJECTED,
        code: refusal.code,
        message: refusal.message,
        ...(refusal.path !== undefined && { path: refusal.path }),
        type: refusal.tx.type,
        signer: refusal.tx.signer,
        tx: refusal.tx,
        height: refusal.height,
      };
    }
    if (pooled?.status === 'PENDING') return { hash, status: TxStatus.PENDING };
    if (pooled?.status === 'REJECTED') {
      return {
        hash,
        status: TxStatus.REJECTED,
        code: pooled.code,
        message: pooled.message,
        ...(pooled.path !== undefined && { path: pooled.path }),
        ...(pooled.height !== undefined && { height: pooled.height }),
      };
    }
    return undefined;
  }

  async final(stored: StoredTx): Promise<TransactionModel> {
    const [model] = await this.finalMany([stored]);
    return model as TransactionModel;
  }

  /** Final transactions as the API shows them, with one lookup for all their blocks' hashes. */
  async finalMany(stored: readonly StoredTx[]): Promise<TransactionModel[]> {
    const blockHashes = await this.chain.blockHashesAt(stored.map((tx) => tx.height));
    return stored.map((tx) => finalTransaction(tx, blockHashes.get(tx.height)));
  }

  /**
   * Admits transactions a client submitted (`MempoolService.admitMany`), allowing for this node
   * being a block behind: a client told FINAL by one node may send the first transaction of a key
   * that block registered to another node that has not applied it yet (it may be more than one
   * block behind). Refusals for an unknown signer are tried again after each block this node
   * stores, for up to CATCH_UP_MS. Gossip does not wait: every node refuses keys it does not know
   * at once (floods).
   */
  async admit(values: readonly unknown[]): Promise<AdmitManyResult[]> {
    const results = await this.mempool.admitMany(values);
    const deadline = Date.now() + CATCH_UP_MS;
    for (;;) {
      const unknown = results.filter((r) => r.status === 'REJECTED' && r.code === 'UNKNOWN_SIGNER');
      const left = deadline - Date.now();
      if (unknown.length === 0 || left <= 0) return results;
      await this.nextBlock(left);
      const again = await this.mempool.admitMany(unknown.map((r) => values[r.index]));
      for (const [i, retried] of again.entries()) {
        const index = (unknown[i] as AdmitManyResult).index;
        results[index] = { ...retried, index };
      }
    }
  }

  /** Resolves when this node stores its next block, or after `timeoutMs`. */
  private nextBlock(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const off = this.chain.onFinalized(done);
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  /** Resolves once the transaction is final or rejected, or after `timeoutMs` with its status then. */
  async waitSettled(hash: string, timeoutMs: number): Promise<TransactionModel | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.describe(hash);
      if (current?.status !== TxStatus.PENDING || Date.now() >= deadline) return current;
      await this.nextBlock(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }
}

/** A transaction stored in a final block, as the API shows it. */
export function finalTransaction(
  stored: StoredTx,
  blockHash: string | undefined,
): TransactionModel {
  return {
    hash: stored.hash,
    status: TxStatus.FINAL,
    type: stored.tx.type,
    signer: stored.tx.signer,
    tx: stored.tx,
    height: stored.height,
    position: stored.position,
    ...(blockHash !== undefined && { blockHash }),
  };
}
