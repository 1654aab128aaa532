/**
 * A client's submission from a key registered in a block this node has not applied yet: tried
 * again after the node's next block instead of refused for good; and a transaction's status read
 * while a block takes it out of the pool.
 */
import { TEST_GTINS, TestChain, testKey } from '@waybill/shared/testing';
import { txHash } from '@waybill/shared/tx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransactionsService } from '../src/api/transactions.service.js';
import type { BlockListener, ChainService } from '../src/chain/chain.service.js';
import { MempoolService } from '../src/mempool/mempool.service.js';

const acme = testKey('acme-admin');

/** The chain as far as admission sees it: whether the key is registered, and block listeners. */
function node() {
  const chain = new TestChain();
  let registered = false;
  const listeners = new Set<BlockListener>();
  const mempool = new MempoolService({
    chainId: chain.chainId,
    maxSize: 10,
    signerProblem: () =>
      Promise.resolve(
        registered
          ? undefined
          : { code: 'UNKNOWN_SIGNER', message: 'not registered', path: '$.signer' },
      ),
  });
  const chainService = {
    onFinalized(listener: BlockListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ChainService;
  const transactions = new TransactionsService(chainService, mempool);
  const tx = chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, acme);
  const applyBlock = (registers: boolean) => {
    registered ||= registers;
    for (const listener of [...listeners]) listener({} as never, 0);
  };
  return { transactions, tx, applyBlock, mempool };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TransactionsService.admit', () => {
  it('admits the key once the block that registers it is applied here', async () => {
    const { transactions, tx, applyBlock, mempool } = node();
    const admission = transactions.admit([tx]);
    await vi.waitFor(() => {
      expect(mempool.rejectedTotal.get('UNKNOWN_SIGNER')).toBe(1);
    });
    applyBlock(true);
    await expect(admission).resolves.toEqual([{ index: 0, hash: txHash(tx), status: 'PENDING' }]);
  });

  it('keeps trying after each block while this node is more than one block behind', async () => {
    const { transactions, tx, applyBlock, mempool } = node();
    const admission = transactions.admit([tx]);
    await vi.waitFor(() => {
      expect(mempool.rejectedTotal.get('UNKNOWN_SIGNER')).toBe(1);
    });
    applyBlock(false);
    await vi.waitFor(() => {
      expect(mempool.rejectedTotal.get('UNKNOWN_SIGNER')).toBe(2);
    });
    applyBlock(true);
    await expect(admission).resolves.toEqual([{ index: 0, hash: txHash(tx), status: 'PENDING' }]);
  });

  it('refuses a key no block registers within the catch-up time', async () => {
    // Only the catch-up wait's timer and clock are faked: signatures are checked on the thread pool.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { transactions, tx, mempool } = node();
    const admission = transactions.admit([tx]);
    while (mempool.rejectedTotal.get('UNKNOWN_SIGNER') !== 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(admission).resolves.toMatchObject([
      { index: 0, status: 'REJECTED', code: 'UNKNOWN_SIGNER' },
    ]);
  });
});

describe('TransactionsService.describe', () => {
  it('says PENDING, not unknown, when a block takes the transaction while the chain is asked', async () => {
    const chain = new TestChain();
    const mempool = new MempoolService({ chainId: chain.chainId, maxSize: 10 });
    const tx = chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, acme);
    const hash = txHash(tx);
    await expect(mempool.admitMany([tx])).resolves.toMatchObject([{ status: 'PENDING' }]);
    // The lookup reads the database as it was before the block; the block is stored and its
    // transactions leave the pool before the lookup answers.
    const chainService = {
      tx: () => {
        mempool.remove([hash]);
        return Promise.resolve(undefined);
      },
      refusal: () => Promise.resolve(undefined),
    } as unknown as ChainService;
    const transactions = new TransactionsService(chainService, mempool);
    await expect(transactions.describe(hash)).resolves.toEqual({ hash, status: 'PENDING' });
  });
});
