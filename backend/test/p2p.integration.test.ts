/**
 * The libp2p host for real: P2pService instances on 127.0.0.1 with real TCP, Noise, Yamux and
 * gossipsub, serving blocks of a real certified in-memory chain (TestChain). Every host is stopped
 * after each test, also when it fails; every wait is bounded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { Libp2p } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { lpStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import { blockHash, verifyCommitCertificate, type Block } from '@waybill/shared/block';
import { registerParticipants, TestChain } from '@waybill/shared/testing';
import { Logger, type LoggerService } from '@nestjs/common';
import { createLibp2p } from 'libp2p';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { P2pError } from '../src/p2p/errors.js';
import type { BlockSource, GossipTopic, Verdict } from '../src/p2p/interface.js';
import { P2P_DEFAULTS, type P2pOptions } from '../src/p2p/p2p.options.js';
import { GOSSIP_WIRE_LIMIT_BYTES, P2pService } from '../src/p2p/p2p.service.js';
import { loadOrCreatePeerKey } from '../src/p2p/peer-key.js';
import { blocksProtocol, statusProtocol } from '../src/p2p/protocol.js';

const CHAIN_BLOCKS = 70;
const hosts = new Set<P2pService>();
const rawNodes = new Set<Libp2p>();
let dir: string;
let chain: TestChain;
let keyCounter = 0;

/** The in-memory chain as the host's block source. */
function sourceOf(testChain: TestChain): BlockSource {
  return {
    get height() {
      return testChain.height;
    },
    get headHash() {
      return blockHash(testChain.headHeader);
    },
    blockAt: (height) => {
      const block = testChain.blocks[height - 1]?.block;
      return Promise.resolve(block && { header: block.header, commit: block.commit });
    },
    txsOfBlock: (height) =>
      Promise.resolve((testChain.blocks[height - 1]?.block.txs ?? []).map((tx) => ({ tx }))),

    refusalsOfBlock: () => Promise.resolve([]),
  };
}

function keyFile(): string {
  return join(dir, `peer-${keyCounter++}.key`);
}

interface HostOptions extends Partial<P2pOptions> {
  source?: BlockSource;
}

/** Starts a host on a free loopback port; it is stopped after the test. */
async function startHost(options: HostOptions = {}): Promise<P2pService> {
  const { source = sourceOf(chain), ...rest } = options;
  const host = new P2pService(
    {
      ...P2P_DEFAULTS,
      chainId: chain.chainId,
      host: '127.0.0.1',
      port: 0,
      bootstrap: [],
      allowedPeers: [],
      peerKeyFile: keyFile(),
      maxMessageBytes: 8 * 1024 * 1024,
      requestTimeoutMs: 5_000,
      redialMinMs: 100,
      redialMaxMs: 1_000,
      ...rest,
    },
    source,
  );
  hosts.add(host);
  await host.start();
  return host;
}

async function stopHost(host: P2pService): Promise<void> {
  hosts.delete(host);
  await host.stop();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms; fails with `what` after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(20);
  }
}

function connected(a: P2pService, b: P2pService): boolean {
  return (
    a.peers().some((p) => p.peerId === b.peerId) && b.peers().some((p) => p.peerId === a.peerId)
  );
}

