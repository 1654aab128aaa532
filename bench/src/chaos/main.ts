#!/usr/bin/env node
/**
 * `pnpm test:chaos`: fault injection over a real devnet under load, with the safety invariants
 * checked throughout (see run.ts). Exits 1 when a fault is not recovered from within 20 s or an
 * invariant fails; prints its seed either way.
 */
import '@waybill/node/native-hash';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killEverything } from '../network.js';
import { RECOVERY_LIMIT_MS, runChaos, type ChaosSummary } from './run.js';
import { longSchedule, shortSchedule } from './schedule.js';

const HELP = `usage: pnpm test:chaos [--long] [--seed N] [--count N] [--out DIR]

Starts a devnet of 4 authorities and an observer on 127.0.0.1 under a steady load of signed
cold-chain events, and injects faults from a seeded schedule: SIGKILL, SIGTERM and SIGSTOP of an
authority, a 10 s network partition of one, two of four stopped (the chain must stall, then
resume), a clock skewed past the allowed drift, every node restarted at once. After each fault
the network must recover within ${RECOVERY_LIMIT_MS / 1000} s; throughout and at the end: no two certified
blocks at one height, the same chain on every node, every FINAL transaction on every node,
nothing REJECTED on any.

  --long       about an hour: every fault once, then random ones (--count, default 220)
  --seed N     the schedule's seed (default: random, printed)
  --count N    faults in a --long run
  --out DIR    where the JSON summary goes (default bench/results/chaos, ignored by git)
  -h, --help   this help

The default (short) run injects each kind of fault once: a few minutes. Docs: docs/reliability.md.`;

const here = fileURLToPath(new URL('.', import.meta.url));

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} ${value}: expected a whole number`);
  return n;
}

function formatSummary(summary: ChaosSummary): string {
  const lines = [
    `chaos run (${summary.profile}), seed ${summary.seed}: ${summary.ok ? 'PASSED' : 'FAILED'}`,
    `  faults survived: ${summary.survived}/${summary.perturbations.length}` +
      (summary.recovery
        ? `; recovery p50 ${(summary.recovery.p50 / 1000).toFixed(1)} s, max ${(summary.recovery.max / 1000).toFixed(1)} s (limit ${RECOVERY_LIMIT_MS / 1000} s)`
        : ''),
    `  events final: ${summary.events.final} (${summary.events.finalPerSecond.toFixed(1)}/s), rejected ${summary.events.rejected} ${JSON.stringify(summary.events.rejectedByCode)}, given up ${summary.events.gaveUp}`,
    ...summary.events.rejectionExamples.map((r) => `    rejected: ${r}`),
    `  invariants: ${summary.invariants.filter((c) => c.ok).length}/${summary.invariants.length} held (${summary.forkChecks} fork checks during the run)`,
    ...summary.invariants.map((c) => `    ${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`),
    `  ${Math.round(summary.seconds)} s; rerun with --seed ${summary.seed}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      long: { type: 'boolean', default: false },
      seed: { type: 'string' },
      count: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    log(HELP);
    return 0;
  }
  const seed = positiveInteger(values.seed, 'seed') ?? Math.floor(Math.random() * 2 ** 31);
  const count = positiveInteger(values.count, 'count') ?? 220;
  const authorities = ['authority-1', 'authority-2', 'authority-3', 'authority-4'];
  const schedule = values.long
    ? longSchedule(seed, authorities, count)
    : shortSchedule(seed, authorities);
  const profile = values.long ? 'long' : 'short';
  log(`Waybill chaos run (${profile}), seed ${seed}: ${schedule.length} faults`);
  const summary = await runChaos({
    seed,
    profile,
    schedule,
    dir: join(tmpdir(), `waybill-chaos-${process.pid}`),
    log,
  });
  const out = resolve(values.out ?? join(here, '..', '..', 'results', 'chaos'));
  mkdirSync(out, { recursive: true });
  const file = join(out, `${summary.startedAt.slice(0, 16).replace(/[:T]/g, '-')}-${profile}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  log(`\n${formatSummary(summary)}\n  summary: ${file}`);
  return summary.ok ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killEverything();
    process.exit(130);
  });
}

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    killEverything();
    process.stderr.write(
      `\nchaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
