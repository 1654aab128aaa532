/**
 * The p2p module's pure parts: wire names, the response codec, penalty bookkeeping, the redial
 * backoff and the p2p settings. No sockets here (p2p.integration.test.ts runs real hosts).
 */
import { blockHash } from '@waybill/shared/block';
import { TestChain } from '@waybill/shared/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadNodeConfig } from '../src/config/node-config.js';
import { P2pError } from '../src/p2p/errors.js';
import { PeerPenalties } from '../src/p2p/penalties.js';
import { allowedPeersFor } from '../src/p2p/p2p.options.js';
import {
  blocksProtocol,
  parseBlock,
  parseBlocksHead,
  parseBlocksRequest,
  parseStatusHead,
  statusProtocol,
  topicName,
} from '../src/p2p/protocol.js';
import { Redialer, type RedialTarget } from '../src/p2p/redialer.js';

const PEER = '12D3KooWKsFu1zVLG6b2kPC9PNr4F9yLWvSWb6HuhrF5CTJuSPmT';
const OTHER = '12D3KooWEnQofRaTMawV7BjdwgdgLcr9qjHS3C8u42LaYMDfjeoP';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof P2pError ? error.code : 'not a P2pError';
  }
  return undefined;
}

describe('wire names', () => {
  it('namespace every topic and protocol by chain id', () => {
    expect(topicName('waybill-test', 'transactions')).toBe('/waybill/waybill-test/transactions/1');
    expect(topicName('waybill-test', 'consensus')).toBe('/waybill/waybill-test/consensus/1');
    expect(statusProtocol('waybill-test')).toBe('/waybill/waybill-test/status/1');
    expect(blocksProtocol('waybill-test')).toBe('/waybill/waybill-test/blocks/1');
    expect(statusProtocol('acme/main net')).toBe('/waybill/acme%2Fmain%20net/status/1');
    expect(topicName('a', 'consensus')).not.toBe(topicName('b', 'consensus'));
  });
});

describe('response codec', () => {
  it('reads a status and refuses a malformed one', () => {
    const hash = 'ab'.repeat(32);
    expect(parseStatusHead({ ok: true, height: 7, hash }, PEER)).toEqual({ height: 7, hash });
    expect(codeOf(() => parseStatusHead({ ok: true, height: -1, hash }, PEER))).toBe(
      'BAD_RESPONSE',
    );
    expect(codeOf(() => parseStatusHead({ ok: true, height: 1, hash: 'xyz' }, PEER))).toBe(
      'BAD_RESPONSE',
    );
    expect(codeOf(() => parseStatusHead([], PEER))).toBe('BAD_RESPONSE');
    expect(codeOf(() => parseStatusHead({ ok: false, error: 'busy' }, PEER))).toBe('REMOTE_ERROR');
  });

  it('bounds the announced block count', () => {
    expect(parseBlocksHead({ ok: true, count: 64 }, PEER, 64)).toBe(64);
    expect(codeOf(() => parseBlocksHead({ ok: true, count: 65 }, PEER, 64))).toBe('BAD_RESPONSE');
    expect(codeOf(() => parseBlocksHead({ ok: true, count: 1.5 }, PEER, 64))).toBe('BAD_RESPONSE');
  });

  it('checks the shape and height of a served block, not its validity', async () => {
    const chain = new TestChain();
    const { block } = await chain.commit([]);
    const json = JSON.parse(JSON.stringify(block)) as unknown;
    expect(blockHash(parseBlock(json, 1, PEER).header)).toBe(blockHash(block.header));
    expect(codeOf(() => parseBlock(json, 2, PEER))).toBe('BAD_RESPONSE');
    expect(codeOf(() => parseBlock({ ...block, txs: 'none' }, 1, PEER))).toBe('BAD_RESPONSE');
    expect(codeOf(() => parseBlock({ ...block, commit: null }, 1, PEER))).toBe('BAD_RESPONSE');
    const badHeader = { ...block, header: { ...block.header, extra: 1 } };
    expect(codeOf(() => parseBlock(badHeader, 1, PEER))).toBe('BAD_RESPONSE');
    // A forged certificate has the right shape: verifying it is the caller's job.
    const forged = { ...block, commit: { ...block.commit, signatures: [] } };
    expect(parseBlock(forged, 1, PEER).commit.signatures).toEqual([]);
  });

  it('reads a blocks request', () => {
    expect(parseBlocksRequest({ from: 1, to: 5 })).toEqual({ from: 1, to: 5 });
    expect(parseBlocksRequest({ from: '1', to: 5 })).toBeUndefined();
    expect(parseBlocksRequest(null)).toBeUndefined();
  });
});

