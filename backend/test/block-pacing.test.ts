/** The proposer's block size: what fits a share of the propose timeout at the measured pace. */
import { describe, expect, it } from 'vitest';
import { BlockPacer } from '../src/consensus/block-pacing.js';

describe('BlockPacer', () => {
  it('keeps the configured size while the node is fast', () => {
    const pacer = new BlockPacer({ maxTxs: 2000 });
    // 0.25 ms per transaction: half of 1,500 ms holds 3,000, capped at 2,000.
    expect(pacer.limit(1500)).toBe(2000);
    for (let i = 0; i < 10; i++) pacer.observe(2000, 300);
    expect(pacer.msPerTx).toBeCloseTo(0.15, 2);
    expect(pacer.limit(1500)).toBe(2000);
  });

  it('shrinks blocks when executing slows down, and a later round (longer timeout) takes more', () => {
    const pacer = new BlockPacer({ maxTxs: 2000 });
    // A loaded machine: 2,000 transactions took 4 s.
    for (let i = 0; i < 20; i++) pacer.observe(2000, 4000);
    expect(pacer.msPerTx).toBeCloseTo(2, 2);
    expect(pacer.limit(1500)).toBe(375);
    expect(pacer.limit(1500 + 2 * 500)).toBe(625);
  });

  it('grows back when the load goes away', () => {
    const pacer = new BlockPacer({ maxTxs: 2000 });
    for (let i = 0; i < 20; i++) pacer.observe(1000, 2000);
    const loaded = pacer.limit(1500);
    for (let i = 0; i < 20; i++) pacer.observe(1000, 200);
    expect(pacer.limit(1500)).toBeGreaterThan(loaded);
    expect(pacer.limit(1500)).toBe(2000);
  });

  it('moves the chain on however slow the node is, but never above the cap', () => {
    const slow = new BlockPacer({ maxTxs: 2000, minTxs: 100 });
    for (let i = 0; i < 20; i++) slow.observe(100, 10_000);
    expect(slow.limit(1500)).toBe(100);
    // A cap below the floor wins.
    expect(new BlockPacer({ maxTxs: 10, minTxs: 100 }).limit(1500)).toBe(10);
  });

  it('ignores small blocks (fixed costs) and nonsense measurements', () => {
    const pacer = new BlockPacer({ maxTxs: 2000, initialMsPerTx: 0.5 });
    pacer.observe(3, 900);
    pacer.observe(500, Number.NaN);
    pacer.observe(500, -1);
    expect(pacer.msPerTx).toBe(0.5);
    // One slow block moves the estimate part of the way, not all of it.
    pacer.observe(1000, 5000);
    expect(pacer.msPerTx).toBeCloseTo(0.3 * 5 + 0.7 * 0.5, 5);
  });
});
