import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type ChainBlock } from '../src/chain/index.js';
import { registerParticipants, TEST_GTINS, TestChain } from '../src/testing/index.js';

let chain: TestChain;
let blocks: ChainBlock[];

beforeAll(async () => {
  chain = new TestChain({ authorities: 4 });
  const p = await registerParticipants(chain);
  await chain.submit('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, p.staff.acme);
  await chain.submit(
    'product.commission',
    { gtin: TEST_GTINS.milk, serials: ['V1', 'V2'], eventTime: chain.nextTimestamp() },
    p.staff.acme,
  );
  await chain.commit([]);
  blocks = chain.blocks.map(({ block, hash, execution }) => ({
    header: block.header,
    commit: block.commit,
    txs: block.txs,
    hash,
    txHashes: execution.applied.map((a) => a.hash),
  }));
});

const clone = () => structuredClone(blocks);

describe('verifyChain', () => {
  it('accepts the chain as built, reporting progress', async () => {
    const seen: number[] = [];
    const verdict = await verifyChain({
      genesis: chain.genesis,
      blocks,
      onProgress: (h) => seen.push(h),
    });
    expect(verdict).toEqual({ ok: true, height: chain.height, txs: 12 });
    expect(seen).toEqual(blocks.map((b) => b.header.height));
  });

  it('names the first bad height: an altered transaction', async () => {
    const tampered = clone();
    const tx = tampered[1]!.txs[0] as { payload: { name: string } };
    tx.payload.name = 'Poison';
    expect(await verifyChain({ genesis: chain.genesis, blocks: tampered })).toMatchObject({
      ok: false,
      height: 2,
      reason: expect.stringMatching(/altered/),
    });
    delete tampered[1]!.txHashes;
    expect(await verifyChain({ genesis: chain.genesis, blocks: tampered })).toMatchObject({
      ok: false,
      height: 2,
      reason: expect.stringMatching(/txRoot/i),
    });
  });

  it('names the first bad height: a header, a certificate, a missing block, bad bytes', async () => {
    const header = clone();
    (header[1]!.header as { timestamp: string }).timestamp = '2026-11-23T12:00:01.500Z';
    expect(await verifyChain({ genesis: chain.genesis, blocks: header })).toMatchObject({
      ok: false,
      height: 2,
    });
    const certificate = clone();
    (certificate[3]!.commit as { signatures: unknown[] }).signatures =
      certificate[3]!.commit.signatures.slice(0, 1);
    expect(await verifyChain({ genesis: chain.genesis, blocks: certificate })).toMatchObject({
      ok: false,
      height: 4,
      reason: expect.stringMatching(/certificate/),
    });
    const missing = clone();
    missing.splice(1, 1);
    expect(await verifyChain({ genesis: chain.genesis, blocks: missing })).toMatchObject({
      ok: false,
      height: 3,
    });
    const undecodable = clone();
    undecodable[2]!.txs[0] = { junk: true };
    expect(await verifyChain({ genesis: chain.genesis, blocks: undecodable })).toMatchObject({
      ok: false,
      height: 3,
      reason: expect.stringMatching(/decode/),
    });
    const wrongHash = clone();
    wrongHash[0]!.hash = '00'.repeat(32);
    expect(await verifyChain({ genesis: chain.genesis, blocks: wrongHash })).toMatchObject({
      ok: false,
      height: 1,
      reason: expect.stringMatching(/recorded hash/),
    });
  });
});
