import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { verifyStrict } from '@waybill/shared/crypto';
import { isWaybillError } from '@waybill/shared/errors';
import { PARTICIPANTS, TEST_GTINS, TestChain, testKey } from '@waybill/shared/testing';
import { signerProblem } from '@waybill/shared/state';
import { createTx, MAX_TX_BYTES, txHash, type SignedTx } from '@waybill/shared/tx';
import { describe, expect, it } from 'vitest';
import {
  isMempoolError,
  MAX_AWAITING_SIGNER,
  MEMPOOL_OPTIONS,
  MempoolModule,
  MempoolService,
  type MempoolOptions,
  type PendingTx,
} from '../src/mempool/index.js';

const acme = testKey('acme-admin');
const authority = testKey('authority-0');

/** A fresh chain whose transactions the tests sign (deterministic nonces). */
function setup(options: Partial<MempoolOptions> = {}) {
  const chain = new TestChain();
  const mempool = new MempoolService({ chainId: chain.chainId, maxSize: 100, ...options });
  let n = 0;
  const product = (): SignedTx =>
    chain.sign(
      'product.define',
      { gtin: TEST_GTINS.milk, name: `Whole milk ${n++}`, brand: 'Acme' },
      acme,
    );
  return { chain, mempool, product };
}

/** The strict verifier, counting its calls (its async form shares the count). */
function countingVerifier() {
  let calls = 0;
  const verifier = (s: Uint8Array, m: Uint8Array, k: Uint8Array) => {
    calls++;
    return verifyStrict(s, m, k);
  };
  return {
    verifier,
    verifyAsync: (s: Uint8Array, m: Uint8Array, k: Uint8Array) =>
      Promise.resolve(verifier(s, m, k)),
    calls: () => calls,
  };
}

/** Runs `promise`, expecting a coded refusal; returns it. */
async function refusal(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWaybillError(error) && !isMempoolError(error)) {
    throw new Error(`expected a coded refusal, got ${String(error)}`);
  }
  return { code: error.code, message: error.message, path: error.path };
}

