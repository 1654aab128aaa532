/** The chaos run's schedule and bookkeeping, without a network. */
import { describe, expect, it } from 'vitest';
import { ClientLedger, ForkDetector, recoverySummary } from '../src/chaos/ledger.js';
import { longSchedule, PERTURBATION_KINDS, prng, shortSchedule } from '../src/chaos/schedule.js';

const AUTHORITIES = ['authority-1', 'authority-2', 'authority-3', 'authority-4'];

describe('chaos schedule', () => {
  it('injects every kind of fault once in a short run, on authorities only', () => {
    const schedule = shortSchedule(42, AUTHORITIES);
    expect(schedule.map((p) => p.kind).sort()).toEqual([...PERTURBATION_KINDS].sort());
    for (const p of schedule) {
      for (const t of p.targets) expect(AUTHORITIES).toContain(t);
      if (p.kind === 'stall') {
        expect(p.targets).toHaveLength(2);
        expect(new Set(p.targets).size).toBe(2);
      } else if (p.kind === 'restart-all') expect(p.targets).toEqual([]);
      else expect(p.targets).toHaveLength(1);
    }
  });

  it('is the same for the same seed and differs between seeds', () => {
    expect(shortSchedule(7, AUTHORITIES)).toEqual(shortSchedule(7, AUTHORITIES));
    const orders = new Set(
      [1, 2, 3, 4, 5].map((seed) =>
        shortSchedule(seed, AUTHORITIES)
          .map((p) => `${p.kind}:${p.targets.join('+')}`)
          .join(' '),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('starts a long run with every kind, then keeps going to the count', () => {
    const schedule = longSchedule(9, AUTHORITIES, 50);
    expect(schedule).toHaveLength(50);
    expect(schedule.slice(0, PERTURBATION_KINDS.length)).toEqual(shortSchedule(9, AUTHORITIES));
    expect(longSchedule(9, AUTHORITIES, 3)).toHaveLength(3);
  });

  it('draws uniformly enough from its PRNG', () => {
    const random = prng(1);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });
});

describe('chaos bookkeeping', () => {
  it('finds two hashes at one height, however they were seen', () => {
    const forks = new ForkDetector();
    forks.observe('a', 5, 'h5');
    forks.observe('b', 5, 'h5');
    forks.observe('b', 6, 'h6');
    expect(forks.forks).toEqual([]);
    forks.observe('c', 6, 'other');
    expect(forks.forks).toEqual(['height 6: b has h6, c has other']);
    expect(forks.observations).toBe(4);
    expect(forks.heights).toBe(2);
  });

  it('keeps the first outcome told and records a contradiction', () => {
    const ledger = new ClientLedger();
    ledger.tell('t1', 'FINAL', 'a');
    ledger.tell('t1', 'FINAL', 'b');
    ledger.tell('t2', 'REJECTED', 'a');
    expect(ledger.hashes('FINAL')).toEqual(['t1']);
    expect(ledger.hashes('REJECTED')).toEqual(['t2']);
    expect(ledger.contradictions).toEqual([]);
    ledger.tell('t2', 'FINAL', 'c');
    expect(ledger.contradictions).toEqual(['transaction t2: a said REJECTED, c said FINAL']);
  });

  it('summarizes recovery times', () => {
    expect(recoverySummary([])).toBeUndefined();
    expect(recoverySummary([3, 1, 2])).toEqual({ p50: 2, max: 3 });
    expect(recoverySummary([4, 1, 2, 3])).toEqual({ p50: 2, max: 4 });
  });
});
