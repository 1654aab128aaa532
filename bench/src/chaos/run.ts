/**
 * A chaos run: a real devnet (4 authorities, 1 observer) under a steady load of signed events,
 * through a seeded schedule of faults, each followed by a check that the network recovers within
 * 20 seconds, with the safety invariants checked throughout and at the end:
 *
 * - no two certified blocks at one height (sampled from every node about once a second);
 * - every node holds the same chain up to the lowest common height (same block hash there, and
 *   blocks are hash-linked, so the same chain and state roots below it);
 * - every transaction a client was told is FINAL is FINAL on every node;
 * - nothing a client was told is REJECTED is on any node.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevnetNode } from '@waybill/node/devnet';
import type { WaybillClient } from '@waybill/shared/client';
import { startNetwork, type BenchNetwork } from '../network.js';
import { ClientLedger, ForkDetector, recoverySummary } from './ledger.js';
import { ChaosLoad, timedClient } from './load.js';
import { SKEW_FILE, SKEW_MS, type Perturbation } from './schedule.js';

/** A fault is survived when every node has a block finalized after it within this long. */
export const RECOVERY_LIMIT_MS = 20_000;

export interface PerturbationResult extends Perturbation {
  /** From the fault's removal until every node holds a block finalized after it. */
  recoveryMs: number | undefined;
  ok: boolean;
  note: string;
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChaosSummary {
  seed: number;
  profile: 'short' | 'long';
  startedAt: string;
  seconds: number;
  perturbations: PerturbationResult[];
  survived: number;
  recovery: { p50: number; max: number } | undefined;
  events: {
    final: number;
    rejected: number;
    rejectedByCode: Record<string, number>;
    rejectionExamples: string[];
    gaveUp: number;
    finalPerSecond: number;
  };
  forkChecks: number;
  invariants: InvariantResult[];
  ok: boolean;
}

export interface ChaosOptions {
  seed: number;
  profile: 'short' | 'long';
  schedule: Perturbation[];
  dir: string;
  log: (line: string) => void;
  /** Journeys in flight at once (each a step at a time). */
  concurrency?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NODE_SCRIPT = fileURLToPath(new URL('./node-with-clock.js', import.meta.url));

export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const { log } = options;
  const started = Date.now();
  const network = await startNetwork({
    dir: options.dir,
    authorities: 4,
    observers: 1,
    clients: 1,
    env: { WAYBILL_TEST_CONTROLS: '1' },
    nodeScript: NODE_SCRIPT,
    log,
  });
  const down = new Set<string>();
  const nodes = network.devnet.nodes;
  const running = () => nodes.filter((n) => n.running && !down.has(n.name));
  const clients = new Map(nodes.map((n) => [n.name, timedClient(n.graphqlUrl, 3_000)]));
  const client = (n: DevnetNode) => clients.get(n.name) as WaybillClient;
  const ledger = new ClientLedger();
  const forks = new ForkDetector();
  const load = new ChaosLoad({
    chainId: network.chainId,
    running,
    ledger,
    concurrency: options.concurrency ?? 12,
    tag: 1,
  });

  let monitoring = true;
  const monitor = (async () => {
    while (monitoring) {
      await Promise.all(
        running().map(async (n) => {
          try {
            const { height, headHash } = await client(n).chain();
            forks.observe(n.name, height, headHash);
          } catch {
            // down, paused or busy: the next round asks again
          }
        }),
      );
      await sleep(1_000);
    }
  })();