describe('MempoolService.admit', () => {
  it('admits a valid transaction as PENDING under its hash', async () => {
    const { mempool, product } = setup();
    const tx = product();
    await expect(mempool.admit(tx)).resolves.toEqual({ hash: txHash(tx), status: 'PENDING' });
    expect(mempool.size).toBe(1);
    expect(mempool.status(txHash(tx))).toEqual({ status: 'PENDING' });
    expect(mempool.admittedTotal).toBe(1);
    // The JSON round trip a client goes through changes nothing.
    const { mempool: other } = setup();
    await expect(other.admit(JSON.parse(JSON.stringify(tx)))).resolves.toMatchObject({
      hash: txHash(tx),
    });
  });

  it('BAD_ENCODING: not an object, an unknown field, a malformed signature', async () => {
    const { mempool, product } = setup();
    const tx = product();
    expect(await refusal(mempool.admit('hello'))).toMatchObject({
      code: 'BAD_ENCODING',
      path: '$',
    });
    expect(await refusal(mempool.admit({ ...tx, fee: 1 }))).toMatchObject({
      code: 'BAD_ENCODING',
      path: '$.fee',
    });
    expect(await refusal(mempool.admit({ ...tx, signature: 'zz' }))).toMatchObject({
      code: 'BAD_ENCODING',
      path: '$.signature',
    });
    expect(mempool.size).toBe(0);
    expect(mempool.rejectedTotal.get('BAD_ENCODING')).toBe(3);
  });

  it('INVALID_PAYLOAD names the JSON path', async () => {
    const { mempool, product } = setup();
    const tx = product();
    const bad = { ...tx, payload: { ...tx.payload, name: '' } };
    expect(await refusal(mempool.admit(bad))).toMatchObject({
      code: 'INVALID_PAYLOAD',
      path: '$.payload.name',
    });
  });

  it('WRONG_CHAIN', async () => {
    const { mempool } = setup();
    const other = new TestChain({ chainId: 'other-chain' });
    const tx = other.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, acme);
    expect(await refusal(mempool.admit(tx))).toMatchObject({
      code: 'WRONG_CHAIN',
      path: '$.chainId',
    });
  });

  it('BAD_SIGNATURE: altered payload, altered signature, someone else signing', async () => {
    const { mempool, product } = setup();
    const tx = product();
    const altered = { ...tx, payload: { ...tx.payload, name: 'Skimmed milk' } };
    const flipped = {
      ...tx,
      signature: `${tx.signature[0] === 'a' ? 'b' : 'a'}${tx.signature.slice(1)}`,
    };
    const impostor = { ...tx, signer: testKey('mallory').publicKey };
    for (const value of [altered, flipped, impostor]) {
      expect(await refusal(mempool.admit(value))).toMatchObject({
        code: 'BAD_SIGNATURE',
        path: '$.signature',
      });
    }
    expect(mempool.size).toBe(0);
  });

  it('DUPLICATE while pending', async () => {
    const { mempool, product } = setup();
    const tx = product();
    await mempool.admit(tx);
    expect(await refusal(mempool.admit(tx))).toMatchObject({ code: 'DUPLICATE' });
    expect(mempool.size).toBe(1);
  });

  it('DUPLICATE when already in a final block', async () => {
    const chain = new TestChain();
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 10,
      isOnChain: (hash) => Promise.resolve(chain.state.hasTx(hash)),
    });
    const { gln, name, roles } = PARTICIPANTS.acme;
    const tx = chain.sign(
      'org.register',
      { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
      authority,
    );
    const { execution } = await chain.commit([tx]);
    expect(execution.rejected).toEqual([]);
    expect(await refusal(mempool.admit(tx))).toMatchObject({ code: 'DUPLICATE' });
    expect(mempool.size).toBe(0);
  });

  it('DUPLICATE for the second of two concurrent admissions of one transaction', async () => {
    const { chain, product } = setup();
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 10,
      isOnChain: () =>
        new Promise((resolve) => {
          setTimeout(() => {
            resolve(false);
          }, 5);
        }),
    });
    const tx = product();
    const outcomes = await Promise.allSettled([mempool.admit(tx), mempool.admit(tx)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(mempool.size).toBe(1);
  });

  it('TOO_LARGE: over the protocol limit, and over this node’s lower limit', async () => {
    const { mempool, product } = setup();
    const tx = product();
    const huge = { ...tx, payload: { ...tx.payload, description: 'x'.repeat(MAX_TX_BYTES) } };
    expect(await refusal(mempool.admit(huge))).toMatchObject({ code: 'TOO_LARGE' });

    const { chain, mempool: small } = setup({ maxTxBytes: 400 });
    const big = chain.sign(
      'product.define',
      { gtin: TEST_GTINS.cheese, name: 'Cheese', description: 'y'.repeat(300) },
      acme,
    );
    const refused = await refusal(small.admit(big));
    expect(refused).toMatchObject({ code: 'TOO_LARGE' });
    expect(refused.message).toMatch(/at most 400/);
    await expect(
      small.admit(chain.sign('product.define', { gtin: TEST_GTINS.cheese, name: 'C' }, acme)),
    ).resolves.toMatchObject({ status: 'PENDING' });
  });

  it('MEMPOOL_FULL at maxSize, with a retry-later message; room again after remove', async () => {
    const { mempool, product } = setup({ maxSize: 2 });
    const [a, b, c] = [product(), product(), product()];
    await mempool.admit(a);
    await mempool.admit(b);
    const full = await refusal(mempool.admit(c));
    expect(full).toMatchObject({ code: 'MEMPOOL_FULL' });
    expect(full.message).toMatch(/retry later/);
    expect(mempool.rejectedTotal.get('MEMPOOL_FULL')).toBe(1);
    mempool.remove([txHash(a)]);
    await expect(mempool.admit(c)).resolves.toMatchObject({ status: 'PENDING' });
  });

  it('a full pool refuses unread: no decoding, no signature check, no hash', async () => {
    const { chain, product } = setup();
    const counting = countingVerifier();
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 1,
      verifier: counting.verifier,
    });
    await mempool.admit(product());
    expect(counting.calls()).toBe(1);
    const full = await refusal(mempool.admit(product()));
    expect(full.code).toBe('MEMPOOL_FULL');
    // Even what is not a transaction at all: the pool has no room to look.
    const results = await mempool.admitMany([product(), 'not a transaction']);
    expect(results).toEqual([
      { index: 0, status: 'REJECTED', code: 'MEMPOOL_FULL', message: full.message },
      { index: 1, status: 'REJECTED', code: 'MEMPOOL_FULL', message: full.message },
    ]);
    expect(counting.calls()).toBe(1);
    expect(mempool.rejectedTotal.get('MEMPOOL_FULL')).toBe(3);
  });

  it('checks signatures with the configured verifier', async () => {
    const { chain, product } = setup();
    const counting = countingVerifier();
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 10,
      verifier: counting.verifier,
    });
    await mempool.admit(product());
    expect(counting.calls()).toBe(1);
  });

  it('refuses nonsensical options', () => {
    expect(() => new MempoolService({ chainId: 'c', maxSize: 0 })).toThrow(RangeError);
    expect(() => new MempoolService({ chainId: 'c', maxSize: 1, maxTxBytes: -1 })).toThrow(
      RangeError,
    );
  });
});

