/**
 * Real node processes for integration tests: each runs `node dist/main.js` on a temporary data
 * directory and a free loopback port, and is killed when the test ends, also when it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenesisConfig } from '@waybill/shared/block';
import { WaybillClient } from '@waybill/shared/client';
import { bytesToHex } from '@waybill/shared/encoding';
import {
  participantKeys,
  participantTransactions,
  testKey,
  type Participants,
  type TestKey,
} from '@waybill/shared/testing';
import { createTx, type PayloadOf, type SignedTx, type TxType } from '@waybill/shared/tx';

/** The built node entry point the tests run. */
export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Fast blocks for tests: a heartbeat every second, pending transactions packed after 50 ms. */
export const TEST_NODE_ENV: Readonly<Record<string, string>> = {
  WAYBILL_HEARTBEAT_MS: '1000',
  WAYBILL_BLOCK_INTERVAL_MS: '50',
};

export interface NodeProcess {
  url: string;
  graphqlUrl: string;
  client: WaybillClient;
  child: ChildProcess;
  logs: string[];
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Processes started by the tests; `group`: a process group leader, killed with its children. */
const running = new Map<ChildProcess, { group: boolean }>();
const dirs: string[] = [];

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'waybill-test-'));
  dirs.push(dir);
  return dir;
}

/**
 * Registers a process for `cleanUp` and the exit safety net. Pass `group: true` for a process
 * spawned with `detached: true` (a process group leader, such as `waybill devnet`), so that the
 * node processes it started die with it.
 */
export function track(child: ChildProcess, options: { group?: boolean } = {}): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  running.set(child, { group: options.group ?? false });
  child.once('exit', () => {
    running.delete(child);
  });
}

function killNow(child: ChildProcess, group: boolean): void {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Kills every tracked process still running (afterEach, so one failure does not cascade). */
export async function stopRunning(): Promise<void> {
  await Promise.all(
    [...running].map(
      ([child, { group }]) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
          killNow(child, group);
        }),
    ),
  );
}

/** Kills every process still running and removes the temporary directories (afterAll). */
export async function cleanUp(): Promise<void> {
  await stopRunning();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// The safety net when a test file ends without its afterAll (a crash, a timeout, Ctrl-C): one
// 'exit' listener per process, also when a worker loads this module for several test files.
const EXIT_NET = Symbol.for('waybill.test.exit-net');
const holder = globalThis as { [EXIT_NET]?: Set<() => void> };
if (!holder[EXIT_NET]) {
  const sweeps = new Set<() => void>();
  holder[EXIT_NET] = sweeps;
  process.once('exit', () => {
    for (const sweep of sweeps) sweep();
  });
}
holder[EXIT_NET].add(() => {
  for (const [child, { group }] of running) killNow(child, group);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface SoloChain {
  dataDir: string;
  genesis: GenesisConfig;
  authority: TestKey;
  sign: <T extends TxType>(type: T, payload: PayloadOf<T>, key: TestKey) => SignedTx;
}

/** Writes genesis and the authority key of a one-authority chain into a fresh data directory. */
export function soloChain(chainId = 'waybill-it'): SoloChain {
  const dataDir = tempDataDir();
  const authority = testKey('authority-0');
  const genesis: GenesisConfig = {
    chainId,
    timestamp: '2026-11-25T00:00:00.000Z',
    authorities: [{ publicKey: authority.publicKey, name: 'Solo authority' }],
  };
  writeFileSync(join(dataDir, 'genesis.json'), JSON.stringify(genesis, null, 2));
  writeFileSync(join(dataDir, 'authority.key'), bytesToHex(authority.secretKey), { mode: 0o600 });
  return {
    dataDir,
    genesis,
    authority,
    sign: (type, payload, key) =>
      createTx({ chainId, type, payload, secretKey: key.secretKey }) as SignedTx,
  };
}

export async function startNode(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      WAYBILL_DATA_DIR: dataDir,
      WAYBILL_PORT: '0',
      WAYBILL_P2P_PORT: '0',
      ...TEST_NODE_ENV,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      // A signal's death has no code: keep which signal, for the test that reads the logs.
      if (signal !== null) logs.push(`[the node died of ${signal}]\n`);
      resolve(code);
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`node did not start in 30 s:\n${logs.join('')}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      logs.push(text);
      const match = /GraphQL (http:\/\/[\d.:]+)\/graphql/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${String(code)} before it was ready:\n${logs.join('')}`));
    });
  });
  const graphqlUrl = `${url}/graphql`;
  return {
    url,
    graphqlUrl,
    client: new WaybillClient({ url: graphqlUrl }),
    child,
    logs,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Submits a transaction and waits until it is final; throws with the reason otherwise. */
export async function submitFinal(node: NodeProcess, tx: SignedTx): Promise<string> {
  const result = await node.client.submit(tx, { waitFinal: true });
  if (result.status !== 'FINAL')
    throw new Error(
      `${tx.type} ended ${result.status}: ${result.code ?? ''} ${result.message ?? ''}`,
    );
  return result.hash as string;
}

/** Registers the shared fixture's participants (admin and staff key each) through the API. */
export async function registerParticipantsOverApi(
  node: NodeProcess,
  chain: SoloChain,
): Promise<Participants> {
  const keys = participantKeys();
  const { registrations, members } = participantTransactions(chain.sign, chain.authority, keys);
  for (const batch of [registrations, members]) {
    const results = await node.client.submitMany(batch, { waitFinal: true });
    const refused = results.find((r) => r.status !== 'FINAL');
    if (refused)
      throw new Error(
        `participant registration ended ${refused.status}: ${refused.code ?? ''} ${refused.message ?? ''}`,
      );
  }
  return keys;
}
