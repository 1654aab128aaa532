/**
 * The execution options a node uses on its block path (`decoded`, `stateRoot: false`, the leaves it
 * gets back) and the SHA-256 seam: each must leave every result exactly as it was.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToHex, canonicalize, hexToBytes, sha256, useSha256 } from '../src/encoding/index.js';
import { itemEpc } from '../src/gs1/index.js';
import { merkleRoot } from '../src/merkle/index.js';
import {
  computeStateRoot,
  executeTxs,
  stateChangeHash,
  withStateRoot,
} from '../src/state/index.js';
import { registerParticipants, TEST_GTINS, TestChain } from '../src/testing/index.js';
import { decodeTx, type SignedTx } from '../src/tx/index.js';

async function fixture() {
  const chain = new TestChain();
  const keys = await registerParticipants(chain);
  const define = chain.sign(
    'product.define',
    { gtin: TEST_GTINS.milk, name: 'Milk' },
    keys.admin.acme,
  ) as SignedTx;
  await chain.commit([define]);
  const txs = [1, 2, 3].map(
    (n) =>
      chain.sign(
        'product.commission',
        {
          gtin: TEST_GTINS.milk,
          serials: [`S${n}`],
          eventTime: '2026-11-23T12:00:00.000+00:00',
        },
        keys.staff.acme,
      ) as SignedTx,
  );
  const observe = chain.sign(
    'event.observe',
    { epcs: [itemEpc(TEST_GTINS.milk, 'S1')], eventTime: '2026-11-23T12:05:00.000+00:00' },
    keys.staff.acme,
  ) as SignedTx;
  const options = {
    chainId: chain.chainId,
    height: chain.height + 1,
    timestamp: chain.nextTimestamp(),
    prevStateRoot: chain.headHeader.stateRoot,
  };
  return { chain, txs: [...txs, observe], options };
}

describe('execution options of the block path', () => {
  it('gives the same result for decoded transactions without decoding them again', async () => {
    const { chain, txs, options } = await fixture();
    const plain = await executeTxs(chain.state, txs, options);
    const decoded = await executeTxs(chain.state, txs.map(decodeTx), { ...options, decoded: true });
    expect(decoded).toEqual(plain);
    expect(plain.rejected).toEqual([]);
  });

  it('returns the leaf of each net change, which the state root is built from', async () => {
    const { chain, txs, options } = await fixture();
    const execution = await executeTxs(chain.state, txs, options);
    expect(execution.leaves).toEqual(execution.changes.map(stateChangeHash));
    expect(execution.stateRoot).toBe(computeStateRoot(options.prevStateRoot, execution.changes));
    expect(merkleRoot(execution.leaves)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips only the state root when asked to', async () => {
    const { chain, txs, options } = await fixture();
    const full = await executeTxs(chain.state, txs, options);
    const discovery = await executeTxs(chain.state, txs, { ...options, stateRoot: false });
    expect(discovery.stateRoot).toBe('');
    expect(discovery.leaves).toEqual([]);
    expect(discovery.changes).toEqual(full.changes);
    expect(discovery.applied).toEqual(full.applied);
  });

  it('adds the state root to a run without it: the same result as a run with it', async () => {
    const { chain, txs, options } = await fixture();
    const full = await executeTxs(chain.state, txs, options);
    const discovery = await executeTxs(chain.state, txs, { ...options, stateRoot: false });
    expect(withStateRoot(discovery, options.prevStateRoot)).toEqual(full);
  });
});

describe('the SHA-256 seam', () => {
  afterEach(() => {
    useSha256(nobleSha256);
  });

  it('routes every hash through the installed implementation', () => {
    const seen: number[] = [];
    useSha256((data) => {
      seen.push(data.length);
      return nobleSha256(data);
    });
    expect(bytesToHex(sha256(new Uint8Array(3)))).toBe(bytesToHex(nobleSha256(new Uint8Array(3))));
    merkleRoot(['00'.repeat(32), '11'.repeat(32)]);
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe('encoding fast paths', () => {
  it('refuses what the hex decoder refused before: uppercase, odd length, non-hex', () => {
    for (const bad of ['0F', 'abc', 'zz', '0g', ' 0', '١٢'])
      expect(() => hexToBytes(bad)).toThrow();
    expect(bytesToHex(hexToBytes('00ff7f80'))).toBe('00ff7f80');
  });

  it('still refuses lone surrogates and names where they are', () => {
    expect(() => canonicalize({ a: [1, { b: 'x\uD800' }] })).toThrow(/\$\.a\[1\]\.b/);
    expect(() => canonicalize({ ['\uDC00']: 1 })).toThrow(/lone surrogate/);
    expect(canonicalize({ b: '😀', a: undefined, c: [1, 'é'] })).toBe('{"b":"😀","c":[1,"é"]}');
  });
});