describe('MempoolService block-building side', () => {
  it('take gives the oldest first and leaves them pending; remove drops them', async () => {
    const { mempool, product } = setup();
    const txs = Array.from({ length: 5 }, product);
    for (const tx of txs) await mempool.admit(tx);
    const hashes = txs.map((tx) => txHash(tx));

    expect(mempool.take(3).map((p) => p.hash)).toEqual(hashes.slice(0, 3));
    expect(mempool.take(3).map((p) => p.tx)).toEqual(txs.slice(0, 3));
    expect(mempool.take(100)).toHaveLength(5);
    expect(mempool.take(0)).toEqual([]);
    expect(mempool.size).toBe(5);

    mempool.remove(hashes.slice(0, 2));
    expect(mempool.size).toBe(3);
    expect(mempool.status(hashes[0] ?? '')).toBeUndefined();
    expect(mempool.take(2).map((p) => p.hash)).toEqual(hashes.slice(2, 4));
    mempool.remove(['f'.repeat(64)]); // unknown: ignored
    expect(mempool.size).toBe(3);
  });

  it('reject drops the transaction and keeps its reason for status', async () => {
    const { mempool, product } = setup();
    const [a, b] = [product(), product()];
    await mempool.admit(a);
    await mempool.admit(b);
    const hash = txHash(a);
    mempool.reject(hash, {
      code: 'NOT_AUTHORIZED',
      message: 'signer is not a member of an organization',
      path: '$.signer',
    });
    expect(mempool.size).toBe(1);
    expect(mempool.take(10).map((p) => p.hash)).toEqual([txHash(b)]);
    expect(mempool.status(hash)).toEqual({
      status: 'REJECTED',
      code: 'NOT_AUTHORIZED',
      message: 'signer is not a member of an organization',
      path: '$.signer',
    });
    expect(mempool.rejectedTotal.get('NOT_AUTHORIZED')).toBe(1);
    expect(mempool.status('0'.repeat(64))).toBeUndefined();
    // Submitted again (say, after the signer was added): pending once more.
    await mempool.admit(a);
    expect(mempool.status(hash)).toEqual({ status: 'PENDING' });
  });

  it('reasons are bounded, least recently asked forgotten first', () => {
    const { mempool } = setup({ maxRejectedReasons: 2 });
    const reason = { code: 'NOT_FOUND', message: 'gone' } as const;
    mempool.reject('a', reason);
    mempool.reject('b', reason);
    expect(mempool.status('a')).toMatchObject({ status: 'REJECTED' }); // refreshes a
    mempool.reject('c', reason);
    expect(mempool.status('b')).toBeUndefined();
    expect(mempool.status('a')).toEqual({ status: 'REJECTED', code: 'NOT_FOUND', message: 'gone' });
    expect(mempool.status('c')).toMatchObject({ status: 'REJECTED' });
  });

  it('block building on taken transactions runs with signaturesVerified', async () => {
    const { chain, mempool } = setup();
    const { gln, name, roles } = PARTICIPANTS.acme;
    const tx = chain.sign(
      'org.register',
      { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
      authority,
    );
    await mempool.admit(tx);
    const taken = mempool.take(10);
    const { execution } = await chain.commit(taken.map((p) => p.tx));
    expect(execution.applied.map((a) => a.hash)).toEqual([txHash(tx)]);
    mempool.remove(execution.applied.map((a) => a.hash));
    expect(mempool.size).toBe(0);
  });
});

describe('MempoolService.admitMany', () => {
  it('verifies only as many new transactions as the pool has room for', async () => {
    const { chain, product } = setup();
    const counting = countingVerifier();
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 3,
      verifyAsync: counting.verifyAsync,
    });
    const [a, b, c, d] = [product(), product(), product(), product()];
    expect((await mempool.admitMany([a])).map((r) => r.status)).toEqual(['PENDING']);
    const before = counting.calls();
    // Room for 2: a is pending (a duplicate, not a new one), b twice counts once, c fits, d not.
    const results = await mempool.admitMany([a, b, b, c, d]);
    expect(results.map((r) => [r.status, r.status === 'REJECTED' ? r.code : ''])).toEqual([
      ['REJECTED', 'DUPLICATE'],
      ['PENDING', ''],
      ['REJECTED', 'DUPLICATE'],
      ['PENDING', ''],
      ['REJECTED', 'MEMPOOL_FULL'],
    ]);
    expect(results[4]).toMatchObject({ hash: txHash(d) });
    // a and both b are checked (a forged signature on a known hash is still BAD_SIGNATURE); d is not.
    expect(counting.calls() - before).toBe(4);
  });

  it('reports each item; bad items do not stop the good ones', async () => {
    const { mempool, product } = setup({ maxSize: 3 });
    const [a, b, c, d] = [product(), product(), product(), product()];
    const other = new TestChain({ chainId: 'other-chain' }).sign(
      'product.define',
      { gtin: TEST_GTINS.milk, name: 'Milk' },
      acme,
    );
    const results = await mempool.admitMany([
      a,
      42,
      { ...b, payload: { ...b.payload, gtin: '123' } },
      other,
      a,
      b,
      c,
      d,
    ]);
    expect(results.map((r) => [r.index, r.status, r.status === 'REJECTED' ? r.code : ''])).toEqual([
      [0, 'PENDING', ''],
      [1, 'REJECTED', 'BAD_ENCODING'],
      [2, 'REJECTED', 'INVALID_PAYLOAD'],
      [3, 'REJECTED', 'WRONG_CHAIN'],
      [4, 'REJECTED', 'DUPLICATE'],
      [5, 'PENDING', ''],
      [6, 'PENDING', ''],
      [7, 'REJECTED', 'MEMPOOL_FULL'],
    ]);
    expect(results[2]).toMatchObject({ path: '$.payload.gtin' });
    expect(results[0]).toEqual({ index: 0, hash: txHash(a), status: 'PENDING' });
    expect(results[1]).not.toHaveProperty('hash');
    expect(results[3]).toMatchObject({ hash: txHash(other), path: '$.chainId' });
    expect(results[4]).toMatchObject({ hash: txHash(a) });
    expect(results[7]).toMatchObject({ hash: txHash(d) });
    expect(mempool.take(10).map((p) => p.hash)).toEqual([a, b, c].map((tx) => txHash(tx)));
    expect(mempool.admittedTotal).toBe(3);
  });

  it('verifies a batch on the thread pool with the answers and codes of admit', async () => {
    const { mempool, product } = setup();
    const [good, tx] = [product(), product()];
    const altered = { ...tx, payload: { ...tx.payload, name: 'Skimmed milk' } };
    const flipped = {
      ...tx,
      signature: `${tx.signature[0] === 'a' ? 'b' : 'a'}${tx.signature.slice(1)}`,
    };
    const impostor = { ...tx, signer: testKey('mallory').publicKey };
    const results = await mempool.admitMany([altered, good, flipped, impostor]);
    expect(results.map((r) => (r.status === 'REJECTED' ? r.code : r.status))).toEqual([
      'BAD_SIGNATURE',
      'PENDING',
      'BAD_SIGNATURE',
      'BAD_SIGNATURE',
    ]);
    expect(results[2]).toMatchObject({ hash: txHash(flipped), path: '$.signature' });
    const { mempool: one } = setup();
    for (const value of [altered, flipped, impostor]) {
      expect(await refusal(one.admit(value))).toMatchObject({ code: 'BAD_SIGNATURE' });
    }
    expect(mempool.rejectedTotal.get('BAD_SIGNATURE')).toBe(3);
  });

  it('uses the verifier it is given for batches too', async () => {
    let calls = 0;
    const { mempool, product } = setup({
      verifier: (s, m, k) => {
        calls++;
        return verifyStrict(s, m, k);
      },
    });
    await mempool.admitMany([product(), product()]);
    expect(calls).toBe(2);
  });

  it('admits an empty batch as nothing', async () => {
    const { mempool } = setup();
    await expect(mempool.admitMany([])).resolves.toEqual([]);
  });
});

