#!/usr/bin/env node
/**
 * `pnpm bench`: measures a real Waybill network on this machine beside this machine's ceilings,
 * and writes the results as JSON and a Markdown table (docs/benchmarks.md explains them).
 */
import '@waybill/node/native-hash';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCeilings, verificationBound } from './ceilings.js';
import { killEverything, startNetwork } from './network.js';
import { PROFILES, type ProfileName } from './profiles.js';
import { markdownReport, type BenchResults } from './report.js';
import {
  fixedRate,
  footprint,
  maxThroughput,
  preload,
  queriesUnderLoad,
  syncFromGenesis,
} from './scenarios.js';
import { TARGETS } from './targets.js';

const HELP = `usage: pnpm bench [--quick | --smoke] [--out DIR] [--only PART,...]

Starts fresh networks of 1 and of 4 authorities (each with an observer) on 127.0.0.1, drives them
with load clients in separate processes that submit pre-signed transactions through the GraphQL
API, and prints every figure beside this machine's ceiling measured in the same run.

  --quick      about ten minutes: shorter windows, 20,000 events stored for the queries
  --smoke      a few seconds of load per part: proves the harness works (CI), no figures to read
  --out DIR    where the results go (default bench/results; --quick and --smoke: a
               subfolder of it named after the profile, which git ignores)
  --only LIST  some of: ceilings, one, four (the 1- and 4-authority networks)
  -h, --help   this help

The full run stores 1,000,000 events and takes 50 to 70 minutes on 2 cores.
Results: <out>/<date>.json and <out>/<date>.md. Method: docs/benchmarks.md.`;

const here = fileURLToPath(new URL('.', import.meta.url));

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    log(HELP);
    return;
  }
  if (values.quick && values.smoke) throw new Error('choose one of --quick and --smoke');
  const profileName: ProfileName = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const profile = PROFILES[profileName];
  const parts = new Set((values.only ?? 'ceilings,one,four').split(',').map((p) => p.trim()));
  for (const part of parts) {
    if (!['ceilings', 'one', 'four'].includes(part))
      throw new Error(`unknown part "${part}"; see --help`);
  }
  // Only full runs are kept in the repository; quick and smoke runs go to ignored folders.
  const out = resolve(
    values.out ?? join(here, '..', 'results', ...(profileName === 'full' ? [] : [profileName])),
  );
  const work = join(tmpdir(), `waybill-bench-${process.pid}`);
  const started = new Date();
  const results: BenchResults = {
    date: started.toISOString(),
    profile: profileName,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    targets: TARGETS,
  };
  log(`Waybill benchmark (${profileName}) on ${results.machine.cores} × ${results.machine.cpu}`);

  log('\n▶ ceilings');
  const ceilings = await measureCeilings(profileName !== 'full');
  results.ceilings = {
    ...ceilings,
    verificationBound1: verificationBound(ceilings, 1),
    verificationBound4: verificationBound(ceilings, 4),
  };
  log(
    `  Ed25519 verify/s on one core: ${Math.round(ceilings.nodeVerifierPerSecond)} (node), ${Math.round(ceilings.nobleVerifyPerSecond)} (noble); SQLite inserts/s: ${Math.round(ceilings.sqliteInsertsPerSecond)}`,
  );

  if (parts.has('one')) {
    log('\n▶ 1 authority + 1 observer');
    const network = await startNetwork({
      dir: join(work, 'one'),
      authorities: 1,
      observers: 1,
      clients: profile.clients,
      log,
    });
    try {
      const throughput = await maxThroughput(network, profile, 0, TARGETS.throughput1);
      log(
        `  sustained: ${Math.round(throughput.finalPerSecond)} final events/s, p50 ${Math.round(throughput.latencyMs.p50)} ms`,
      );
      const already = throughput.final;
      const loaded = await preload(
        network,
        profile,
        Math.max(0, profile.storedEvents - already),
        1,
        10,
        (done, total, rate) => {
          log(`  storing events: ${done}/${total} (${Math.round(rate)}/s)`);
        },
      );
      const stored = already + loaded.stored;
      const queries = await queriesUnderLoad(network, profile, 9, loaded.longHistoryEpcs, stored);
      log(
        `  history of ${queries.historyEvents} events with ${stored} stored: p50 ${queries.historyMs.p50.toFixed(1)} ms, p99 ${queries.historyMs.p99.toFixed(1)} ms` +
          (queries.loopDelayMs
            ? `; event-loop delay p99 ${queries.loopDelayMs.p99.toFixed(1)} ms, max ${queries.loopDelayMs.max.toFixed(1)} ms`
            : ''),
      );
      const nodes = footprint(network);
      const observer = network.devnet.nodes.find((n) => n.role === 'observer');
      const totalEvents = stored + queries.background.final;
      const sync = observer ? await syncFromGenesis(network, observer, profile.syncMs) : undefined;
      if (sync)
        log(
          `  sync from genesis: ${Math.round(sync.eventsPerSecond)} events/s (${sync.events} events, height ${sync.reached} of ${sync.height})`,
        );
      results.one = {
        throughput,
        preload: { events: loaded.stored, perSecond: loaded.perSecond },
        queries,
        sync,
        footprint: nodes,
        bytesPerEvent: (nodes[0]?.databaseBytes ?? 0) / Math.max(1, totalEvents),
      };
    } finally {
      await network.stop();
    }
  }

  if (parts.has('four')) {
    log('\n▶ 4 authorities + 1 observer');
    const network = await startNetwork({
      dir: join(work, 'four'),
      authorities: 4,
      observers: 1,
      clients: profile.clients,
      log,
    });
    try {
      const latency = [];
      for (const [i, rate] of profile.latency.rates.entries()) {
        const run = await fixedRate(network, profile, i, rate);
        log(
          `  offered ${rate}/s: final ${Math.round(run.finalPerSecond)}/s, p50 ${Math.round(run.latencyMs.p50)} ms, p99 ${Math.round(run.latencyMs.p99)} ms`,
        );
        latency.push(run);
      }
      const throughput = await maxThroughput(network, profile, 8, TARGETS.throughput4);
      log(`  sustained: ${Math.round(throughput.finalPerSecond)} final events/s`);
      results.four = { latency, throughput, footprint: footprint(network) };
    } finally {
      await network.stop();
    }
  }

  results.seconds = (Date.now() - started.getTime()) / 1000;
  mkdirSync(out, { recursive: true });
  const stamp = started.toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const report = markdownReport(results);
  writeFileSync(join(out, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, `${stamp}.md`), report);
  log(`\n${report}`);
  log(`results: ${join(out, `${stamp}.json`)}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killEverything();
    process.exit(130);
  });
}

main().then(
  () => {
    process.exit(0);
  },
  (error: unknown) => {
    killEverything();
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
