/**
 * A fresh network for one part of the benchmark, through the devnet's own code (the same node
 * processes `npm start` runs), on free loopback ports, and the load clients that drive it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAuthorityKey } from '@waybill/node/authority-key';
import { createDevnet, type Devnet, type DevnetNode } from '@waybill/node/devnet';
import type { SignedTx } from '@waybill/shared/tx';
import type { FromClient, LoadClientConfig, LoadClientResult } from './load-client.js';
import { opensslSigner } from './openssl-signer.js';
import { setupWaves, txFactory } from './workload.js';

const DATABASE_FILES = ['waybill.sqlite', 'waybill.sqlite-wal', 'waybill.sqlite-shm'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export interface BenchNetwork {
  devnet: Devnet;
  chainId: string;
  /** The node the load clients talk to (the first authority). */
  entry: DevnetNode;
  stop(): Promise<void>;
}

export interface NetworkOptions {
  dir: string;
  authorities: number;
  observers: number;
  /** Load clients whose staff keys the set-up registers. */
  clients: number;
  env?: Record<string, string>;
  /** Another entry point for the nodes (e.g. one that profiles them); default the node's own. */
  nodeScript?: string;
  log: (line: string) => void;
}

/** Every child process the bench started, killed on exit whatever happens. */
const children = new Set<ChildProcess>();
export function killEverything(): void {
  for (const child of children) child.kill('SIGKILL');
}

export async function startNetwork(options: NetworkOptions): Promise<BenchNetwork> {
  rmSync(options.dir, { recursive: true, force: true });
  // A port the OS just handed out can be handed out again once released: keep each one once.
  const taken = new Set<number>();
  const distinctPort = async (): Promise<number> => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const ports = [];
  for (let i = 0; i < options.authorities + options.observers; i++) {
    ports.push({ http: await distinctPort(), p2p: await distinctPort() });
  }
  const devnet = await createDevnet({
    dir: options.dir,
    authorities: options.authorities,
    observers: options.observers,
    ports,
    chainId: 'waybill-bench',
    reset: true,
    ...(options.nodeScript !== undefined && { nodeScript: options.nodeScript }),
    env: { WAYBILL_LOG_LEVEL: 'warn', ...options.env },
    onSpawn: (child) => {
      children.add(child);
      child.once('exit', () => children.delete(child));
    },
    onNodeExit: (node, exit) => {
      options.log(`node ${node.name} exited unexpectedly (${exit.signal ?? exit.code ?? '?'})`);
    },
  });
  const stop = () => devnet.stop();
  try {
    await devnet.start();
    const entry = devnet.authorities[0];
    if (!entry) throw new Error('the network has no authority');
    const key = loadAuthorityKey(join(entry.dataDir, 'authority.key'));
    if (!key) throw new Error(`${entry.name} has no authority key`);
    const chainId = devnet.network.chainId;
    const sign = txFactory({ chainId, signer: opensslSigner(), seed: 'setup' });
    for (const wave of setupWaves(sign, { name: 'authority', ...key }, options.clients)) {
      await submitFinal(entry, wave);
    }
    return { devnet, chainId, entry, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Submits transactions and waits until every one is final; throws on any refusal. */
async function submitFinal(node: DevnetNode, txs: readonly SignedTx[]): Promise<void> {
  for (let i = 0; i < txs.length; i += 500) {
    const batch = txs.slice(i, i + 500);
    const results = await node.client.submitMany(batch, { waitFinal: true });
    const refused = results.find((r) => r.status !== 'FINAL');
    if (refused) {
      throw new Error(
        `set-up transaction ${batch[refused.index]?.type ?? '?'} was ${refused.status}: ${refused.code ?? ''} ${refused.message ?? ''}`,
      );
    }
  }
}

export interface LoadRun {
  results: LoadClientResult[];
  presigned: number;
  signSeconds: number;
}

const CLIENT_SCRIPT = fileURLToPath(new URL('./load-client.js', import.meta.url));

/** Forks one load client per config, waits until all have pre-signed, starts them together. */
export async function runLoad(configs: readonly LoadClientConfig[]): Promise<LoadRun> {
  const clients = configs.map((config) => {
    const child = fork(CLIENT_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.add(child);
    child.once('exit', () => children.delete(child));
    child.send({ type: 'config', config });
    return child;
  });
  const readies: { presigned: number; signSeconds: number }[] = [];
  const results: LoadClientResult[] = [];
  const done = Promise.all(
    clients.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.on('message', (message: FromClient) => {
            if (message.type === 'ready') {
              readies.push(message);
              if (readies.length === clients.length) {
                const at = Date.now() + 200;
                for (const c of clients) c.send({ type: 'go', at });
              }
            } else if (message.type === 'result') {
              results.push(message.result);
              resolve();
            } else reject(new Error(`a load client failed: ${message.message}`));
          });
          child.once('exit', (code) => {
            reject(new Error(`a load client exited (${code ?? 'signal'}) before reporting`));
          });
        }),
    ),
  );
  try {
    await done;
  } finally {
    for (const child of clients) child.kill('SIGKILL');
  }
  return {
    results: results.sort((a, b) => a.client - b.client),
    presigned: readies.reduce((n, r) => n + r.presigned, 0),
    signSeconds: Math.max(...readies.map((r) => r.signSeconds)),
  };
}

/** The most resident memory the process has had (VmHWM), in bytes, or undefined. */
export function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Bytes of the node's database files (with its write-ahead log). */
export function databaseBytes(node: DevnetNode): number {
  return DATABASE_FILES.map((f) => join(node.dataDir, f))
    .filter((f) => existsSync(f))
    .reduce((n, f) => n + statSync(f).size, 0);
}

/** Deletes a stopped node's database, so that it syncs from genesis when started again. */
export function wipeDatabase(node: DevnetNode): void {
  for (const f of DATABASE_FILES) rmSync(join(node.dataDir, f), { force: true });
}

/** A gauge or counter from a node's `/metrics` (undefined if it does not answer). */
export async function metric(node: DevnetNode, name: string): Promise<number | undefined> {
  return (await metrics(node, [name]))[0];
}

/** Unlabelled gauges or counters from one scrape of a node's `/metrics`, index-aligned. */
export async function metrics(
  node: DevnetNode,
  names: readonly string[],
): Promise<(number | undefined)[]> {
  let text: string;
  try {
    const response = await fetch(`${node.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    text = await response.text();
  } catch {
    return names.map(() => undefined);
  }
  return names.map((name) => {
    const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
    return value === undefined || !Number.isFinite(Number(value)) ? undefined : Number(value);
  });
}

/** Pending transactions at a node. */
function mempoolSize(node: DevnetNode): Promise<number | undefined> {
  return metric(node, 'waybill_mempool_size');
}

/**
 * Waits until no node has anything pending, so that one run's backlog does not count against the
 * next; gives up after `maxMs` and says so. Returns the seconds it waited.
 */
export async function settle(
  network: BenchNetwork,
  log: (line: string) => void,
  maxMs = 600_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const sizes = await Promise.all(network.devnet.nodes.map(mempoolSize));
    if (sizes.every((size) => size === 0)) return (Date.now() - started) / 1000;
    if (Date.now() - started > maxMs) {
      log(`  warning: still pending after ${maxMs / 1000} s: ${sizes.join(', ')}`);
      return (Date.now() - started) / 1000;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