describe('onAdmitted', () => {
  it('calls listeners once per admission until unsubscribed; a throwing one is contained', async () => {
    const { mempool, product } = setup();
    const seen: PendingTx[] = [];
    const off = mempool.onAdmitted((p) => seen.push(p));
    mempool.onAdmitted(() => {
      throw new Error('listener bug');
    });
    const [a, b] = [product(), product()];
    await mempool.admit(a);
    await refusal(mempool.admit(a));
    expect(seen.map((p) => p.hash)).toEqual([txHash(a)]);
    off();
    await mempool.admit(b);
    expect(seen).toHaveLength(1);
    expect(mempool.size).toBe(2);
  });

  it("tells listeners whether a client or a peer's gossip brought the transaction", async () => {
    const { mempool, product } = setup();
    const origins: string[] = [];
    mempool.onAdmitted((_p, origin) => origins.push(origin));
    await mempool.admit(product());
    await mempool.admitMany([product()]);
    await mempool.admitMany([product(), product()], 'gossip');
    expect(origins).toEqual(['client', 'client', 'gossip', 'gossip']);
  });
});

describe('gossip from a key this node does not know yet', () => {
  /** A pool whose chain registers the signer when `register()` is called. */
  function pool(maxSize = 100) {
    let registered = false;
    const made = setup({
      maxSize,
      signerProblem: () =>
        Promise.resolve(
          registered
            ? undefined
            : { code: 'UNKNOWN_SIGNER' as const, message: 'not registered', path: '$.signer' },
        ),
    });
    return {
      ...made,
      register: () => {
        registered = true;
      },
    };
  }

  it('is admitted after a block registers the key; a client is told at once instead', async () => {
    const { mempool, product, register } = pool();
    const [gossiped, submitted] = [product(), product()];
    const [fromPeer] = await mempool.admitMany([gossiped], 'gossip');
    expect(fromPeer).toMatchObject({ status: 'REJECTED', code: 'UNKNOWN_SIGNER' });
    await mempool.admitMany([submitted]);
    expect(mempool.awaitingSignerCount).toBe(1);
    const origins: string[] = [];
    mempool.onAdmitted((_p, origin) => origins.push(origin));
    await mempool.retryAwaitingSigner();
    expect(mempool.size).toBe(0);
    register();
    await mempool.retryAwaitingSigner();
    expect(mempool.take(10).map((p) => p.hash)).toEqual([txHash(gossiped)]);
    expect(origins).toEqual(['gossip']);
    expect(mempool.awaitingSignerCount).toBe(0);
  });

  it('is tried after each of the next three blocks, then dropped', async () => {
    const third = pool();
    const waitsThree = third.product();
    await third.mempool.admitMany([waitsThree], 'gossip');
    await third.mempool.retryAwaitingSigner();
    await third.mempool.retryAwaitingSigner();
    third.register();
    await third.mempool.retryAwaitingSigner();
    expect(third.mempool.take(10).map((p) => p.hash)).toEqual([txHash(waitsThree)]);

    const fourth = pool();
    await fourth.mempool.admitMany([fourth.product()], 'gossip');
    for (let block = 0; block < 3; block++) await fourth.mempool.retryAwaitingSigner();
    expect(fourth.mempool.awaitingSignerCount).toBe(0);
    fourth.register();
    await fourth.mempool.retryAwaitingSigner();
    expect(fourth.mempool.size).toBe(0);
  });

  it('keeps the newest when more wait than the bound', async () => {
    const { mempool, product, register } = pool(MAX_AWAITING_SIGNER + 5);
    const many = Array.from({ length: MAX_AWAITING_SIGNER + 5 }, () => product());
    for (let i = 0; i < many.length; i += 256) {
      await mempool.admitMany(many.slice(i, i + 256), 'gossip');
    }
    expect(mempool.awaitingSignerCount).toBe(MAX_AWAITING_SIGNER);
    register();
    await mempool.retryAwaitingSigner();
    const admitted = new Set(mempool.take(MAX_AWAITING_SIGNER + 5).map((p) => p.hash));
    expect(admitted.size).toBe(MAX_AWAITING_SIGNER);
    expect(many.slice(0, 5).some((tx) => admitted.has(txHash(tx)))).toBe(false);
    expect(many.slice(-5).every((tx) => admitted.has(txHash(tx)))).toBe(true);
  });

  it('runs one retry at a time', async () => {
    const { mempool, product, register } = pool();
    const tx = product();
    await mempool.admitMany([tx], 'gossip');
    register();
    await Promise.all([mempool.retryAwaitingSigner(), mempool.retryAwaitingSigner()]);
    expect(mempool.take(10).map((p) => p.hash)).toEqual([txHash(tx)]);
    expect(mempool.rejectedTotal.get('DUPLICATE')).toBeUndefined();
  });
});

