/**
 * Recorded refusals (protocol.md, "Blocks"): a proposer judges what it refuses on the state the
 * whole block leaves, exactly as validators judge the refusals a block records; a refusal's item
 * in the txRoot is its own hash, so a transaction's inclusion proof proves it applied.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  blockHash,
  createCommitCertificate,
  proposerFor,
  refusalHash,
  signVote,
  txRootOf,
  validatorsHash,
  type BlockHeader,
} from '../src/block/index.js';
import { verifyChain, type ChainBlock } from '../src/chain/index.js';
import { canonicalize } from '../src/encoding/index.js';
import { itemEpc } from '../src/gs1/index.js';
import { inclusionProofs, merkleRoot, verifyInclusion } from '../src/merkle/index.js';
import { executeTxs, isRecordedRefusal, stateRootFrom } from '../src/state/index.js';
import { registerParticipants, TEST_GTINS, TestChain } from '../src/testing/index.js';
import { txHash, type SignedTx } from '../src/tx/index.js';

const EVENT_TIME = '2026-11-23T12:00:00.000+00:00';

async function fixture() {
  const chain = new TestChain();
  const keys = await registerParticipants(chain);
  await chain.commit([
    chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, keys.admin.acme),
  ]);
  const commission = (serial: string) =>
    chain.sign(
      'product.commission',
      { gtin: TEST_GTINS.milk, serials: [serial], eventTime: EVENT_TIME },
      keys.staff.acme,
    ) as SignedTx;
  const observe = (serial: string) =>
    chain.sign(
      'event.observe',
      { epcs: [itemEpc(TEST_GTINS.milk, serial)], eventTime: EVENT_TIME },
      keys.staff.acme,
    ) as SignedTx;
  const options = {
    chainId: chain.chainId,
    height: chain.height + 1,
    timestamp: chain.nextTimestamp(),
    prevStateRoot: chain.headHeader.stateRoot,
  };
  return { chain, commission, observe, options };
}

describe('a proposer settling what it refused', () => {
  it('records what the block leaves refused and defers what the block itself makes valid', async () => {
    const { chain, commission, observe, options } = await fixture();
    // Observing S1 before the block commissions it fails where it stands, not after the block.
    const txs = [observe('S1'), commission('S1'), observe('S404')];
    const plain = await executeTxs(chain.state, txs, options);
    expect(plain.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'NOT_FOUND'],
      [2, 'NOT_FOUND'],
    ]);
    const settled = await executeTxs(chain.state, txs, { ...options, settleRejected: true });
    expect(settled.deferred).toEqual([0]);
    expect(settled.rejected.map((r) => [r.index, r.code])).toEqual([[2, 'NOT_FOUND']]);
    // Refused transactions write nothing, so the applied part is the same either way.
    expect(settled.stateRoot).toBe(plain.stateRoot);
    expect(settled.applied).toEqual(plain.applied);
  });

  it('lets a validator judge recorded refusals on the state the block leaves', async () => {
    const { chain, commission, observe, options } = await fixture();
    const refused = [observe('S404'), observe('S1')];
    const block = [commission('S1')];
    const execution = await executeTxs(chain.state, block, { ...options, refused });
    expect(execution.rejected).toEqual([]);
    expect(execution.refusals[0]).toMatchObject({ ok: false, code: 'NOT_FOUND', index: 0 });
    // A claimed refusal of a transaction that applies on that state is a false claim.
    expect(execution.refusals[1]).toMatchObject({ ok: true });
    // Judging refusals changes nothing the block applies.
    const alone = await executeTxs(chain.state, block, options);
    expect(execution.stateRoot).toBe(alone.stateRoot);
  });

  it('records only refusals that depend on state, never a duplicate or an unknown key', () => {
    for (const code of ['NOT_FOUND', 'NOT_CUSTODIAN', 'NOT_AUTHORIZED', 'TRANSFER_PENDING'])
      expect(isRecordedRefusal(code)).toBe(true);
    for (const code of ['DUPLICATE', 'UNKNOWN_SIGNER', 'KEY_REVOKED', 'BAD_SIGNATURE', 'NOPE'])
      expect(isRecordedRefusal(code)).toBe(false);
  });
});

describe('the txRoot with refusals', () => {
  const a = 'aa'.repeat(32);
  const b = 'bb'.repeat(32);
  const refusal = { hash: b, code: 'NOT_FOUND' };

  it('hashes a refusal as sha256("waybill/refusal/v1" || 0x00 || JCS({ code, tx }))', () => {
    const bytes = Buffer.concat([
      Buffer.from('waybill/refusal/v1'),
      Buffer.from([0]),
      Buffer.from(canonicalize({ tx: b, code: 'NOT_FOUND' })),
    ]);
    expect(refusalHash(refusal)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('is the plain Merkle root without refusals, and the refusals follow the transactions', () => {
    expect(txRootOf([a, b])).toBe(merkleRoot([a, b]));
    expect(txRootOf([a], [refusal])).toBe(merkleRoot([a, refusalHash(refusal)]));
  });

  it('gives no inclusion proof of a refused hash as if it had applied', () => {
    const root = txRootOf([a], [refusal]);
    const proofs = inclusionProofs([a, refusalHash(refusal)]);
    expect(verifyInclusion(a, proofs[0]!, root)).toBe(true);
    expect(verifyInclusion(b, proofs[1]!, root)).toBe(false);
    expect(verifyInclusion(refusalHash(refusal), proofs[1]!, root)).toBe(true);
  });
});

describe('verifyChain with recorded refusals', () => {
  /** The chain's blocks as a store hands them to verifyChain. */
  const stored = (chain: TestChain): ChainBlock[] =>
    chain.blocks.map(({ block, hash }) => ({
      header: block.header,
      commit: block.commit,
      txs: block.txs,
      ...(block.refused && { refused: block.refused }),
      hash,
    }));

  /** A block certified by every authority, whatever it claims (a quorum that lies). */
  const certified = (chain: TestChain, refused: { tx: SignedTx; code: string }[]): ChainBlock => {
    const parent = chain.headHeader;
    const validators = chain.currentValidators();
    const header: BlockHeader = {
      chainId: chain.chainId,
      height: parent.height + 1,
      round: 0,
      timestamp: chain.nextTimestamp(),
      prevHash: blockHash(parent),
      txRoot: txRootOf(
        [],
        refused.map((r) => ({ hash: txHash(r.tx), code: r.code })),
      ),
      stateRoot: stateRootFrom(parent.stateRoot, merkleRoot([])),
      validatorsHash: validatorsHash(validators),
      proposer: proposerFor({ validators, height: parent.height + 1, round: 0 }),
    };
    const hash = blockHash(header);
    const votes = chain.authorityKeys.map((k) =>
      signVote(
        {
          type: 'precommit',
          chainId: chain.chainId,
          height: header.height,
          round: 0,
          blockHash: hash,
          validator: k.publicKey,
        },
        k.secretKey,
      ),
    );
    const commit = createCommitCertificate({
      chainId: chain.chainId,
      height: header.height,
      round: 0,
      blockHash: hash,
      votes,
      validators,
    });
    return { header, commit, txs: [], refused, hash };
  };

  it('accepts a block that records a refusal, and refuses the same transaction later', async () => {
    const { chain, observe } = await fixture();
    const refusedTx = observe('S404');
    const block = await chain.commit([refusedTx]);
    expect(block.block.refused).toEqual([{ tx: refusedTx, code: 'NOT_FOUND' }]);
    expect(block.block.txs).toEqual([]);
    expect(await verifyChain({ genesis: chain.genesis, blocks: stored(chain) })).toMatchObject({
      ok: true,
    });
    // Its hash is on chain: a later block may neither apply nor refuse it again.
    const again = await executeTxs(chain.state, [refusedTx], {
      chainId: chain.chainId,
      height: chain.height + 1,
      timestamp: chain.nextTimestamp(),
      prevStateRoot: chain.headHeader.stateRoot,
    });
    expect(again.rejected[0]?.code).toBe('DUPLICATE');
  });

  it('finds a certified block whose refusal the state machine does not confirm', async () => {
    const { chain, commission } = await fixture();
    const blocks = stored(chain);
    const lie = certified(chain, [{ tx: commission('S1'), code: 'NOT_FOUND' }]);
    expect(await verifyChain({ genesis: chain.genesis, blocks: [...blocks, lie] })).toMatchObject({
      ok: false,
      height: chain.height + 1,
      reason: expect.stringMatching(/claims NOT_FOUND, but the state machine applies it/),
    });
    const unrecordable = certified(chain, [{ tx: commission('S2'), code: 'UNKNOWN_SIGNER' }]);
    expect(
      await verifyChain({ genesis: chain.genesis, blocks: [...blocks, unrecordable] }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/does not record UNKNOWN_SIGNER/) });
  });
});
