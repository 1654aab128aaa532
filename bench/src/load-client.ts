/**
 * One load client, in its own process (forked by the runner, driven over IPC). It pre-signs its
 * journeys before the clock starts, then submits them through the node's GraphQL API in batches,
 * each step only once the step before it is final, and learns what is final from the
 * `blockFinalized` subscription. It measures submit-to-final latency itself and reports counts:
 * final, rejected (at submission or later) and lost (still not final after the drain).
 *
 * Two modes: `max` keeps a window of transactions in flight (the maximum sustained rate); `rate`
 * offers a fixed rate, open loop, whatever the node does.
 */
import { performance } from 'node:perf_hooks';
import '@waybill/node/native-hash';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { opensslSigner } from './openssl-signer.js';
import { journey, longHistory, txFactory } from './workload.js';

export interface LoadClientConfig {
  client: number;
  /** Separates workloads run against one chain (see `JourneyId.tag`). */
  tag: number;
  chainId: string;
  httpUrl: string;
  wsUrl: string;
  mode: { kind: 'max'; window: number } | { kind: 'rate'; perSecond: number };
  /** Journeys to pre-sign: the most this client can send. */
  journeys: number;
  /** Measured from the go time: sending stops after warm-up + duration. */
  warmupMs: number;
  durationMs: number;
  /** After sending stops, how long to wait for what is in flight. */
  drainMs: number;
  batchMax: number;
  /** Items with a 50-event history to add to the work (query benchmark), sent first. */
  longHistories?: number;
}

export type ToClient = { type: 'go'; at: number } | { type: 'stop' };
export type FromClient =
  | { type: 'ready'; presigned: number; signSeconds: number }
  | { type: 'result'; result: LoadClientResult }
  | { type: 'error'; message: string };

export interface LoadClientResult {
  client: number;
  submitted: number;
  final: number;
  /** Final within the measured window (after warm-up, before the end of the duration). */
  finalInWindow: number;
  rejected: Record<string, number>;
  /** Still pending at the node after the drain: a backlog, not final yet, not lost. */
  pending: number;
  /** Unknown to the node after the drain: accepted once, then dropped. */
  lost: number;
  /** Submit-to-final latencies (ms) of transactions sent in the measured window. */
  latencies: number[];
  /** Final events per second of the run, second by second from the go time. */
  perSecond: number[];
  /** Pre-signed work ran out before the end (the offered load fell short). */
  exhausted: boolean;
  longHistoryEpcs: string[];
}

interface Step {
  tx: string;
  hash: string;
  journey: number;
  step: number;
  sentAt?: number;
}

const SUBMIT = `mutation Submit($txs: [JSON!]!) { submitTransactions(txs: $txs) { index status code message } }`;
const BLOCKS = `subscription { blockFinalized { height txHashes } }`;

/** Resolves once the message is handed to the IPC channel (a large result takes a while). */
function send(message: FromClient): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => {
      resolve();
    });
  });
}

