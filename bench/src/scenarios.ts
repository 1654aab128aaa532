/**
 * The measurements, each over a network started by `startNetwork`: maximum sustained throughput,
 * finality latency at fixed offered rates, queries with many events stored while the network takes
 * load, a new observer's sync from genesis, and each node's footprint.
 */
import { performance } from 'node:perf_hooks';
import type { DevnetNode } from '@waybill/node/devnet';
import type { LoadClientConfig, LoadClientResult } from './load-client.js';
import {
  databaseBytes,
  metric,
  metrics,
  peakRss,
  runLoad,
  settle,
  wipeDatabase,
  type BenchNetwork,
} from './network.js';
import type { Profile } from './profiles.js';
import { percentiles, type Percentiles } from './stats.js';
import { JOURNEY_STEPS } from './workload.js';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface LoadSummary {
  offeredPerSecond?: number;
  /** Final events per second over the measured window (all clients). */
  finalPerSecond: number;
  submitted: number;
  final: number;
  rejected: Record<string, number>;
  /** Still pending after the drain (a backlog: the network was slower than the offered load). */
  pending: number;
  /** Unknown to the node after the drain. */
  lost: number;
  latencyMs: Percentiles;
  /** The clients ran out of pre-signed work: the figure is a lower bound. */
  exhausted: boolean;
  /** Final events per second, second by second. */
  timeline: number[];
}

function summarize(
  results: readonly LoadClientResult[],
  windowMs: number,
  offered?: number,
): LoadSummary {
  const rejected: Record<string, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.rejected)) rejected[code] = (rejected[code] ?? 0) + n;
  const timeline: (number | undefined)[] = [];
  for (const r of results) r.perSecond.forEach((n, i) => (timeline[i] = (timeline[i] ?? 0) + n));
  return {
    ...(offered !== undefined && { offeredPerSecond: offered }),
    finalPerSecond: results.reduce((n, r) => n + r.finalInWindow, 0) / (windowMs / 1000),
    submitted: results.reduce((n, r) => n + r.submitted, 0),
    final: results.reduce((n, r) => n + r.final, 0),
    rejected,
    pending: results.reduce((n, r) => n + r.pending, 0),
    lost: results.reduce((n, r) => n + r.lost, 0),
    latencyMs: percentiles(results.flatMap((r) => r.latencies)),
    exhausted: results.some((r) => r.exhausted),
    timeline: Array.from(timeline, (n) => n ?? 0),
  };
}

function clientConfigs(
  network: BenchNetwork,
  profile: Profile,
  base: Omit<LoadClientConfig, 'client' | 'chainId' | 'httpUrl' | 'wsUrl' | 'journeys'> & {
    /** Events the clients together may need. */
    events: number;
  },
): LoadClientConfig[] {
  const { events, ...rest } = base;
  const journeys = Math.ceil(events / JOURNEY_STEPS / profile.clients);
  const wsUrl = network.entry.graphqlUrl.replace(/^http/, 'ws');
  return Array.from({ length: profile.clients }, (_, client) => ({
    ...rest,
    client,
    chainId: network.chainId,
    httpUrl: network.entry.graphqlUrl,
    wsUrl,
    journeys,
  }));
}

/** The maximum sustained rate: clients keep a window of transactions in flight. */
export async function maxThroughput(
  network: BenchNetwork,
  profile: Profile,
  tag: number,
  expectedPerSecond: number,
): Promise<LoadSummary> {
  const { warmupMs, durationMs } = profile.throughput;
  await settle(network, log);
  const run = await runLoad(
    clientConfigs(network, profile, {
      tag,
      // Two clients keep one full block (2,000) in flight between them: more only makes the
      // first blocks larger and slower without raising the sustained rate.
      mode: { kind: 'max', window: 1_000 },
      // Room for 1.5 times the expected rate over the whole run.
      events: Math.ceil(expectedPerSecond * 1.5 * ((warmupMs + durationMs) / 1000)),
      warmupMs,
      durationMs,
      drainMs: profile.drainMs,
      batchMax: 500,
    }),
  );
  return summarize(run.results, durationMs);
}

/** Submit-to-final latency at a fixed offered rate (open loop). */
export async function fixedRate(
  network: BenchNetwork,
  profile: Profile,
  tag: number,
  perSecond: number,
  options: { warmupMs: number; durationMs: number; settle?: boolean } = profile.latency,
): Promise<LoadSummary> {
  const { warmupMs, durationMs } = options;
  if (options.settle !== false) await settle(network, log);
  const run = await runLoad(
    clientConfigs(network, profile, {
      tag,
      mode: { kind: 'rate', perSecond: perSecond / profile.clients },
      // When finality is slow, most of what is offered starts new journeys (their next steps
      // wait): room for one journey per offered event.
      events: JOURNEY_STEPS * Math.ceil(perSecond * 1.1 * ((warmupMs + durationMs) / 1000)),
      warmupMs,
      durationMs,
      drainMs: profile.drainMs,
      batchMax: 1_000,
    }),
  );
  return summarize(run.results, durationMs, perSecond);
}

/**
 * Stores `events` through the node's block path (signed transactions, consensus, block apply)
 * in rounds of at most 200,000, each with its own tag so that every journey is new.
 */
