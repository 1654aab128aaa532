/** The results of a run and their Markdown table (the one docs/benchmarks.md and the README show). */
import type { Ceilings } from './ceilings.js';
import type { ProfileName } from './profiles.js';
import type { Footprint, LoadSummary, QuerySummary, SyncSummary } from './scenarios.js';
import { TARGETS } from './targets.js';

export interface BenchResults {
  date: string;
  profile: ProfileName;
  machine: { cpu: string; cores: number; memoryBytes: number; node: string; platform: string };
  targets: typeof TARGETS;
  ceilings?: Ceilings & { verificationBound1: number; verificationBound4: number };
  one?: {
    throughput: LoadSummary;
    preload: { events: number; perSecond: number };
    queries: QuerySummary;
    sync: SyncSummary | undefined;
    footprint: Footprint[];
    bytesPerEvent: number;
  };
  four?: { latency: LoadSummary[]; throughput: LoadSummary; footprint: Footprint[] };
  seconds?: number;
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => (value < 10 ? value.toFixed(1) : n(value));
const mb = (bytes: number | undefined): string =>
  bytes === undefined ? '?' : `${n(bytes / (1024 * 1024))} MB`;
const ratio = (value: number, ceiling: number | undefined): string =>
  ceiling === undefined || ceiling === 0 ? '' : `${((value / ceiling) * 100).toFixed(1)} %`;
const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

function lossCell(load: LoadSummary): string {
  const rejected = Object.values(load.rejected).reduce((a, b) => a + b, 0);
  const codes = Object.entries(load.rejected)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  const backlog = load.pending > 0 ? `, ${n(load.pending)} still pending after the drain` : '';
  return `${n(rejected)} rejected${codes ? ` (${codes})` : ''}, ${n(load.lost)} lost${backlog}`;
}

export function markdownReport(results: BenchResults): string {
  const c = results.ceilings;
  const lines: string[] = [
    `Waybill benchmark, ${results.profile} run of ${results.date.slice(0, 16).replace('T', ' ')} UTC: ${results.machine.cores} × ${results.machine.cpu}, ${n(results.machine.memoryBytes / 2 ** 30)} GiB, Node ${results.machine.node}.`,
    '',
    '| figure | measured | target | ceiling (same run) | of ceiling |',
    '| --- | --- | --- | --- | --- |',
  ];
  const row = (cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  const four = results.four;
  const one = results.one;
  if (four) {
    const t = four.throughput;
    row([
      'sustained final events/s, 4 authorities + observer',
      `${n(t.finalPerSecond)}${t.exhausted ? ' (work ran out: at least)' : ''}`,
      `${n(TARGETS.throughput4)}: ${met(t.finalPerSecond >= TARGETS.throughput4)}`,
      c ? `${n(c.verificationBound4)} (cores × verify/s ÷ 4)` : '',
      ratio(t.finalPerSecond, c?.verificationBound4),
    ]);
  }
  if (one) {
    const t = one.throughput;
    row([
      'sustained final events/s, 1 authority + observer',
      `${n(t.finalPerSecond)}${t.exhausted ? ' (work ran out: at least)' : ''}`,
      `${n(TARGETS.throughput1)}: ${met(t.finalPerSecond >= TARGETS.throughput1)}`,
      c ? `${n(c.verificationBound1)} (cores × verify/s)` : '',
      ratio(t.finalPerSecond, c?.verificationBound1),
    ]);
  }
  if (four) {
    for (const run of four.latency) {
      const l = run.latencyMs;
      const isTarget = run.offeredPerSecond === TARGETS.latencyRate;
      row([
        `submit-to-final at ${n(run.offeredPerSecond ?? 0)} events/s offered, 4 authorities (p50 / p95 / p99 / max ms)`,
        l.count === 0
          ? `no transaction sent in the window was final by the end of the drain; ${n(run.finalPerSecond)} final/s`
          : `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} / ${ms(l.max)}; ${n(run.finalPerSecond)} final/s`,
        isTarget
          ? `p50 ≤ ${TARGETS.latencyP50Ms}, p99 ≤ ${n(TARGETS.latencyP99Ms)}: ${met(l.count > 0 && l.p50 <= TARGETS.latencyP50Ms && l.p99 <= TARGETS.latencyP99Ms)}`
          : '',
        `${n(run.offeredPerSecond ?? 0)} offered`,
        ratio(run.finalPerSecond, run.offeredPerSecond),
      ]);
    }
  }
  if (one) {
    const q = one.queries;
    row([
      `item history (${q.historyEvents} events) with ${n(q.storedEvents)} events stored, under ${n(q.background.offeredPerSecond ?? 0)} events/s (p50 / p99 ms)`,
      `${ms(q.historyMs.p50)} / ${ms(q.historyMs.p99)}`,
      `p99 ≤ ${TARGETS.historyP99Ms}: ${met(q.historyMs.p99 <= TARGETS.historyP99Ms)}${q.storedEvents < 1_000_000 ? " (fewer events stored than the target's 1,000,000)" : ''}`,
      '',
      '',
    ]);
    row([
      'block page (header, certificate, transactions) under the same load (p50 / p99 ms)',
      `${ms(q.blockPageMs.p50)} / ${ms(q.blockPageMs.p99)}`,
      '',
      '',
      '',
    ]);
    if (q.loopDelayMs) {
      row([
        "the queried node's event-loop delay meanwhile: what a query waits for the thread (p99 / max ms)",
        `${ms(q.loopDelayMs.p99)} / ${ms(q.loopDelayMs.max)}`,
        '',
        '',
        '',
      ]);
    }
    if (one.sync) {
      const bound = c ? Math.min(c.nodeVerifierPerSecond, c.sqliteInsertsPerSecond) : undefined;
      row([
        one.sync.reached >= one.sync.height
          ? `new observer sync from genesis (${n(one.sync.events)} events, ${n(one.sync.height)} blocks)`
          : `new observer sync from genesis (first ${n(one.sync.events)} events, blocks 1–${n(one.sync.reached)} of ${n(one.sync.height)})`,
        `${n(one.sync.eventsPerSecond)} events/s (${one.sync.seconds.toFixed(1)} s)`,
        `${n(TARGETS.syncPerSecond)}: ${met(one.sync.eventsPerSecond >= TARGETS.syncPerSecond)}`,
        bound === undefined ? '' : `${n(bound)} (min of verify/s and SQLite inserts/s)`,
        ratio(one.sync.eventsPerSecond, bound),
      ]);
    }
  }
  const rss = [...(one?.footprint ?? []), ...(four?.footprint ?? [])];
  const peak = Math.max(0, ...rss.map((f) => f.peakRssBytes ?? 0));
  if (rss.length > 0) {
    row([
      `peak RSS per node (largest of ${rss.length} nodes${one ? `; ${n(one.queries.storedEvents)} events stored on the 1-authority network` : ''})`,
      mb(peak),
      `${mb(TARGETS.peakRssBytes)}: ${met(peak <= TARGETS.peakRssBytes)}`,
      '',
      '',
    ]);
  }
  if (one) {
    row(['database bytes per event (SQLite with indexes)', n(one.bytesPerEvent), '', '', '']);
  }
  const loads = [
    ...(one ? [one.throughput, one.queries.background] : []),
    ...(four ? [...four.latency, four.throughput] : []),
  ];
  if (loads.length > 0) {
    const bad = loads.reduce(
      (sum, l) => sum + l.lost + Object.values(l.rejected).reduce((a, b) => a + b, 0),
      0,
    );
    row([
      'rejected or lost transactions under load (all runs)',
      loads.map(lossCell).join('; '),
      `0: ${met(bad === 0)}`,
      '',
      '',
    ]);
  }
  if (c) {
    lines.push(
      '',
      `Ceilings, one core: Ed25519 ${n(c.nodeVerifierPerSecond)} verifications/s with the node's verifier (OpenSSL), ${n(c.nobleVerifyPerSecond)}/s with @noble/curves; SQLite ${n(c.sqliteInsertsPerSecond)} event-sized inserts/s in transactions of 2,000.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