describe('MempoolModule', () => {
  it('provides one MempoolService built from the factory', async () => {
    const chain = new TestChain();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MempoolModule.register({
          useFactory: (): MempoolOptions => ({ chainId: chain.chainId, maxSize: 5 }),
        }),
      ],
    }).compile();
    const mempool = moduleRef.get(MempoolService);
    expect(moduleRef.get<MempoolOptions>(MEMPOOL_OPTIONS).maxSize).toBe(5);
    const tx = createTx({
      chainId: chain.chainId,
      type: 'product.define',
      payload: { gtin: TEST_GTINS.milk, name: 'Milk' },
      secretKey: acme.secretKey,
    });
    await expect(mempool.admit(tx)).resolves.toMatchObject({ status: 'PENDING' });
    expect(moduleRef.get(MempoolService)).toBe(mempool);
    await moduleRef.close();
  });
});

describe('MempoolService.admitMany with a batched on-chain lookup', () => {
  it('asks once for the whole batch and refuses what is on chain as DUPLICATE', async () => {
    const chain = new TestChain();
    let n = 0;
    const product = (): SignedTx =>
      chain.sign('product.define', { gtin: TEST_GTINS.milk, name: `Milk ${n++}` }, acme);
    const [onChain, fresh, other] = [product(), product(), product()];
    const asked: string[][] = [];
    const single: string[] = [];
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 100,
      isOnChain: (hash) => {
        single.push(hash);
        return Promise.resolve(hash === txHash(onChain));
      },
      isOnChainMany: (hashes) => {
        asked.push([...hashes]);
        return Promise.resolve(new Set(hashes.filter((h) => h === txHash(onChain))));
      },
    });
    const results = await mempool.admitMany([onChain, fresh, { not: 'a tx' }, other]);
    expect(asked).toEqual([[txHash(onChain), txHash(fresh), txHash(other)]]);
    expect(single).toEqual([]);
    expect(results.map((r) => r.status)).toEqual(['REJECTED', 'PENDING', 'REJECTED', 'PENDING']);
    expect(results[0]).toMatchObject({ code: 'DUPLICATE', hash: txHash(onChain) });
    expect(results[2]).toMatchObject({ code: 'BAD_ENCODING' });
    expect(mempool.rejectedTotal.get('DUPLICATE')).toBe(1);
    expect(mempool.rejectedTotal.get('BAD_ENCODING')).toBe(1);
    // A single admission still asks for its own transaction.
    await mempool.admit(product());
    expect(single).toHaveLength(1);
  });
});

