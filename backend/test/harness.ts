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

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

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

const running = new Set<ChildProcess>();
const dirs: string[] = [];

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'waybill-test-'));
  dirs.push(dir);
  return dir;
}

/** Kills every node still running and removes the data directories (afterAll). */
export async function cleanUp(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGKILL');
        }),
    ),
  );
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

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
      WAYBILL_HEARTBEAT_MS: '1000',
      WAYBILL_BLOCK_INTERVAL_MS: '50',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
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