describe('PeerPenalties', () => {
  it('penalizes after maxRejects within the window, for penaltyMs', () => {
    let now = 0;
    const penalties = new PeerPenalties({
      maxRejects: 3,
      rejectWindowMs: 1_000,
      penaltyMs: 5_000,
      now: () => now,
    });
    expect(penalties.recordReject(PEER)).toBe(false);
    now = 600;
    expect(penalties.recordReject(PEER)).toBe(false);
    now = 1_100; // the first reject has left the window
    expect(penalties.recordReject(PEER)).toBe(false);
    expect(penalties.recordReject(PEER)).toBe(true);
    expect(penalties.recordReject(OTHER)).toBe(false);
    penalties.deny(PEER);
    expect(penalties.isDenied(PEER)).toBe(true);
    expect(penalties.remainingMs(PEER)).toBe(5_000);
    expect(penalties.isDenied(OTHER)).toBe(false);
    now = 6_099;
    expect(penalties.isDenied(PEER)).toBe(true);
    now = 6_100;
    expect(penalties.isDenied(PEER)).toBe(false);
    expect(penalties.remainingMs(PEER)).toBe(0);
    // The count started over with the penalty.
    expect(penalties.recordReject(PEER)).toBe(false);
  });

  it('keeps bounded memory under many peers', () => {
    let now = 0;
    const penalties = new PeerPenalties({
      maxRejects: 2,
      rejectWindowMs: 1_000,
      penaltyMs: 1_000,
      now: () => now,
    });
    for (let i = 0; i < 5_000; i++) {
      now += 10;
      penalties.recordReject(`peer-${i}`);
      penalties.deny(`denied-${i}`);
    }
    const sizes = penalties as unknown as {
      rejects: Map<string, unknown>;
      deniedUntil: Map<string, unknown>;
    };
    expect(sizes.rejects.size).toBeLessThanOrEqual(1_025);
    expect(sizes.deniedUntil.size).toBeLessThanOrEqual(1_025);
    expect(penalties.isDenied('denied-4999')).toBe(true);
  });
});

describe('Redialer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('dials at once, backs off exponentially up to the cap, and stops', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    const target: RedialTarget = { peerId: PEER, address: `/ip4/127.0.0.1/tcp/1/p2p/${PEER}` };
    let reachable = false;
    let connected = false;
    const redialer = new Redialer([target], {
      minMs: 100,
      maxMs: 1_000,
      dial: () => {
        attempts.push(Date.now());
        if (!reachable) return Promise.reject(new Error('ECONNREFUSED'));
        connected = true;
        return Promise.resolve();
      },
      isConnected: () => connected,
      blockedForMs: () => 0,
    });
    const start = Date.now();
    redialer.start();
    await vi.advanceTimersByTimeAsync(5_000);
    // 0, then waits of 200, 400, 800, 1000, 1000, ... after each failure.
    expect(attempts.slice(0, 6).map((t) => t - start)).toEqual([0, 200, 600, 1400, 2400, 3400]);
    reachable = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connected).toBe(true);
    const count = attempts.length;
    // A disconnect brings a quick redial.
    connected = false;
    redialer.connected(PEER);
    redialer.disconnected(PEER);
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts.length).toBe(count + 1);
    expect(connected).toBe(true);
    redialer.stop();
    connected = false;
    redialer.disconnected(PEER);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempts.length).toBe(count + 1);
  });

  it('waits out a penalty before dialling', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    const start = Date.now();
    const redialer = new Redialer([{ peerId: PEER, address: 'x' }], {
      minMs: 100,
      maxMs: 1_000,
      dial: () => {
        attempts.push(Date.now() - start);
        return Promise.resolve();
      },
      isConnected: () => attempts.length > 0,
      blockedForMs: () => Math.max(0, 3_000 - (Date.now() - start)),
    });
    redialer.start();
    await vi.advanceTimersByTimeAsync(5_000);
    redialer.stop();
    expect(attempts).toEqual([3_000]);
  });
});

