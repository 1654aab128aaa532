/**
 * A client's submission from a key registered in a block this node has not applied yet: tried
 * again after the node's next block instead of refused for good.
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
