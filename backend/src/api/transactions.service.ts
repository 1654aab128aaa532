/** Transaction status across mempool and chain, and waiting for finality. */
import { Injectable } from '@nestjs/common';
import { ChainService, type StoredTx } from '../chain/chain.service.js';
import { MempoolService } from '../mempool/mempool.service.js';
import { TxStatus, type TransactionModel } from './models.js';

@Injectable()
export class TransactionsService {
  constructor(
    private readonly chain: ChainService,
    private readonly mempool: MempoolService,
  ) {}

  async describe(hash: string): Promise<TransactionModel | undefined> {
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
    const status = this.mempool.status(hash);
    if (status?.status === 'PENDING') return { hash, status: TxStatus.PENDING };
    if (status?.status === 'REJECTED') {
      return {
        hash,
        status: TxStatus.REJECTED,
        code: status.code,
        message: status.message,
        ...(status.path !== undefined && { path: status.path }),
        ...(status.height !== undefined && { height: status.height }),
      };
    }
    return undefined;
  }

  async final(stored: StoredTx): Promise<TransactionModel> {
    const block = await this.chain.blockAt(stored.height);
    return {
      hash: stored.hash,
      status: TxStatus.FINAL,
      type: stored.tx.type,
      signer: stored.tx.signer,
      tx: stored.tx,
      height: stored.height,
      position: stored.position,
      ...(block && { blockHash: block.hash }),
    };
  }

  /** Resolves once the transaction is final or rejected, or after `timeoutMs` with its status then. */
  async waitSettled(hash: string, timeoutMs: number): Promise<TransactionModel | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.describe(hash);
      if (current?.status !== TxStatus.PENDING || Date.now() >= deadline) return current;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(250, Math.max(0, deadline - Date.now())));
        const off = this.chain.onFinalized(done);
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }
}