describe('p2p settings', () => {
  const base = { WAYBILL_DATA_DIR: '/tmp/waybill-node' };

  it('defaults', () => {
    const config = loadNodeConfig(base);
    expect(config).toMatchObject({
      p2pHost: '127.0.0.1',
      p2pPort: 4100,
      bootstrap: [],
      allowedPeers: [],
      peerKeyFile: '/tmp/waybill-node/p2p.key',
      maxMessageBytes: 8 * 1024 * 1024,
      peerPenaltyMs: 60_000,
    });
    expect(loadNodeConfig({ ...base, WAYBILL_HOST: '0.0.0.0' }).p2pHost).toBe('0.0.0.0');
    expect(
      loadNodeConfig({ ...base, WAYBILL_HOST: '0.0.0.0', WAYBILL_P2P_HOST: '10.0.0.2' }).p2pHost,
    ).toBe('10.0.0.2');
    expect(loadNodeConfig({ ...base, WAYBILL_P2P_PORT: '0' }).p2pPort).toBe(0);
  });

  it('reads lists of peers', () => {
    const config = loadNodeConfig({
      ...base,
      WAYBILL_BOOTSTRAP: ` /ip4/10.0.0.2/tcp/4100/p2p/${PEER} ,/dns4/node-b/tcp/4100/p2p/${OTHER},`,
      WAYBILL_ALLOWED_PEERS: `${PEER}, ${OTHER}`,
    });
    expect(config.bootstrap).toEqual([
      `/ip4/10.0.0.2/tcp/4100/p2p/${PEER}`,
      `/dns4/node-b/tcp/4100/p2p/${OTHER}`,
    ]);
    expect(config.allowedPeers).toEqual([PEER, OTHER]);
  });

  it('permissions an authority by default to its bootstrap peers; * or an observer is open', () => {
    const config = loadNodeConfig({
      ...base,
      WAYBILL_BOOTSTRAP: `/ip4/10.0.0.2/tcp/4100/p2p/${PEER},/dns4/node-b/tcp/4100/p2p/${OTHER}`,
    });
    expect(allowedPeersFor(config, true)).toEqual([PEER, OTHER]);
    expect(allowedPeersFor(config, false)).toEqual([]);
    const open = loadNodeConfig({ ...base, WAYBILL_ALLOWED_PEERS: '*' });
    expect(allowedPeersFor({ ...open, bootstrap: config.bootstrap }, true)).toEqual([]);
    const listed = loadNodeConfig({ ...base, WAYBILL_ALLOWED_PEERS: OTHER });
    expect(allowedPeersFor({ ...listed, bootstrap: config.bootstrap }, true)).toEqual([OTHER]);
    expect(allowedPeersFor({ ...listed, bootstrap: config.bootstrap }, false)).toEqual([OTHER]);
  });

  it('names each bad entry', () => {
    let problems: string[] = [];
    try {
      loadNodeConfig({
        ...base,
        WAYBILL_BOOTSTRAP: [
          `/ip4/10.0.0.2/tcp/4100/p2p/${PEER}`,
          '/ip4/10.0.0.3/tcp/4100',
          'node-c:4100',
          '/ip4/10.0.0.4/tcp/4100/p2p/notapeer',
          `/ip4/10.0.0.5/udp/4100/p2p/${PEER}`,
        ].join(','),
        WAYBILL_ALLOWED_PEERS: `${PEER},bob`,
        WAYBILL_P2P_HOST: 'node-a.example',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/WAYBILL_P2P_HOST="node-a.example": expected an IP address/),
      expect.stringMatching(
        /WAYBILL_BOOTSTRAP: "\/ip4\/10\.0\.0\.3\/tcp\/4100" does not end in \/p2p/,
      ),
      expect.stringMatching(/WAYBILL_BOOTSTRAP: "node-c:4100" is not a multiaddr/),
      expect.stringMatching(/WAYBILL_BOOTSTRAP: "\/ip4\/10\.0\.0\.4\/tcp\/4100\/p2p\/notapeer"/),
      expect.stringMatching(/WAYBILL_BOOTSTRAP: ".*\/udp\/4100.*" has no \/tcp/),
      expect.stringMatching(/WAYBILL_ALLOWED_PEERS: "bob" is not a libp2p peer id/),
    ]);
  });
});
