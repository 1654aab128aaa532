/**
 * `waybill init`'s network.json, `waybill devnet` as a real command (its node processes, seeding,
 * resume, reset, Ctrl-C) and the multi-process test network. Every process started here runs in a
 * process group that cleanUp() kills, also when a test fails.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { genesisHash, type GenesisConfig } from '@waybill/shared/block';
import { WaybillClient } from '@waybill/shared/client';
import { decryptKeystore } from '@waybill/shared/keys';
import { isPortFree } from '../src/cli/devnet.js';
import { demoKeys } from '../src/demo/index.js';
import { nodeEnv, readNetwork, type NetworkFile } from '../src/cli/init.js';
import { peerIdOfKeyFile } from '../src/p2p/peer-key.js';
import { TEST_NODE_ENV, cleanUp, stopRunning, tempDataDir, track } from './harness.js';
import { freeBasePort, startTestNetwork } from './network-harness.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

// A test that fails before stopping its devnet must not leave it holding the next one's ports.
afterEach(stopRunning);
afterAll(cleanUp);

async function waybill(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface DevnetRun {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the output once it matches; rejects when the command ends or time runs out. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `waybill devnet ...` in its own process group (cleanUp kills it with its nodes). */
function devnet(args: string[]): DevnetRun {
  const child = spawn(process.execPath, [CLI, 'devnet', ...args], {
    env: { ...process.env, ...TEST_NODE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  track(child, { group: true });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) done(() => resolve(text));
          else if (child.exitCode !== null || child.signalCode !== null)
            done(() =>
              reject(new Error(`devnet ended before printing ${String(pattern)}:\n${text}`)),
            );
        };
        const timer = setTimeout(() => {
          done(() =>
            reject(new Error(`devnet did not print ${String(pattern)} in time:\n${text}`)),
          );
        }, timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
  };
}

async function height(url: string): Promise<number> {
  return (await new WaybillClient({ url }).chain()).height;
}

async function blockHash(url: string, at: number): Promise<string | undefined> {
  const { block } = await new WaybillClient({ url }).request<{ block: { hash: string } | null }>(
    'query ($h: Int!) { block(height: $h) { hash } }',
    { h: at },
  );
  return block?.hash;
}

/** The keystore files in `<dir>/keystores`, by name, as written. */
function keystoreFiles(dir: string): Map<string, string> {
  const keystores = join(dir, 'keystores');
  return new Map(
    readdirSync(keystores)
      .sort()
      .map((name) => [name, readFileSync(join(keystores, name), 'utf8')]),
  );
}

async function organization(url: string, id: string): Promise<{ registeredAt: number } | null> {
  return (
    await new WaybillClient({ url }).request<{ organization: { registeredAt: number } | null }>(
      'query ($id: String!) { organization(id: $id) { registeredAt } }',
      { id },
    )
  ).organization;
}

describe('waybill init', () => {
  it('writes network.json: roles, distinct ports and peer ids matching each p2p.key', async () => {
    const dir = tempDataDir();
    const init = await waybill([
      'init',
      '--dir',
      dir,
      '--authorities',
      '4',
      '--observers',
      '1',
      '--base-port',
      '5001',
    ]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('network.json');
    const file = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as NetworkFile;
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as GenesisConfig;
    expect(file.genesisHash).toBe(genesisHash(genesis));
    expect(file.nodes.map((n) => [n.name, n.role, n.dataDir, n.httpPort, n.p2pPort])).toEqual([
      ['authority-1', 'authority', 'authority-1', 5001, 5101],
      ['authority-2', 'authority', 'authority-2', 5002, 5102],
      ['authority-3', 'authority', 'authority-3', 5003, 5103],
      ['authority-4', 'authority', 'authority-4', 5004, 5104],
      ['observer-1', 'observer', 'observer-1', 5005, 5105],
    ]);
    expect(file.nodes.slice(0, 4).map((n) => n.publicKey)).toEqual(
      genesis.authorities.map((a) => a.publicKey),
    );
    expect(file.nodes[4]?.publicKey).toBeUndefined();
    expect(new Set(file.nodes.map((n) => n.peerId)).size).toBe(5);
    for (const node of file.nodes) {
      const key = join(dir, node.dataDir, 'p2p.key');
      expect(await peerIdOfKeyFile(key)).toBe(node.peerId);
      expect(statSync(key).mode & 0o077).toBe(0);
    }

    // What a node of this network is started with.
    const network = readNetwork(dir);
    const first = network.nodes[0]!;
    expect(first.dataDir).toBe(join(dir, 'authority-1'));
    const env = nodeEnv(network, first);
    expect(env.WAYBILL_PORT).toBe('5001');
    expect(env.WAYBILL_P2P_PORT).toBe('5101');
    expect(env.WAYBILL_BOOTSTRAP?.split(',')).toEqual(
      file.nodes.slice(1).map((n) => `/ip4/127.0.0.1/tcp/${n.p2pPort}/p2p/${n.peerId}`),
    );
    expect(env.WAYBILL_ALLOWED_PEERS?.split(',')).toEqual(file.nodes.map((n) => n.peerId));

    // --force makes a new network: new keys and new identities.
    expect((await waybill(['init', '--dir', dir, '--force'])).code).toBe(0);
    const again = readNetwork(dir);
    expect(again.nodes).toHaveLength(1);
    expect(again.nodes[0]?.peerId).not.toBe(first.peerId);
    expect(again.nodes[0]?.httpPort).toBe(4001);
  });

  it('refuses port ranges that overlap or leave 1..65535', async () => {
    const dir = tempDataDir();
    const tooHigh = await waybill([
      'init',
      '--dir',
      dir,
      '--authorities',
      '2',
      '--base-port',
      '65435',
    ]);
    expect(tooHigh.code).toBe(1);
    expect(tooHigh.stderr).toMatch(/port 65536/);
  });
});

describe('waybill devnet with one authority', () => {
  const dir = tempDataDir();
  let basePort = 0;
  let seededAt = 0;
  let firstGenesis = '';

  it('starts, seeds through the API, prints the URLs and stops every node on SIGINT', async () => {
    basePort = await freeBasePort(1);
    const run = devnet([
      '--dir',
      dir,
      '--authorities',
      '1',
      '--observers',
      '0',
      '--base-port',
      String(basePort),
    ]);
    const out = await run.waitFor(/Press Ctrl-C/, 90_000);
    const url = `http://127.0.0.1:${basePort}/graphql`;
    expect(out).toMatch(/created a new devnet waybill-devnet/);
    expect(out).toMatch(/seeded \d+ transactions/);
    expect(out).toContain(url);
    expect(out).toContain(`http://127.0.0.1:${basePort}/readyz`);
    expect(out).toMatch(/authority-1 \| .*waybill node ready/);
    expect(await organization(url, 'alpen-dairy')).not.toBeNull();
    seededAt = (await organization(url, 'alpen-dairy'))!.registeredAt;
    firstGenesis = (await new WaybillClient({ url }).chain()).genesisHash;

    // The demo members' keystores, named <org>-<role>-<n>.json, open with the printed passphrase.
    expect(out).toContain(`keystores ${join(dir, 'keystores')}`);
    expect(out).toContain('passphrase: waybill-demo');
    const files = keystoreFiles(dir);
    const expected = Object.values(demoKeys()).flatMap(({ orgId, members }) =>
      members.map((m) => ({ orgId, publicKey: m.publicKey, label: m.label, role: m.role })),
    );
    expect(files.size).toBe(expected.length);
    expect([...files.keys()]).toContain('alpen-dairy-admin-1.json');
    expect([...files.keys()]).toContain('fsa-nl-staff-2.json');
    const opened = [...files].map(([name, text]) => {
      const keystore = decryptKeystore(JSON.parse(text), 'waybill-demo');
      return { name, orgId: keystore.org, publicKey: keystore.publicKey, label: keystore.label };
    });
    for (const member of expected) {
      const file = opened.find((o) => o.publicKey === member.publicKey);
      expect(file).toMatchObject({ orgId: member.orgId, label: member.label });
      expect(file?.name).toMatch(new RegExp(`^${member.orgId}-${member.role}-\\d\\.json$`));
    }
    // The seeded members of the chain are those keys (members added in one block are listed
    // by key, so compare as sets: how the seed's waves fall into blocks varies).
    const { organization: dairy } = await new WaybillClient({ url }).request<{
      organization: { members: { publicKey: string }[] };
    }>('{ organization(id: "alpen-dairy") { members { publicKey } } }');
    expect(dairy.members.map((m) => m.publicKey).sort()).toEqual(
      expected
        .filter((m) => m.orgId === 'alpen-dairy')
        .map((m) => m.publicKey)
        .sort(),
    );

    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output()).toMatch(/SIGINT: stopping 1 node/);
    expect(await isPortFree('127.0.0.1', basePort)).toBe(true);
    const log = readFileSync(join(dir, 'authority-1', 'node.log'), 'utf8');
    expect(log).toMatch(/SIGTERM: shutting down/);
    expect(log.trimEnd()).toMatch(/exited with code 0$/);
  }, 120_000);

  it('resumes the same chain without seeding again', async () => {
    const before = readFileSync(join(dir, 'seed.json'), 'utf8');
    const keystoresBefore = keystoreFiles(dir);
    const run = devnet(['--dir', dir, '--base-port', String(basePort)]);
    const out = await run.waitFor(/Press Ctrl-C/, 60_000);
    const url = `http://127.0.0.1:${basePort}/graphql`;
    expect(out).toMatch(/resuming the devnet waybill-devnet/);
    expect(out).toMatch(/already on the chain/);
    expect(out).not.toMatch(/seeding/);
    expect(readFileSync(join(dir, 'seed.json'), 'utf8')).toBe(before);
    // The keystores are still there and left as they were.
    expect(out).toContain('passphrase: waybill-demo');
    expect(keystoreFiles(dir)).toEqual(keystoresBefore);
    const chain = await new WaybillClient({ url }).chain();
    expect(chain.genesisHash).toBe(firstGenesis);
    expect(chain.height).toBeGreaterThanOrEqual(seededAt);
    expect((await organization(url, 'alpen-dairy'))?.registeredAt).toBe(seededAt);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  }, 90_000);

  it('refuses to resume as a different network, and --reset starts over', async () => {
    const mismatch = await waybill(['devnet', '--dir', dir, '--authorities', '2']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/has 1 authority, not 2: pass --reset/);

    const peerBefore = readNetwork(dir).nodes[0]?.peerId;
    const run = devnet([
      '--dir',
      dir,
      '--reset',
      '--authorities',
      '1',
      '--observers',
      '0',
      '--base-port',
      String(basePort),
      '--no-seed',
    ]);
    const out = await run.waitFor(/Press Ctrl-C/, 60_000);
    expect(out).toMatch(/created a new devnet/);
    expect(out).not.toMatch(/seeding|seeded/);
    const url = `http://127.0.0.1:${basePort}/graphql`;
    expect((await new WaybillClient({ url }).chain()).genesisHash).not.toBe(firstGenesis);
    expect(await organization(url, 'alpen-dairy')).toBeNull();
    expect(existsSync(join(dir, 'keystores'))).toBe(false);
    expect(readNetwork(dir).nodes[0]?.peerId).not.toBe(peerBefore);
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
  }, 90_000);

  it('says which port is taken instead of starting', async () => {
    const busyDir = tempDataDir();
    const port = await freeBasePort(1);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const result = await waybill([
        'devnet',
        '--dir',
        busyDir,
        '--authorities',
        '1',
        '--observers',
        '0',
        '--base-port',
        String(port),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} (authority-1 HTTP) is in use`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('reports a node that dies and keeps the others; --exit-on-failure stops them all', async () => {
    const dir2 = tempDataDir();
    const port = await freeBasePort(2);
    const args = ['--dir', dir2, '--authorities', '1', '--observers', '1', '--no-seed'];
    const run = devnet([...args, '--base-port', String(port)]);
    const out = await run.waitFor(/Press Ctrl-C/, 60_000);
    const pid = Number(/observer-1\s+observer\s+(\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await run.waitFor(/observer-1 was killed by SIGKILL unexpectedly/);
    await run.waitFor(/node --env-file=.*observer-1\/node\.env/);
    expect(await height(`http://127.0.0.1:${port}/graphql`)).toBeGreaterThanOrEqual(0);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);

    const strict = devnet([...args, '--base-port', String(port), '--exit-on-failure']);
    const table = await strict.waitFor(/Press Ctrl-C/, 60_000);
    expect(table).toMatch(/resuming the devnet/);
    process.kill(Number(/observer-1\s+observer\s+(\d+)/.exec(table)?.[1]), 'SIGKILL');
    expect((await strict.exited).code).toBe(1);
    expect(strict.output()).toMatch(/--exit-on-failure/);
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
  }, 120_000);
});

describe('a test network of 4 authorities and an observer in 5 processes', () => {
  it('starts every node ready on its own ports, restarts one and stops them all', async () => {
    const net = await startTestNetwork({ authorities: 4, observers: 1 });
    expect(net.nodes.map((n) => `${n.name}:${n.role}`)).toEqual([
      'authority-1:authority',
      'authority-2:authority',
      'authority-3:authority',
      'authority-4:authority',
      'observer-1:observer',
    ]);
    const ports = net.nodes.flatMap((n) => [n.httpPort, n.p2pPort]);
    expect(new Set(ports).size).toBe(10);
    expect(new Set(net.nodes.map((n) => n.peerId)).size).toBe(5);
    for (const node of net.nodes) {
      const chain = await node.client.chain();
      expect(chain.genesisHash).toBe(net.genesisHash);
      expect(chain.authorities.map((a) => a.publicKey).sort()).toEqual(
        net.authorities.map((a) => a.publicKey).sort(),
      );
      const env = readFileSync(node.envFile, 'utf8');
      expect(env).toContain(`WAYBILL_P2P_PORT=${node.p2pPort}\n`);
      expect(env).toContain(`WAYBILL_ALLOWED_PEERS=${net.nodes.map((n) => n.peerId).join(',')}\n`);
      const bootstrap = /WAYBILL_BOOTSTRAP=(.*)\n/.exec(env)?.[1]?.split(',');
      expect(bootstrap).toEqual(net.nodes.filter((n) => n !== node).map((n) => n.multiaddr));
    }
    await net.waitForHeight(0);

    const observer = net.node('observer-1');
    expect(await observer.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(observer.running).toBe(false);
    expect(await observer.readyHeight()).toBeUndefined();
    await observer.restart();
    expect(observer.running).toBe(true);
    expect(observer.logs.some((l) => l.includes('waybill node ready'))).toBe(true);

    await net.stop();
    expect(net.nodes.every((n) => !n.running)).toBe(true);
    for (const port of ports) expect(await isPortFree('127.0.0.1', port)).toBe(true);
  }, 120_000);
});

// The crash, stall and sync behaviour of such a network is network.integration.test.ts's.
describe('a finalizing network of 4 authorities and an observer', () => {
  it('waybill devnet with the defaults seeds, and every node agrees on the chain', async () => {
    const dir = tempDataDir();
    const basePort = await freeBasePort(5);
    const run = devnet(['--dir', dir, '--base-port', String(basePort)]);
    const out = await run.waitFor(/Press Ctrl-C/, 180_000);
    expect(out).toMatch(/4 authorities, 1 observer/);
    expect(out).toMatch(/seeded \d+ transactions, final at height (\d+)/);
    expect(out).toMatch(/every node has reached height/);
    const finalAt = Number(/final at height (\d+)/.exec(out)?.[1]);
    const urls = Array.from({ length: 5 }, (_, i) => `http://127.0.0.1:${basePort + i}/graphql`);
    const hashes = await Promise.all(urls.map((url) => blockHash(url, finalAt)));
    expect(hashes[0]).toBeDefined();
    expect(new Set(hashes).size).toBe(1);
    for (const url of urls) expect(await organization(url, 'alpen-dairy')).not.toBeNull();
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
  }, 240_000);
});