/** Records every message a host's handler sees, answering with `verdict(text)`. */
function record(
  host: P2pService,
  topic: GossipTopic,
  verdict: (text: string) => Verdict = () => 'accept',
): { text: string; from: string }[] {
  const seen: { text: string; from: string }[] = [];
  host.onGossip(topic, (data, from) => {
    const text = new TextDecoder().decode(data);
    seen.push({ text, from });
    return verdict(text);
  });
  return seen;
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Publishes numbered copies of `text` until `seen` has one (the mesh takes a heartbeat to form). */
async function publishUntilSeen(
  host: P2pService,
  topic: GossipTopic,
  text: string,
  seen: { text: string }[],
): Promise<void> {
  let n = 0;
  const deadline = Date.now() + 10_000;
  while (!seen.some((m) => m.text.startsWith(text))) {
    if (Date.now() > deadline) throw new Error(`"${text}" never arrived`);
    await host.publish(topic, bytes(`${text}#${n++}`));
    await pause(100);
  }
}

/** Warnings the hosts logged (penalties), kept instead of printed. */
const warnings: string[] = [];
const quietLogger: LoggerService = {
  log: (message: unknown) => {
    if (process.env.P2P_VERBOSE) console.log(message);
  },
  debug: (message: unknown) => {
    if (process.env.P2P_VERBOSE) console.debug(message);
  },
  verbose: () => undefined,
  warn: (message: unknown) => {
    warnings.push(String(message));
    if (process.env.P2P_VERBOSE) console.warn(message);
  },
  error: (message: unknown) => {
    console.error(message);
  },
};

beforeAll(async () => {
  Logger.overrideLogger(quietLogger);
  dir = await mkdtemp(join(tmpdir(), 'waybill-p2p-'));
  chain = new TestChain();
  await registerParticipants(chain);
  while (chain.height < CHAIN_BLOCKS) await chain.commit([]);
});

afterEach(async () => {
  await Promise.allSettled([...hosts].map((host) => stopHost(host)));
  await Promise.allSettled(
    [...rawNodes].map(async (node) => {
      await node.stop();
    }),
  );
  rawNodes.clear();
  warnings.length = 0;
});

afterAll(async () => {
  Logger.overrideLogger(false);
  await rm(dir, { recursive: true, force: true });
});

describe('p2p host', { timeout: 30_000 }, () => {
  it('connects two hosts through a bootstrap address and lists them as peers', async () => {
    const a = await startHost();
    expect(a.peerId).toMatch(/^12D3KooW/);
    expect(a.listenAddresses[0]).toMatch(
      new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${a.peerId}$`),
    );
    const b = await startHost({ bootstrap: [a.listenAddresses[0]!] });
    const seenByA = new Promise<string>((resolve) => a.onPeerConnected(resolve));
    await waitFor(() => connected(a, b), 'a and b to connect');
    expect(await seenByA).toBe(b.peerId);
    const [fromB] = b.peers();
    expect(fromB).toMatchObject({ peerId: a.peerId, direction: 'outbound' });
    expect(fromB?.address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+/);
    expect(a.peers()[0]).toMatchObject({ peerId: b.peerId, direction: 'inbound' });
    // A taken port is a clear start-up error.
    const port = Number(/\/tcp\/(\d+)\//.exec(a.listenAddresses[0]!)?.[1]);
    await expect(startHost({ port })).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
  });

  it('delivers gossip to every host and forwards it only when the relay accepts', async () => {
    // a - b - c in a line: c hears a only through b.
    const b = await startHost();
    const a = await startHost({ bootstrap: b.listenAddresses });
    const c = await startHost({ bootstrap: b.listenAddresses });
    const atA = record(a, 'transactions');
    const atB = record(b, 'transactions', (text) =>
      text.startsWith('skip') ? 'ignore' : 'accept',
    );
    const atC = record(c, 'transactions');
    record(b, 'consensus');
    const consensusAtC = record(c, 'consensus');
    await waitFor(() => connected(a, b) && connected(b, c), 'the line a-b-c');
    expect(a.peers().map((p) => p.peerId)).toEqual([b.peerId]);

    await publishUntilSeen(a, 'transactions', 'warm-up', atC);
    await a.publish('transactions', bytes('skip-1'));
    await a.publish('transactions', bytes('ok-1'));
    await waitFor(() => atC.some((m) => m.text === 'ok-1'), 'ok-1 at c');
    expect(atB.map((m) => m.text)).toContain('skip-1');
    expect(atC.map((m) => m.text)).not.toContain('skip-1');
    // The handler learns the delivering peer; a host never hears its own messages.
    expect(atC.find((m) => m.text === 'ok-1')?.from).toBe(b.peerId);
    expect(atB.find((m) => m.text === 'ok-1')?.from).toBe(a.peerId);
    expect(atA).toEqual([]);
    // Topics are separate.
    expect(consensusAtC).toEqual([]);
    await publishUntilSeen(a, 'consensus', 'vote', consensusAtC);
    expect(atC.some((m) => m.text.startsWith('vote'))).toBe(false);
  });

  it('disconnects and refuses a peer after repeated rejects, for the penalty time', async () => {
    const a = await startHost({ maxRejects: 3, penaltyMs: 1_500 });
    const atA = record(a, 'consensus', () => 'reject');
    const b = await startHost({ bootstrap: a.listenAddresses });
    await waitFor(() => connected(a, b), 'a and b to connect');
    await publishUntilSeen(b, 'consensus', 'bad', atA);
    for (let i = 0; atA.length < 3; i++) {
      await b.publish('consensus', bytes(`bad-${i}`));
      await pause(50);
    }
    await waitFor(() => a.peers().length === 0 && b.peers().length === 0, 'the disconnect');
    expect(warnings.some((w) => w.includes(b.peerId) && w.includes('rejected gossip'))).toBe(true);
    // b keeps redialling (every 100-200 ms here) and a keeps refusing it until the penalty ends.
    const refusedSince = Date.now();
    await expect(a.status(b.peerId)).rejects.toMatchObject({ code: 'REQUEST_FAILED' });
    await waitFor(() => connected(a, b), 'the reconnect after the penalty', 5_000);
    expect(Date.now() - refusedSince).toBeGreaterThan(900);
    expect(atA.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects gossip over the size limit (and the sender pays for it), delivers big messages under it', async () => {
    const a = await startHost({ maxMessageBytes: 1024 * 1024, maxRejects: 2 });
    const atA = record(a, 'transactions');
    const b = await startHost({ bootstrap: a.listenAddresses });
    expect(a.maxGossipBytes).toBe(1024 * 1024);
    // gossipsub cannot carry more than 4 MiB, whatever the setting (8 MiB by default).
    expect(b.maxGossipBytes).toBe(GOSSIP_WIRE_LIMIT_BYTES);
    await waitFor(() => connected(a, b), 'a and b to connect');
    await publishUntilSeen(b, 'transactions', 'hello', atA);
    const full = new Uint8Array(1024 * 1024).fill(0x61);
    await b.publish('transactions', full);
    await waitFor(() => atA.some((m) => m.text.length === full.length), 'the 1 MiB message');
    const before = atA.length;
    const over = new Uint8Array(1024 * 1024 + 1).fill(0x62);
    await b.publish('transactions', over);
    await b.publish('transactions', over);
    await waitFor(() => a.peers().length === 0, 'the disconnect of the oversized sender');
    expect(atA.length).toBe(before);
    expect(warnings.some((w) => w.includes(b.peerId) && w.includes('bytes (limit 1048576)'))).toBe(
      true,
    );
    // A host refuses to publish what it (or gossipsub) would not carry.
    await expect(a.publish('transactions', over)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await expect(
      b.publish('transactions', new Uint8Array(GOSSIP_WIRE_LIMIT_BYTES + 1)),
    ).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('carries a gossip message of the largest size gossipsub allows', async () => {
    const a = await startHost();
    const atA = record(a, 'consensus');
    const b = await startHost({ bootstrap: a.listenAddresses });
    await waitFor(() => connected(a, b), 'a and b to connect');
    await publishUntilSeen(b, 'consensus', 'hello', atA);
    const largest = new Uint8Array(b.maxGossipBytes).fill(0x63);
    await b.publish('consensus', largest);
    await waitFor(() => atA.some((m) => m.text.length === largest.length), 'the largest message');
  });

  it('in permissioned mode refuses peers not on the list, inbound and outbound', async () => {
    const friendKey = keyFile();
    const friendId = (await loadOrCreatePeerKey(friendKey)).peerId;
    const a = await startHost({ allowedPeers: [friendId] });
    const stranger = await startHost({ bootstrap: a.listenAddresses });
    const friend = await startHost({ peerKeyFile: friendKey, bootstrap: a.listenAddresses });
    await waitFor(() => connected(a, friend), 'the listed peer to connect');
    expect(a.peers().map((p) => p.peerId)).toEqual([friend.peerId]);
    expect(stranger.peers()).toEqual([]);
    // Outbound too: a does not dial a peer off the list.
    await expect(a.status(stranger.peerId)).rejects.toMatchObject({ code: 'REQUEST_FAILED' });
    expect(await a.status(friend.peerId)).toEqual({
      height: CHAIN_BLOCKS,
      hash: blockHash(chain.headHeader),
    });
    expect(a.peers().map((p) => p.peerId)).toEqual([friend.peerId]);
  });

  it('serves status and real certified blocks, at most 64 per request and none past the head', async () => {
    const server = await startHost();
    const client = await startHost({ bootstrap: server.listenAddresses });
    await waitFor(() => connected(server, client), 'the connection');
    expect(await client.status(server.peerId)).toEqual({
      height: CHAIN_BLOCKS,
      hash: blockHash(chain.headHeader),
    });
    const validators = chain.authorityKeys.map((k) => k.publicKey);
    const checkBlocks = (blocks: Block[], from: number) => {
      blocks.forEach((block, i) => {
        const expected = chain.blocks[from - 1 + i]!.block;
        expect(block.header).toEqual(expected.header);
        expect(block.txs).toEqual(expected.txs);
        const check = verifyCommitCertificate({
          certificate: block.commit,
          chainId: chain.chainId,
          validators,
          header: block.header,
        });
        expect(check.ok).toBe(true);
        if (i > 0) expect(block.header.prevHash).toBe(blockHash(blocks[i - 1]!.header));
      });
    };
    const first = await client.fetchBlocks(server.peerId, 1, 3);
    expect(first.map((b) => b.header.height)).toEqual([1, 2, 3]);
    expect(first[0]!.txs.length).toBe(10); // the participants' registrations
    checkBlocks(first, 1);
    const capped = await client.fetchBlocks(server.peerId, 1, 1_000);
    expect(capped.length).toBe(64);
    checkBlocks(capped, 1);
    const tail = await client.fetchBlocks(server.peerId, 65, 100);
    expect(tail.map((b) => b.header.height)).toEqual([65, 66, 67, 68, 69, 70]);
    checkBlocks(tail, 65);
    expect(await client.fetchBlocks(server.peerId, 71, 80)).toEqual([]);
    expect(await client.fetchBlocks(server.peerId, 5, 4)).toEqual([]);
    await expect(client.fetchBlocks(server.peerId, 0, 4)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(client.status(client.peerId)).rejects.toBeInstanceOf(P2pError);
  });

  it('does not talk to a node of another chain', async () => {
    const a = await startHost();
    const atA = record(a, 'transactions');
    const otherChain = new TestChain({ chainId: 'waybill-other' });
    const other = await startHost({
      chainId: otherChain.chainId,
      source: sourceOf(otherChain),
      bootstrap: a.listenAddresses,
    });
    const atOther = record(other, 'transactions');
    const b = await startHost({ bootstrap: a.listenAddresses });
    await waitFor(() => connected(a, b), 'a and b to connect');
    await waitFor(
      // Whichever identifies first hangs up; the other may never see a full handshake.
      () =>
        warnings.some(
          (w) => (w.includes(other.peerId) || w.includes(a.peerId)) && w.includes('another chain'),
        ),
      'the hosts of different chains to refuse each other',
    );
    expect(a.peers().map((p) => p.peerId)).toEqual([b.peerId]);
    expect(other.peers()).toEqual([]);
    await publishUntilSeen(b, 'transactions', 'same-chain', atA);
    await other.publish('transactions', bytes('other-chain'));
    await expect(a.status(other.peerId)).rejects.toBeInstanceOf(P2pError);
    expect(atA.some((m) => m.text === 'other-chain')).toBe(false);
    expect(atOther).toEqual([]);
  });

  it('redials a bootstrap peer that restarts', async () => {
    const aKey = keyFile();
    let a = await startHost({ peerKeyFile: aKey });
    const address = a.listenAddresses[0]!;
    const port = Number(/\/tcp\/(\d+)\//.exec(address)?.[1]);
    const b = await startHost({ bootstrap: [address] });
    const atB = record(b, 'transactions');
    await waitFor(() => connected(a, b), 'the first connection');
    const reconnected = new Promise<string>((resolve) => b.onPeerConnected(resolve));
    await stopHost(a);
    await waitFor(() => b.peers().length === 0, 'b to notice');
    const stoppedAt = Date.now();
    a = await startHost({ peerKeyFile: aKey, port });
    expect(a.listenAddresses[0]).toBe(address);
    expect(await reconnected).toBe(a.peerId);
    const redialMs = Date.now() - stoppedAt;
    expect(redialMs).toBeLessThan(5_000);
    await publishUntilSeen(a, 'transactions', 'after-restart', atB);
  });

  it('isolates itself for a while (test control), then reconnects to its bootstrap peers', async () => {
    const a = await startHost();
    const b = await startHost({ bootstrap: [a.listenAddresses[0]!] });
    const atA = record(a, 'transactions');
    await waitFor(() => connected(a, b), 'the first connection');
    const isolatedAt = Date.now();
    expect(b.isolate(1_500).peers).toBe(1);
    await waitFor(() => b.peers().length === 0 && a.peers().length === 0, 'the hang-up');
    // Refused both ways while isolated: a dial from the other side does not get through.
    await expect(a.status(b.peerId)).rejects.toBeDefined();
    expect(b.peers()).toEqual([]);
    await waitFor(() => connected(a, b), 'the reconnection', 10_000);
    expect(Date.now() - isolatedAt).toBeGreaterThanOrEqual(1_500);
    await publishUntilSeen(b, 'transactions', 'after-isolation', atA);
  });

  it('times out on a silent peer, refuses a malformed response, takes frames over 4 MiB', async () => {
    const client = await startHost({ requestTimeoutMs: 500 });
    const raw = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
    });
    rawNodes.add(raw);
    // status: reads the request and never answers.
    await raw.handle(statusProtocol(chain.chainId), async (stream) => {
      await new Promise((resolve) => stream.addEventListener('close', resolve));
    });
    // blocks: announces more blocks than asked for up to 100, else serves one 5 MiB block.
    const bigTx = 'x'.repeat(5 * 1024 * 1024);
    await raw.handle(blocksProtocol(chain.chainId), async (stream) => {
      const lp = lpStream(stream, { maxDataLength: 16 * 1024 * 1024 });
      const { to } = JSON.parse(new TextDecoder().decode((await lp.read()).subarray())) as {
        to: number;
      };
      if (to === 100) {
        await lp.write(bytes(JSON.stringify({ ok: true, count: 65 })));
      } else {
        const { header, commit } = chain.blocks[0]!.block;
        await lp.write(bytes(JSON.stringify({ ok: true, count: 1 })));
        await lp.write(bytes(JSON.stringify({ header, txs: [bigTx], commit })));
      }
      await stream.close();
    });
    await raw.dial(multiaddr(client.listenAddresses[0]));
    const rawId = raw.peerId.toString();
    await waitFor(() => client.peers().some((p) => p.peerId === rawId), 'the raw peer to identify');
    const started = Date.now();
    await expect(client.status(rawId)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(client.fetchBlocks(rawId, 1, 100)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
    // Sync frames may be larger than gossip's 4 MiB, up to WAYBILL_MAX_MESSAGE_BYTES.
    const [big] = await client.fetchBlocks(rawId, 1, 1);
    expect(big?.txs).toEqual([bigTx]);
  });

  it('stops at once and leaves nothing that keeps a process alive', async () => {
    // A separate process runs the built host (global-setup rebuilds dist when src is newer).
    const script = `
      const [dist, keys] = process.argv.slice(-2);
      await import(dist + '/polyfill.js');
      await import('reflect-metadata');
      const { P2pService } = await import(dist + '/p2p/p2p.service.js');
      const { P2P_DEFAULTS } = await import(dist + '/p2p/p2p.options.js');
      const { Logger } = await import('@nestjs/common');
      Logger.overrideLogger(false);
      const source = { height: 0, headHash: '0'.repeat(64), blockAt: async () => undefined, txsOfBlock: async () => [], refusalsOfBlock: async () => [] };
      let n = 0;
      const options = (extra) => ({ ...P2P_DEFAULTS, chainId: 'exit-check', host: '127.0.0.1', port: 0,
        bootstrap: [], allowedPeers: [], maxMessageBytes: 1 << 20, peerKeyFile: keys + '/k' + n++, ...extra });
      const a = new P2pService(options({}), source);
      await a.start();
      const b = new P2pService(options({ bootstrap: a.listenAddresses }), source);
      const got = new Promise((resolve) => a.onGossip('transactions', () => { resolve(); return 'accept'; }));
      b.onGossip('transactions', () => 'accept');
      await b.start();
      const timer = setInterval(() => void b.publish('transactions', new Uint8Array([1])), 50);
      await got;
      clearInterval(timer);
      const t0 = performance.now();
      await Promise.all([a.stop(), b.stop()]);
      const stopMs = performance.now() - t0;
      process.on('exit', () => console.log(JSON.stringify({ stopMs, exitMs: performance.now() - t0 })));
    `;
    const dist = fileURLToPath(new URL('../dist', import.meta.url));
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dist, dir], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const { stopMs, exitMs } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      stopMs: number;
      exitMs: number;
    };
    console.log(`two hosts: stop ${stopMs.toFixed(0)} ms, process exit ${exitMs.toFixed(0)} ms`);
    expect(stopMs).toBeLessThan(400);
    expect(exitMs - stopMs).toBeLessThan(200);
  });
});