export async function preload(
  network: BenchNetwork,
  profile: Profile,
  events: number,
  firstTag: number,
  longHistories: number,
  progress: (done: number, total: number, perSecond: number) => void,
): Promise<{ stored: number; perSecond: number; longHistoryEpcs: string[] }> {
  const longHistoryEpcs: string[] = [];
  let stored = 0;
  let tag = firstTag;
  const started = performance.now();
  // The first round always runs: it carries the long histories the queries read.
  while ((stored < events || tag === firstTag) && tag <= 9) {
    const round = Math.max(0, Math.min(200_000, events - stored));
    const run = await runLoad(
      clientConfigs(network, profile, {
        tag,
        mode: { kind: 'max', window: 2_000 },
        events: round,
        warmupMs: 0,
        // Ends when the pre-signed work runs out, well before this.
        durationMs: 3_600_000,
        drainMs: profile.drainMs,
        batchMax: 500,
        ...(tag === firstTag && { longHistories }),
      }),
    );
    longHistoryEpcs.push(...run.results.flatMap((r) => r.longHistoryEpcs));
    const final = run.results.reduce((n, r) => n + r.final, 0);
    if (final === 0) throw new Error('the pre-load made no progress');
    stored += final;
    tag++;
    progress(stored, events, stored / ((performance.now() - started) / 1000));
  }
  return {
    stored,
    perSecond: stored / ((performance.now() - started) / 1000),
    longHistoryEpcs,
  };
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (!response.ok || json.errors) {
    throw new Error(`query failed (${response.status}): ${json.errors?.[0]?.message ?? ''}`);
  }
  return json.data;
}

const HISTORY = `query History($epc: String!) {
  thing(epc: $epc) { epc kind status custodian
    events { hash type signer height position blockHash tx } } }`;
const BLOCK_PAGE = `query Block($height: Int!) {
  block(height: $height) { height hash timestamp proposer round prevHash txRoot stateRoot txCount
    signers { publicKey name signed } transactions { hash type signer tx } } }`;

export interface QuerySummary {
  storedEvents: number;
  historyEvents: number;
  historyMs: Percentiles;
  blockPageMs: Percentiles;
  /**
   * The queried node's event-loop delay over the measurement (its `/metrics`): how long ready
   * work, a query among it, waited for the JavaScript thread. Absent if the node does not say.
   */
  loopDelayMs?: { p99: number; max: number };
  background: LoadSummary;
}

/**
 * An item's history and a block page, one query at a time, while the clients offer
 * `backgroundRate` events per second; the items were given their histories by the pre-load.
 */
export async function queriesUnderLoad(
  network: BenchNetwork,
  profile: Profile,
  tag: number,
  epcs: readonly string[],
  storedEvents: number,
): Promise<QuerySummary> {
  const url = network.entry.graphqlUrl;
  const { durationMs, backgroundRate } = profile.queries;
  const head = ((await graphql(url, '{ chain { height } }', {})) as { chain: { height: number } })
    .chain.height;
  await settle(network, log);
  const load = fixedRate(network, profile, tag, backgroundRate, {
    warmupMs: 1_000,
    durationMs: durationMs + 2_000,
    settle: false,
  });
  // Let the load start before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const history: number[] = [];
  const blocks: number[] = [];
  let historyEvents = 0;
  // A scrape starts the node's event-loop delay figures afresh.
  await metrics(network.entry, []);
  const end = performance.now() + durationMs;
  for (let i = 0; performance.now() < end; i++) {
    const epc = epcs[i % epcs.length] as string;
    let t = performance.now();
    const data = (await graphql(url, HISTORY, { epc })) as { thing: { events: unknown[] } | null };
    history.push(performance.now() - t);
    historyEvents = Math.max(historyEvents, data.thing?.events.length ?? 0);
    const height = 1 + ((i * 7919) % head);
    t = performance.now();
    await graphql(url, BLOCK_PAGE, { height });
    blocks.push(performance.now() - t);
  }
  const [p99, max] = await metrics(network.entry, [
    'nodejs_eventloop_delay_p99_seconds',
    'nodejs_eventloop_delay_max_seconds',
  ]);
  const background = await load;
  return {
    storedEvents,
    historyEvents,
    historyMs: percentiles(history),
    blockPageMs: percentiles(blocks),
    ...(p99 !== undefined &&
      max !== undefined && { loopDelayMs: { p99: p99 * 1e3, max: max * 1e3 } }),
    background,
  };
}

export interface SyncSummary {
  /** The head the observer was to reach, and the height it reached. */
  height: number;
  reached: number;
  /** Transactions the observer verified and applied, over `seconds` from its restart. */
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Wipes an observer's database, restarts it, and counts the events it verifies and applies
 * (its `waybill_transactions_final_total`) until it reaches `entry`'s head or `maxMs` has passed:
 * the rate of a long catch-up is steady, so the full run need not sync all 1,000,000 events.
 */
export async function syncFromGenesis(
  network: BenchNetwork,
  observer: DevnetNode,
  maxMs: number,
): Promise<SyncSummary> {
  await observer.stop();
  wipeDatabase(observer);
  // waitReady, not readyHeight: a busy node may miss one /readyz, and a target of 0 times nothing.
  const target = await network.entry.waitReady(60_000);
  const started = performance.now();
  await observer.restart(120_000);
  let reached = 0;
  let events = 0;
  let seconds = 0;
  for (;;) {
    reached = (await observer.readyHeight()) ?? reached;
    events = (await metric(observer, 'waybill_transactions_final_total')) ?? events;
    seconds = (performance.now() - started) / 1000;
    if (reached >= target || seconds * 1000 >= maxMs) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { height: target, reached, events, seconds, eventsPerSecond: events / seconds };
}

export interface Footprint {
  node: string;
  role: string;
  peakRssBytes: number | undefined;
  databaseBytes: number;
}

export function footprint(network: BenchNetwork): Footprint[] {
  return network.devnet.nodes.map((node) => ({
    node: node.name,
    role: node.role,
    peakRssBytes: peakRss(node.pid),
    databaseBytes: databaseBytes(node),
  }));
}
