import { describe, expect, it } from 'vitest';
import { initialState, isOnline, ONLINE_WINDOW, withBlock } from './live-state';
import type { DashboardData, LiveBlock } from './model';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function block(height: number, timestamp: string, signers: string[], txCount = 0): LiveBlock {
  return {
    height,
    hash: height.toString(16).padStart(64, '0'),
    timestamp,
    proposer: A,
    txCount,
    transactions: Array.from({ length: txCount }, (_, i) => ({
      hash: `${height}-${i}`,
      type: 'event.observe',
      signer: null,
      tx: null,
    })),
    signers: [A, B].map((publicKey) => ({ publicKey, signed: signers.includes(publicKey) })),
  };
}

const data: DashboardData = {
  chain: {
    chainId: 'test',
    height: 10,
    authorities: [
      { publicKey: A, name: 'A', lastSignedHeight: 10, lastSignedAt: null, evidenceCount: 0 },
      { publicKey: B, name: 'B', lastSignedHeight: 2, lastSignedAt: null, evidenceCount: 0 },
    ],
    throughput: { transactionsPerSecond: 0, windowSeconds: 60 },
  },
  network: {
    peerId: 'p',
    peers: [],
    consensus: { mode: 'authority', height: 11, round: 0, step: 'propose' },
  },
  blocks: { blocks: [block(10, '2026-11-25T10:00:30.000Z', [A], 2)] },
  transactions: {
    transactions: block(10, '2026-11-25T10:00:30.000Z', [A], 2).transactions.map((tx) => ({
      ...tx,
      height: 10,
    })),
  },
  activity: [{ start: '2026-11-25T10:00:00.000Z', blocks: 1, transactions: 2 }],
};

describe('dashboard live state', () => {
  it('adds a block to the current minute, the lists and the signers', () => {
    const next = withBlock(initialState(data), block(11, '2026-11-25T10:00:45.000Z', [A, B], 3));
    expect(next.height).toBe(11);
    expect(next.blocks.map((b) => b.height)).toEqual([11, 10]);
    expect(next.events).toHaveLength(5);
    expect(next.events[0]?.height).toBe(11);
    expect(next.activity).toEqual([
      { start: '2026-11-25T10:00:00.000Z', blocks: 2, transactions: 5 },
    ]);
    expect(next.authorities.find((a) => a.publicKey === B)?.lastSignedHeight).toBe(11);
  });

  it('opens a new minute and ignores a block it already has', () => {
    const once = withBlock(initialState(data), block(11, '2026-11-25T10:01:05.000Z', [A]));
    expect(once.activity.at(-1)).toEqual({
      start: '2026-11-25T10:01:00.000Z',
      blocks: 1,
      transactions: 0,
    });
    expect(withBlock(once, block(11, '2026-11-25T10:01:05.000Z', [A]))).toBe(once);
  });

  it('calls an authority offline when it signed none of the recent blocks', () => {
    expect(isOnline(100, 100)).toBe(true);
    expect(isOnline(100 - ONLINE_WINDOW, 100)).toBe(false);
    expect(isOnline(null, 5)).toBe(false);
  });
});
