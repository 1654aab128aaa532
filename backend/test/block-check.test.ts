/**
 * The check of a certified block from sync (`checkCertifiedBlock`) over plain data: the state is
 * an InMemoryState behind the same `runLoaded` seam the node's SQLite state offers. Signatures are
 * verified on the thread pool while the block executes; a bad one still refuses the block.
 */
import { createGenesisHeader, blockHash, type Block } from '@waybill/shared/block';
import { InMemoryState, type StateReader } from '@waybill/shared/state';
import { registerParticipants, TestChain } from '@waybill/shared/testing';
import { txHash, type SignedTx } from '@waybill/shared/tx';
import { describe, expect, it } from 'vitest';
import type { ChainService } from '../src/chain/chain.service.js';
import { checkCertifiedBlock } from '../src/consensus/blocks.js';
import { fastVerifier, fastVerifierAsync } from '../src/mempool/index.js';

/** A replica at genesis of `source`, shaped as much of a ChainService as the block check reads. */
function replicaAtGenesis(source: TestChain): ChainService {
  const state = InMemoryState.withAuthorities(source.genesis.authorities);
  const header = createGenesisHeader(source.genesis);
  return {
    genesis: source.genesis,
    headHeader: header,
    headHash: blockHash(header),
    state: { runLoaded: <T>(run: (reader: StateReader) => Promise<T>) => run(state) },
  } as unknown as ChainService;
}

async function check(source: TestChain, block: Block, verifyAsync = true, pool: SignedTx[] = []) {
  return checkCertifiedBlock({
    chain: replicaAtGenesis(source),
    block,
    validators: source.currentValidators(),
    verifier: fastVerifier,
    ...(verifyAsync && { verifyAsync: fastVerifierAsync }),
    // This node's pool, admitted (and so verified) earlier.
    pendingBySignature: (signature) => {
      const tx = pool.find((t) => t.signature === signature);
      return tx && { tx, hash: txHash(tx) };
    },
    maxClockSkewMs: 5_000,
  });
}

/** Block 1 with transaction `index`'s signature altered (its hash, and so the txRoot, unchanged). */
function withBadSignature(block: Block, index: number): Block {
  const txs = (block.txs as SignedTx[]).map((tx, i) => {
    if (i !== index) return tx;
    const last = tx.signature.at(-1) === '0' ? '1' : '0';
    return { ...tx, signature: `${tx.signature.slice(0, -1)}${last}` };
  });
  return { ...block, txs };
}

describe('checkCertifiedBlock', () => {
  it('accepts an honest block, with signatures checked on the thread pool or on this thread', async () => {
    const source = new TestChain({ authorities: 1 });
    await registerParticipants(source);
    const block = source.blocks[0]?.block as Block;
    expect(block.txs.length).toBeGreaterThan(5);
    for (const onPool of [true, false]) {
      const checked = await check(source, block, onPool);
      expect(checked).toMatchObject({ ok: true });
      if (checked.ok) expect(checked.finalized.block.header.stateRoot).toBe(block.header.stateRoot);
    }
  });

  it('refuses a block whose certificate and state are right but one signature is not', async () => {
    const source = new TestChain({ authorities: 1 });
    await registerParticipants(source);
    const block = source.blocks[0]?.block as Block;
    const index = block.txs.length - 2;
    for (const onPool of [true, false]) {
      const checked = await check(source, withBadSignature(block, index), onPool);
      expect(checked).toEqual({
        ok: false,
        reason: `transaction ${index}: BAD_SIGNATURE: signature does not verify for the signer key over this transaction`,
      });
    }
  });

  it('takes pooled transactions as checked, but not one paired with another signature', async () => {
    const source = new TestChain({ authorities: 1 });
    await registerParticipants(source);
    const block = source.blocks[0]?.block as Block;
    const pool = block.txs as SignedTx[];
    await expect(check(source, block, true, pool)).resolves.toMatchObject({ ok: true });
    // Same transaction hash as a pooled one (the hash leaves the signature out), bad signature.
    const index = 1;
    const checked = await check(source, withBadSignature(block, index), true, pool);
    expect(checked).toMatchObject({ ok: false, reason: expect.stringContaining('BAD_SIGNATURE') });
  });
});