describe('MempoolService.bySignature', () => {
  it('finds a pending transaction by its signature until it leaves the pool', async () => {
    const { mempool, product } = setup();
    const [kept, included, refused] = [product(), product(), product()];
    for (const tx of [kept, included, refused]) await mempool.admit(tx);
    expect(mempool.bySignature(kept.signature)).toEqual({ tx: kept, hash: txHash(kept) });
    mempool.remove([txHash(included)]);
    mempool.reject(txHash(refused), { code: 'DUPLICATE', message: 'already on chain' });
    expect(mempool.bySignature(included.signature)).toBeUndefined();
    expect(mempool.bySignature(refused.signature)).toBeUndefined();
    expect(mempool.bySignature(kept.signature)?.hash).toBe(txHash(kept));
  });
});

describe('MempoolService admission of signers (signerProblem)', () => {
  /** A pool asking a real chain's state, where acme is registered and its staff key revoked. */
  async function registeredChain() {
    const chain = new TestChain();
    const { name, roles, gln } = PARTICIPANTS.acme;
    const staff = testKey('acme-staff');
    await chain.commit([
      chain.sign(
        'org.register',
        { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
        authority,
      ),
    ]);
    await chain.commit([
      chain.sign('member.add', { orgId: 'acme', publicKey: staff.publicKey, role: 'staff' }, acme),
    ]);
    await chain.commit([
      chain.sign('member.revoke', { orgId: 'acme', publicKey: staff.publicKey }, acme),
    ]);
    const mempool = new MempoolService({
      chainId: chain.chainId,
      maxSize: 100,
      signerProblem: (signer) => signerProblem(chain.state, signer),
    });
    return { chain, mempool, staff };
  }

  const define = (chain: TestChain, key: ReturnType<typeof testKey>, name: string) =>
    chain.sign('product.define', { gtin: TEST_GTINS.milk, name }, key);

  it('admits members and authorities, refuses unknown and revoked keys at once', async () => {
    const { chain, mempool, staff } = await registeredChain();
    await expect(mempool.admit(define(chain, acme, 'Milk'))).resolves.toMatchObject({
      status: 'PENDING',
    });
    const stranger = testKey('stranger');
    expect(await refusal(mempool.admit(define(chain, stranger, 'Fake milk')))).toMatchObject({
      code: 'UNKNOWN_SIGNER',
      path: '$.signer',
    });
    expect(await refusal(mempool.admit(define(chain, staff, 'Old milk')))).toMatchObject({
      code: 'KEY_REVOKED',
      message: expect.stringMatching(/revoked at height 3/),
    });
    const vote = chain.sign(
      'authority.vote',
      { action: 'add', authority: stranger.publicKey, name: 'New' },
      authority,
    );
    await expect(mempool.admit(vote)).resolves.toMatchObject({ status: 'PENDING' });
    expect(mempool.size).toBe(2);
    expect(mempool.rejectedTotal.get('UNKNOWN_SIGNER')).toBe(1);
  });

  it('admits a new key while the member.add that registers it is pending, and not after it leaves', async () => {
    const { chain, mempool } = await registeredChain();
    const newcomer = testKey('acme-newcomer');
    const add = chain.sign(
      'member.add',
      { orgId: 'acme', publicKey: newcomer.publicKey, role: 'staff' },
      acme,
    );
    // In one batch, as gossip delivers them: the addition first, then the new key's work.
    const results = await mempool.admitMany([add, define(chain, newcomer, 'New milk')]);
    expect(results.map((r) => r.status)).toEqual(['PENDING', 'PENDING']);
    mempool.remove([txHash(add)]);
    expect(await refusal(mempool.admit(define(chain, newcomer, 'Later milk')))).toMatchObject({
      code: 'UNKNOWN_SIGNER',
    });
  });
});

describe('the pool across a clean stop (journalFile)', () => {
  const journal = () => join(mkdtempSync(join(tmpdir(), 'waybill-pool-')), 'pending.json');

  it('keeps what was pending at shutdown and admits it again, in order, at the next start', async () => {
    const file = journal();
    const { chain, mempool, product } = setup({ journalFile: file });
    const txs = [product(), product(), product()];
    for (const tx of txs) await mempool.admit(tx);
    mempool.beforeApplicationShutdown();
    expect(existsSync(file)).toBe(true);

    // The next start: one of them became final meanwhile, so it is dropped as a duplicate.
    const final = txHash(txs[1] as SignedTx);
    const next = new MempoolService({
      chainId: chain.chainId,
      maxSize: 100,
      journalFile: file,
      isOnChain: (hash) => Promise.resolve(hash === final),
      isOnChainMany: (hashes) => Promise.resolve(new Set(hashes.filter((h) => h === final))),
    });
    await next.onApplicationBootstrap();
    expect(next.take(10).map((p) => p.hash)).toEqual(
      [txs[0], txs[2]].map((tx) => txHash(tx as SignedTx)),
    );
    // Consumed: a crash after this start must not bring back a stale pool.
    expect(existsSync(file)).toBe(false);
  });

  it('writes nothing for an empty pool, and ignores (and removes) a damaged file', async () => {
    const file = journal();
    const { chain, mempool } = setup({ journalFile: file });
    mempool.beforeApplicationShutdown();
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, '[{"not": "a transaction"}, 12');
    const next = new MempoolService({ chainId: chain.chainId, maxSize: 100, journalFile: file });
    await next.onApplicationBootstrap();
    expect(next.size).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