  const results: PerturbationResult[] = [];
  try {
    load.start();
    const warm = Date.now();
    while (load.finals < 20 && Date.now() - warm < 60_000) await sleep(500);
    if (load.finals === 0) throw new Error('the load made no progress before the first fault');
    log(`  load running: ${load.finals} events final before the first fault`);

    for (const [i, p] of options.schedule.entries()) {
      const result = await perturb(p, { network, down, client, log });
      results.push(result);
      log(
        `  ${String(i + 1).padStart(3)}/${options.schedule.length} ${p.kind.padEnd(11)} ${(p.targets.join(', ') || 'every node').padEnd(24)} ${result.ok ? 'recovered' : 'FAILED'} ${result.recoveryMs === undefined ? '' : `in ${(result.recoveryMs / 1000).toFixed(1)} s`}${result.note ? ` (${result.note})` : ''}`,
      );
    }
  } finally {
    await load.stop();
    monitoring = false;
    await monitor;
  }

  let invariants: InvariantResult[];
  try {
    invariants = await checkInvariants(network, { ledger, forks, client, log });
  } finally {
    await network.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const recoveries = results.flatMap((r) => (r.recoveryMs === undefined ? [] : [r.recoveryMs]));
  const survived = results.filter((r) => r.ok).length;
  const span = (load.finalTimes.at(-1) ?? started) - (load.finalTimes[0] ?? started);
  return {
    seed: options.seed,
    profile: options.profile,
    startedAt: new Date(started).toISOString(),
    seconds,
    perturbations: results,
    survived,
    recovery: recoverySummary(recoveries),
    events: {
      final: load.finals,
      rejected: load.rejected,
      rejectedByCode: ledger.rejectionCodes(),
      rejectionExamples: [...load.reasons].slice(0, 5),
      gaveUp: load.gaveUp,
      finalPerSecond: span > 0 ? load.finals / (span / 1000) : 0,
    },
    forkChecks: forks.observations,
    invariants,
    ok: survived === results.length && invariants.every((c) => c.ok),
  };
}

interface Context {
  network: BenchNetwork;
  down: Set<string>;
  client: (n: DevnetNode) => WaybillClient;
  log: (line: string) => void;
}

async function heightOf(n: DevnetNode): Promise<number | undefined> {
  return n.running ? n.readyHeight() : undefined;
}

async function maxHeight(nodes: readonly DevnetNode[]): Promise<number> {
  const heights = await Promise.all(nodes.map(heightOf));
  return Math.max(0, ...heights.map((h) => h ?? 0));
}

/**
 * Waits until every node reports a height above `h0` (a block finalized after the fault, held by
 * all); returns the time since `t0`, or undefined when `limitMs` passed first.
 */
async function recovered(
  nodes: readonly DevnetNode[],
  t0: number,
  h0: number,
  limitMs = 60_000,
): Promise<number | undefined> {
  while (Date.now() - t0 < limitMs) {
    const heights = await Promise.all(nodes.map(heightOf));
    if (heights.every((h) => h !== undefined && h > h0)) return Date.now() - t0;
    await sleep(200);
  }
  return undefined;
}

function outcome(
  p: Perturbation,
  recoveryMs: number | undefined,
  note = '',
  extraOk = true,
): PerturbationResult {
  const ok = extraOk && recoveryMs !== undefined && recoveryMs <= RECOVERY_LIMIT_MS;
  return { ...p, recoveryMs, ok, note };
}

async function perturb(p: Perturbation, ctx: Context): Promise<PerturbationResult> {
  const { network, down } = ctx;
  const nodes = network.devnet.nodes;
  const target = (name: string) => network.devnet.node(name);
  const up = () => nodes.filter((n) => !down.has(n.name));
  switch (p.kind) {
    case 'kill':
    case 'term': {
      const node = target(p.targets[0] as string);
      down.add(node.name);
      await node.kill(p.kind === 'kill' ? 'SIGKILL' : 'SIGTERM');
      await sleep(1_000);
      const h0 = await maxHeight(up());
      const t0 = Date.now();
      node.start();
      await node.waitReady(60_000).catch(() => undefined);
      down.delete(node.name);
      return outcome(p, await recovered(nodes, t0, h0));
    }
    case 'pause': {
      const node = target(p.targets[0] as string);
      const pid = node.pid;
      if (pid === undefined) return outcome(p, undefined, 'not running');
      down.add(node.name);
      process.kill(pid, 'SIGSTOP');
      try {
        await sleep(p.holdMs);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const h0 = await maxHeight(up());
      const t0 = Date.now();
      down.delete(node.name);
      return outcome(p, await recovered(nodes, t0, h0));
    }
    case 'isolate': {
      const node = target(p.targets[0] as string);
      const response = await fetch(`${node.url}/control/isolate?ms=${p.holdMs}`, {
        method: 'POST',
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) return outcome(p, undefined, `isolate answered ${response.status}`);
      await sleep(p.holdMs);
      const h0 = await maxHeight(nodes);
      return outcome(p, await recovered(nodes, Date.now(), h0));
    }
    case 'stall': {
      const stopped = p.targets.map(target);
      for (const n of stopped) down.add(n.name);
      await Promise.all(stopped.map((n) => n.stop()));
      // A block whose votes were already out may still land: let it, then watch.
      await sleep(2_000);
      const stalledAt = await maxHeight(up());
      await sleep(p.holdMs);
      const after = await maxHeight(up());
      const stalled = after === stalledAt;
      const [first, second] = stopped as [DevnetNode, DevnetNode];
      const t0 = Date.now();
      first.start();
      await first.waitReady(60_000).catch(() => undefined);
      down.delete(first.name);
      // Three of four: the chain must resume before the fourth returns.
      const resumed = await recovered(up(), t0, after);
      // The fourth returns to a moving chain and must catch up like any restarted node.
      const h1 = await maxHeight(up());
      const t1 = Date.now();
      second.start();
      await second.waitReady(60_000).catch(() => undefined);
      down.delete(second.name);
      const caughtUp = await recovered(nodes, t1, h1);
      const seconds = (ms: number | undefined) =>
        ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`;
      const note = stalled
        ? `stalled at ${stalledAt} with two of four down; the fourth caught up in ${seconds(caughtUp)}`
        : `height moved from ${stalledAt} to ${after} with two of four authorities down`;
      return outcome(
        p,
        resumed,
        note,
        stalled && caughtUp !== undefined && caughtUp <= RECOVERY_LIMIT_MS,
      );
    }
    case 'skew': {
      const node = target(p.targets[0] as string);
      const file = join(node.dataDir, SKEW_FILE);
      down.add(node.name);
      writeFileSync(file, String(SKEW_MS));
      let during = 0;
      try {
        await node.restart(60_000);
        down.delete(node.name);
        const before = await maxHeight(up());
        await sleep(p.holdMs);
        during = (await maxHeight(up())) - before;
      } finally {
        rmSync(file, { force: true });
      }
      down.add(node.name);
      await node.stop();
      const h0 = await maxHeight(up());
      const t0 = Date.now();
      node.start();
      await node.waitReady(60_000).catch(() => undefined);
      down.delete(node.name);
      return outcome(
        p,
        await recovered(nodes, t0, h0),
        `${during} blocks finalized while its clock ran ${SKEW_MS / 1000} s ahead`,
        during > 0,
      );
    }
    case 'restart-all': {
      const h0 = await maxHeight(nodes);
      for (const n of nodes) down.add(n.name);
      await Promise.all(nodes.map((n) => n.stop()));
      const t0 = Date.now();
      for (const n of nodes) n.start();
      await Promise.all(nodes.map((n) => n.waitReady(60_000).catch(() => undefined)));
      for (const n of nodes) down.delete(n.name);
      return outcome(p, await recovered(nodes, t0, h0));
    }
  }
}

interface CheckContext {
  ledger: ClientLedger;
  forks: ForkDetector;
  client: (n: DevnetNode) => WaybillClient;
  log: (line: string) => void;
}

/** Each node's status of each hash (null: unknown to it), through aliased queries of 100. */
async function statuses(
  client: WaybillClient,
  hashes: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < hashes.length; i += 100) {
    const chunk = hashes.slice(i, i + 100);
    const query = `{ ${chunk.map((h, j) => `t${j}: transaction(hash: "${h}") { status }`).join(' ')} }`;
    const data = await client.request<Record<string, { status: string } | null>>(query);
    chunk.forEach((h, j) => out.set(h, data[`t${j}`]?.status ?? null));
  }
  return out;
}

async function checkInvariants(
  network: BenchNetwork,
  ctx: CheckContext,
): Promise<InvariantResult[]> {
  const { ledger, forks, client } = ctx;
  const nodes = network.devnet.nodes;
  // Let every node catch up with the highest before comparing.
  const top = await maxHeight(nodes);
  await network.devnet.waitForHeight(top, nodes, 60_000).catch((error: unknown) => {
    ctx.log(`  warning: ${error instanceof Error ? error.message : String(error)}`);
  });
  const results: InvariantResult[] = [];
  results.push({
    name: 'no two certified blocks at one height',
    ok: forks.forks.length === 0,
    detail:
      forks.forks.length === 0
        ? `${forks.observations} head samples over ${forks.heights} heights agree`
        : forks.forks.slice(0, 5).join('; '),
  });

  const heights = await Promise.all(
    nodes.map((n) =>
      client(n)
        .chain()
        .then((c) => c.height),
    ),
  );
  const common = Math.min(...heights);
  const hashes = await Promise.all(
    nodes.map((n) =>
      client(n)
        .request<{ block: { hash: string; stateRoot: string } | null }>(
          'query ($h: Int!) { block(height: $h) { hash stateRoot } }',
          { h: common },
        )
        .then((r) => r.block),
    ),
  );
  const first = hashes[0];
  const same = hashes.every(
    (b) => b && first && b.hash === first.hash && b.stateRoot === first.stateRoot,
  );
  results.push({
    name: 'every node holds the same chain up to the lowest common height',
    ok: same,
    detail: same
      ? `height ${common}: block ${first?.hash.slice(0, 16)}…, state root ${first?.stateRoot.slice(0, 16)}… on all ${nodes.length} nodes`
      : nodes.map((n, i) => `${n.name} ${hashes[i]?.hash ?? 'none'}`).join(', '),
  });

  const finals = ledger.hashes('FINAL');
  const rejected = ledger.hashes('REJECTED');
  const missing: string[] = [];
  const present: string[] = [];
  for (const n of nodes) {
    const finalStatus = await statuses(client(n), finals);
    for (const [hash, status] of finalStatus)
      if (status !== 'FINAL')
        missing.push(`${hash.slice(0, 16)}… is ${status ?? 'unknown'} on ${n.name}`);
    const rejectedStatus = await statuses(client(n), rejected);
    for (const [hash, status] of rejectedStatus)
      if (status === 'FINAL') present.push(`${hash.slice(0, 16)}… is FINAL on ${n.name}`);
  }
  results.push({
    name: 'every transaction a client was told is FINAL is on every node',
    ok: missing.length === 0 && finals.length > 0,
    detail:
      missing.length === 0
        ? `${finals.length} transactions × ${nodes.length} nodes`
        : `${missing.length} missing: ${missing.slice(0, 5).join('; ')}`,
  });
  results.push({
    name: 'nothing a client was told is REJECTED is on any node',
    ok: present.length === 0,
    detail:
      present.length === 0
        ? `${rejected.length} rejected transactions × ${nodes.length} nodes`
        : present.slice(0, 5).join('; '),
  });
  results.push({
    name: 'no node contradicted another about a transaction',
    ok: ledger.contradictions.length === 0,
    detail:
      ledger.contradictions.length === 0
        ? `${ledger.told.size} outcomes told`
        : ledger.contradictions.slice(0, 5).join('; '),
  });
  return results;
}