async function run(config: LoadClientConfig): Promise<void> {
  const signStarted = performance.now();
  const sign = txFactory({
    chainId: config.chainId,
    signer: opensslSigner(),
    seed: `t${config.tag}c${config.client}`,
  });
  const { txHash } = await import('@waybill/shared/tx');
  const baseTime = Date.now() - 86_400_000;
  const journeys: Step[][] = [];
  const epcs: string[] = [];
  const toStep = (tx: object, j: number, step: number): Step => ({
    tx: JSON.stringify(tx),
    hash: txHash(tx as Parameters<typeof txHash>[0]),
    journey: j,
    step,
  });
  for (let h = 0; h < (config.longHistories ?? 0); h++) {
    const history = longHistory(
      sign,
      { tag: config.tag, client: config.client, journey: h },
      baseTime,
    );
    epcs.push(history.epc);
    journeys.push(history.txs.map((tx, step) => toStep(tx, journeys.length, step)));
  }
  for (let j = 0; j < config.journeys; j++) {
    const txs = journey(sign, { tag: config.tag, client: config.client, journey: j }, baseTime);
    journeys.push(txs.map((tx, step) => toStep(tx, journeys.length, step)));
  }
  const presigned = journeys.reduce((n, steps) => n + steps.length, 0);
  void send({ type: 'ready', presigned, signSeconds: (performance.now() - signStarted) / 1000 });

  const goAt = await new Promise<number>((resolve) => {
    process.on('message', (message: ToClient) => {
      if (message.type === 'go') resolve(message.at);
    });
  });

  const inflight = new Map<string, Step>();
  const ready: Step[] = [];
  let nextJourney = 0;
  let submitted = 0;
  let final = 0;
  let finalInWindow = 0;
  /** Set by `take` once every pre-signed journey has been started. */
  const work = { exhausted: false };
  const rejected: Record<string, number> = {};
  const latencies: number[] = [];
  const perSecond: (number | undefined)[] = [];
  const windowStart = goAt + config.warmupMs;
  const windowEnd = windowStart + config.durationMs;
  // performance.now() is monotonic; wall-clock go time is only for lining clients up.
  const clockOffset = Date.now() - performance.now();
  const wall = () => performance.now() + clockOffset;
  let drained: (() => void) | undefined;

  const onFinal = (hash: string, at: number) => {
    const step = inflight.get(hash);
    if (!step) return;
    inflight.delete(hash);
    final++;
    if (at >= windowStart && at < windowEnd) finalInWindow++;
    const second = Math.floor((at - goAt) / 1000);
    if (second >= 0) perSecond[second] = (perSecond[second] ?? 0) + 1;
    if (step.sentAt !== undefined && step.sentAt >= windowStart && step.sentAt < windowEnd) {
      latencies.push(at - step.sentAt);
    }
    const next = journeys[step.journey]?.[step.step + 1];
    if (next) ready.push(next);
    if (inflight.size === 0) drained?.();
  };

  const ws: Client = createClient({
    url: config.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 10,
    shouldRetry: () => true,
  });
  await new Promise<void>((resolve, reject) => {
    let started = false;
    ws.subscribe<{ blockFinalized: { height: number; txHashes: string[] } }>(
      { query: BLOCKS },
      {
        next: ({ data }) => {
          if (!started) return;
          const at = wall();
          for (const hash of data?.blockFinalized.txHashes ?? []) onFinal(hash, at);
        },
        error: (error) => {
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => undefined,
      },
    );
    ws.on('connected', () => {
      started = true;
      resolve();
    });
  });

  /** The next batch: continuing journeys first, then new ones. */
  const take = (max: number): Step[] => {
    const batch = ready.splice(0, max);
    while (batch.length < max) {
      const steps = journeys[nextJourney];
      if (!steps) {
        work.exhausted = true;
        break;
      }
      nextJourney++;
      const first = steps[0];
      if (first) batch.push(first);
    }
    return batch;
  };

  const submit = async (batch: Step[]): Promise<void> => {
    if (batch.length === 0) return;
    const sentAt = wall();
    for (const step of batch) {
      step.sentAt = sentAt;
      inflight.set(step.hash, step);
    }
    submitted += batch.length;
    const body = `{"query":${JSON.stringify(SUBMIT)},"variables":{"txs":[${batch.map((s) => s.tx).join(',')}]}}`;
    let results: { index: number; status: string; code: string | null }[];
    try {
      const response = await fetch(config.httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await response.json()) as {
        data?: { submitTransactions: typeof results };
        errors?: { extensions?: { code?: string } }[];
      };
      if (!json.data) {
        const code = json.errors?.[0]?.extensions?.code ?? `HTTP_${response.status}`;
        results = batch.map((_, index) => ({ index, status: 'REJECTED', code }));
      } else results = json.data.submitTransactions;
    } catch {
      results = batch.map((_, index) => ({ index, status: 'REJECTED', code: 'NETWORK' }));
    }
    for (const result of results) {
      if (result.status !== 'REJECTED') continue;
      const step = batch[result.index];
      if (!step || !inflight.delete(step.hash)) continue;
      const code = result.code ?? 'UNKNOWN';
      rejected[code] = (rejected[code] ?? 0) + 1;
    }
    if (inflight.size === 0) drained?.();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms);
    });
  await sleep(Math.max(0, goAt - wall()));

  if (config.mode.kind === 'max') {
    const { window } = config.mode;
    const pending = new Set<Promise<void>>();
    // Until the end of the window, or until every pre-signed journey has been carried through.
    while (wall() < windowEnd && !(work.exhausted && ready.length === 0 && inflight.size === 0)) {
      const room = window - inflight.size;
      const worth = work.exhausted
        ? ready.length > 0
        : room >= Math.min(config.batchMax, window / 4);
      if (worth && room > 0 && pending.size < 2) {
        const p = submit(take(Math.min(room, config.batchMax))).finally(() => pending.delete(p));
        pending.add(p);
      } else await sleep(5);
    }
    await Promise.all(pending);
  } else {
    const { perSecond: rate } = config.mode;
    const tickMs = 50;
    let sent = 0;
    const pending = new Set<Promise<void>>();
    while (wall() < windowEnd && !(work.exhausted && ready.length === 0)) {
      const due = Math.floor(((wall() - goAt) / 1000) * rate) - sent;
      if (due > 0) {
        const batch = take(Math.min(due, config.batchMax));
        sent += batch.length;
        // Open loop: the next tick does not wait for this answer.
        const p = submit(batch).finally(() => pending.delete(p));
        pending.add(p);
      }
      await sleep(tickMs);
    }
    await Promise.all(pending);
  }

  // Drain: wait for what is in flight, then ask about what never showed up.
  if (inflight.size > 0) {
    await Promise.race([
      new Promise<void>((resolve) => {
        drained = resolve;
      }),
      sleep(config.drainMs),
    ]);
  }
  let lost = 0;
  let pending = 0;
  for (const step of [...inflight.values()]) {
    const response = await fetch(config.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($h: String!) { transaction(hash: $h) { status code } }`,
        variables: { h: step.hash },
      }),
    });
    const json = (await response.json()) as {
      data?: { transaction: { status: string; code: string | null } | null };
    };
    const tx = json.data?.transaction;
    if (tx?.status === 'FINAL') final++;
    else if (tx?.status === 'REJECTED') {
      const code = tx.code ?? 'UNKNOWN';
      rejected[code] = (rejected[code] ?? 0) + 1;
    } else if (tx?.status === 'PENDING') pending++;
    else lost++;
  }
  await ws.dispose();
  // Disconnecting before the (large) result is flushed would drop it.
  await send({
    type: 'result',
    result: {
      client: config.client,
      submitted,
      final,
      finalInWindow,
      rejected,
      pending,
      lost,
      latencies,
      perSecond: Array.from(perSecond, (n) => n ?? 0),
      exhausted: work.exhausted,
      longHistoryEpcs: epcs,
    },
  });
}

process.once('message', (message: { type: 'config'; config: LoadClientConfig }) => {
  run(message.config).then(
    () => {
      if (process.connected) process.disconnect();
    },
    async (error: unknown) => {
      process.exitCode = 1;
      await send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      if (process.connected) process.disconnect();
    },
  );
});
