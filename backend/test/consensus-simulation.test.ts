/**
 * Safety and liveness of the Tendermint engine over thousands of seeded simulated networks.
 * Replay one run with WAYBILL_SIM_SEED=<seed> (and the same WAYBILL_SIM_SCENARIO); scale the
 * number of runs with WAYBILL_SIM_RUNS.
 */
import { describe, expect, it } from 'vitest';
import { simulate, type SimOptions } from './consensus/simulation.js';

const RUNS = Number(process.env.WAYBILL_SIM_RUNS ?? '1');
const ONLY_SEED = process.env.WAYBILL_SIM_SEED;
const ONLY_SCENARIO = process.env.WAYBILL_SIM_SCENARIO;

const TIMEOUTS = { propose: 60, prevote: 30, precommit: 30, delta: 30 };

function base(seed: number, validators: number): SimOptions {
  return {
    seed,
    validators,
    crashed: 0,
    byzantine: 0,
    targetHeight: 4,
    gstMs: 1500,
    chaos: { drop: 0.3, duplicate: 0.2, maxDelayMs: 400 },
    calmDelayMs: 20,
    livenessBudgetMs: 60_000,
    timeouts: TIMEOUTS,
  };
}

interface Scenario {
  readonly name: string;
  readonly runs: number;
  readonly options: (seed: number) => SimOptions;
}

const f = (n: number) => Math.floor((n - 1) / 3);

const SCENARIOS: Scenario[] = [
  { name: '4 honest, lossy network', runs: 600, options: (seed) => base(seed, 4) },
  {
    name: '4 with f crashed (one restarts)',
    runs: 600,
    options: (seed) => ({ ...base(seed, 4), crashed: f(4) }),
  },
  {
    name: '4 with f equivocating',
    runs: 600,
    options: (seed) => ({ ...base(seed, 4), byzantine: f(4) }),
  },
  { name: '7 honest, lossy network', runs: 250, options: (seed) => base(seed, 7) },
  {
    name: '7 with 1 crashed and 1 equivocating',
    runs: 250,
    options: (seed) => ({ ...base(seed, 7), crashed: 1, byzantine: 1 }),
  },
  {
    name: '7 with f equivocating',
    runs: 250,
    options: (seed) => ({ ...base(seed, 7), byzantine: f(7) }),
  },
  {
    name: '7 with f crashed',
    runs: 200,
    options: (seed) => ({ ...base(seed, 7), crashed: f(7) }),
  },
  { name: 'a single authority', runs: 50, options: (seed) => base(seed, 1) },
];

describe('Tendermint engine simulation', () => {
  for (const scenario of SCENARIOS) {
    if (ONLY_SCENARIO !== undefined && scenario.name !== ONLY_SCENARIO) continue;
    it(`${scenario.name}: never two certified blocks at a height, every height finalized after GST`, () => {
      const seeds =
        ONLY_SEED !== undefined
          ? [Number(ONLY_SEED)]
          : Array.from({ length: Math.round(scenario.runs * RUNS) }, (_, i) => 1000 + i);
      let evidenceRuns = 0;
      let equivocatingRuns = 0;
      for (const seed of seeds) {
        const result = simulate(scenario.options(seed));
        if (result.problems.length > 0) {
          expect.fail(
            `seed ${seed} failed (replay: WAYBILL_SIM_SEED=${seed} WAYBILL_SIM_SCENARIO="${scenario.name}"):\n  ${result.problems.join('\n  ')}`,
          );
        }
        if (result.equivocators.size > 0) equivocatingRuns++;
        if (result.evidenceAgainst.size > 0) evidenceRuns++;
      }
      if (equivocatingRuns > 0) {
        // Equivocation is seen by honest nodes in nearly every run where it happened.
        expect(evidenceRuns).toBeGreaterThan(equivocatingRuns * 0.8);
      }
    });
  }
});
