/**
 * The workload is valid on the real state machine: every step of a journey and of a long history
 * is accepted in order by `TestChain` (the shared rules, no node), and identifiers never collide.
 */
import { executeTxs } from '@waybill/shared/state';
import { TEST_GENESIS_TIME, TestChain, testKey } from '@waybill/shared/testing';
import type { SignedTx } from '@waybill/shared/tx';
import { sign as nobleSign } from '@waybill/shared/crypto';
import { describe, expect, it } from 'vitest';
import { opensslSigner } from '../src/openssl-signer.js';
import { percentiles } from '../src/stats.js';
import {
  JOURNEY_STEPS,
  journey,
  journeyIds,
  longHistory,
  setupWaves,
  txFactory,
} from '../src/workload.js';

async function chainWithSetup(clients: number) {
  const chain = new TestChain();
  const sign = txFactory({ chainId: chain.chainId, signer: opensslSigner(), seed: 'test' });
  const authority = chain.authorityKeys[0] ?? testKey('missing');
  for (const wave of setupWaves(sign, authority, clients)) {
    const { execution } = await chain.commit(wave);
    expect(execution.rejected).toEqual([]);
  }
  return { chain, sign };
}

describe('the benchmark workload', () => {
  it('signs with OpenSSL exactly what noble signs', () => {
    const key = testKey('bench:signer');
    const message = new Uint8Array(32).fill(7);
    expect(opensslSigner()(message, key.secretKey)).toEqual(nobleSign(message, key.secretKey));
  });

  it('runs journeys step by step, many at once, with nothing refused', async () => {
    const { chain, sign } = await chainWithSetup(2);
    const start = Date.parse('2026-11-20T08:00:00Z');
    const journeys = [0, 1].flatMap((client) =>
      [0, 1, 2].map((j) => journey(sign, { tag: 0, client, journey: j }, start)),
    );
    expect(journeys.every((steps) => steps.length === JOURNEY_STEPS)).toBe(true);
    for (let step = 0; step < JOURNEY_STEPS; step++) {
      const { execution } = await chain.commit(journeys.map((steps) => steps[step] as SignedTx));
      expect(execution.rejected).toEqual([]);
    }
    expect(journeys[0]?.map((tx) => tx.type)).toEqual([
      'product.commission',
      'event.observe',
      'aggregate.pack',
      'custody.handover',
      'custody.accept',
      'event.observe',
      'custody.handover',
      'custody.accept',
    ]);
  });

  it('gives an item a 50-event history', async () => {
    const { chain, sign } = await chainWithSetup(1);
    const history = longHistory(
      sign,
      { tag: 1, client: 0, journey: 0 },
      Date.parse(TEST_GENESIS_TIME) - 86_400_000,
    );
    expect(history.txs).toHaveLength(50);
    for (const tx of history.txs) {
      const execution = await executeTxs(chain.state, [tx], {
        chainId: chain.chainId,
        height: chain.height + 1,
        timestamp: chain.nextTimestamp(),
        prevStateRoot: chain.headHeader.stateRoot,
      });
      expect(execution.rejected).toEqual([]);
      await chain.commit([tx]);
    }
  });

  it('never reuses a serial or an SSCC across tags, clients and journeys', () => {
    const serials = new Set<string>();
    const ssccs = new Set<string>();
    for (const tag of [0, 9])
      for (const client of [0, 99])
        for (const j of [0, 1, 9_999_999]) {
          const ids = journeyIds({ tag, client, journey: j });
          for (const s of ids.serials) serials.add(s);
          ssccs.add(ids.sscc);
          expect(ids.sscc).toMatch(/^\d{18}$/);
        }
    expect(serials.size).toBe(2 * 2 * 3 * 4);
    expect(ssccs.size).toBe(2 * 2 * 3);
    expect(() => journeyIds({ tag: 10, client: 0, journey: 0 })).toThrow(RangeError);
  });
});

describe('percentiles', () => {
  it('uses nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
