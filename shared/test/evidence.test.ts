/**
 * `authority.evidence`: two conflicting votes of one authority go on chain once, signed by an
 * authority; every other pair is refused with a code and the path of what is wrong, and a refused
 * pair changes nothing (property test at the end).
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { signVote, voteHash, type SignedVote, type Vote } from '../src/block/index.js';
import { sign, verifyStrict, type SignatureVerifier } from '../src/crypto/index.js';
import { bytesToHex, hexToBytes } from '../src/encoding/index.js';
import { isWaybillError } from '../src/errors.js';
import {
  applyTx,
  authoritiesAt,
  evidenceKey,
  evidencePayload,
  executeTxs,
  isEquivocation,
  RECORD_KINDS,
  type AuthoritySet,
  type InMemoryState,
} from '../src/state/index.js';
import {
  registerParticipants,
  TestChain,
  testKey,
  type Participants,
  type SubmitResult,
  type TestKey,
} from '../src/testing/index.js';
import { decodeTx, txHash, type SignedTx, type UnsignedTx } from '../src/tx/index.js';

const H = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

let chain: TestChain;
let p: Participants;
let a: [TestKey, TestKey, TestKey, TestKey];

function expectOk(result: SubmitResult): asserts result is Extract<SubmitResult, { ok: true }> {
  if (!result.ok) expect.fail(`expected success, got ${result.code}: ${result.message}`);
}
function expectRejected(result: SubmitResult, code: string, path?: string): void {
  if (result.ok) expect.fail(`expected ${code}, but the transaction applied`);
  expect(result.code).toBe(code);
  if (path !== undefined) expect(result.path).toBe(path);
}

/** A precommit of `key` for height 1, round 0, block H(1), on this chain; `over` changes it. */
function vote(key: TestKey, over: Partial<Vote> = {}): SignedVote {
  return signVote(
    {
      type: 'precommit',
      chainId: chain.chainId,
      height: 1,
      round: 0,
      blockHash: H(1),
      validator: key.publicKey,
      ...over,
    },
    key.secretKey,
  );
}
const pair = (key: TestKey, over: Partial<Vote> = {}) => ({
  first: vote(key, over),
  second: vote(key, { ...over, blockHash: H(2) }),
});
const report = (payload: { first: SignedVote; second: SignedVote }, signer: TestKey = a[0]) =>
  chain.submit('authority.evidence', payload, signer);

beforeEach(async () => {
  chain = new TestChain({ authorities: 4 });
  a = chain.authorityKeys as typeof a;
  p = await registerParticipants(chain); // block 1
});

describe('authority.evidence', () => {
  it('records a conflicting pair once, with who reported it and where', async () => {
    const payload = pair(a[1]);
    const result = await report(payload);
    expectOk(result);
    const key = `${a[1].publicKey}:1:0:precommit`;
    expect(evidenceKey(payload.first)).toBe(key);
    expect(chain.state.get('evidence', key)).toEqual({
      validator: a[1].publicKey,
      height: 1,
      round: 0,
      type: 'precommit',
      first: payload.first,
      second: payload.second,
      reporter: a[0].publicKey,
      recordedAt: result.height,
      tx: result.hash,
    });
    // No automatic consequence: the accused stays an authority until the others vote it out.
    expect(chain.currentValidators()).toContain(a[1].publicKey);
    expect(chain.state.get('authorities', 'current')?.votes).toEqual([]);
  });

  it('accepts a vote for nil against a vote for a block, prevotes, later rounds and self-reports', async () => {
    expectOk(
      await report({
        first: vote(a[2], { blockHash: null }),
        second: vote(a[2], { blockHash: H(3) }),
      }),
    );
    expectOk(await report(pair(a[2], { type: 'prevote' })));
    expectOk(await report(pair(a[2], { round: 7 })));
    expectOk(await report(pair(a[3], { height: chain.height })));
    // The accused may report itself (a solo chain's only authority has nobody else).
    expectOk(await report(pair(a[0]), a[0]));
    expect(chain.state.all('evidence')).toHaveLength(5);
  });

  it('refuses a second record of the same validator, height, round and type', async () => {
    const payload = pair(a[1]);
    expectOk(await report(payload));
    expectRejected(await report(payload, a[2]), 'ALREADY_EXISTS', '$.payload');
    // The same pair in the other order, or another conflicting vote of the same step.
    expectRejected(
      await report({ first: payload.second, second: payload.first }),
      'ALREADY_EXISTS',
      '$.payload',
    );
    expectRejected(
      await report({ first: payload.first, second: vote(a[1], { blockHash: null }) }),
      'ALREADY_EXISTS',
    );
    // Twice in one block: the second is refused too.
    const other = pair(a[1], { round: 1 });
    const { execution } = await chain.commit([
      chain.sign('authority.evidence', other, a[0]),
      chain.sign('authority.evidence', other, a[3]),
    ]);
    expect(execution.rejected.map((r) => [r.index, r.code])).toEqual([[1, 'ALREADY_EXISTS']]);
  });

  it('is signed by an authority only', async () => {
    expectRejected(await report(pair(a[1]), p.admin.acme), 'NOT_AUTHORIZED', '$.signer');
    expectRejected(await report(pair(a[1]), p.staff.fda), 'NOT_AUTHORIZED', '$.signer');
    expectRejected(await report(pair(a[1]), testKey('stranger')), 'NOT_AUTHORIZED', '$.signer');
    expect(chain.state.all('evidence')).toEqual([]);
  });

  it('refuses pairs that are not an equivocation, naming the field', async () => {
    const first = vote(a[1]);
    const cases: [string, SignedVote, string][] = [
      ['another validator', vote(a[2], { blockHash: H(2) }), '$.payload.second.validator'],
      ['another height', vote(a[1], { height: 2, blockHash: H(2) }), '$.payload.second.height'],
      ['another round', vote(a[1], { round: 1, blockHash: H(2) }), '$.payload.second.round'],
      ['another type', vote(a[1], { type: 'prevote', blockHash: H(2) }), '$.payload.second.type'],
      ['the same block', vote(a[1]), '$.payload.second.blockHash'],
      [
        'another chain',
        vote(a[1], { chainId: 'other-chain', blockHash: H(2) }),
        '$.payload.second.chainId',
      ],
    ];
    for (const [what, second, path] of cases) {
      const result = await report({ first, second });
      expect(result.ok, what).toBe(false);
      expectRejected(result, 'INVALID_EVIDENCE', path);
    }
    // Both for another chain: the pair conflicts, but not on this chain.
    expectRejected(
      await report(pair(a[1], { chainId: 'other-chain' })),
      'INVALID_EVIDENCE',
      '$.payload.first.chainId',
    );
    expect(chain.state.all('evidence')).toEqual([]);
  });

  it('refuses votes whose signatures do not verify', async () => {
    const { first, second } = pair(a[1]);
    expectRejected(
      await report({ first, second: { ...second, signature: first.signature } }),
      'INVALID_EVIDENCE',
      '$.payload.second.signature',
    );
    // Signed by another key than the validator it names.
    const forged = { ...vote(a[2], { blockHash: H(3) }), validator: a[1].publicKey };
    expectRejected(
      await report({ first: forged, second }),
      'INVALID_EVIDENCE',
      '$.payload.first.signature',
    );
  });

  it('refuses evidence about the block being built or later', async () => {
    const next = chain.height + 1;
    expectRejected(
      await report(pair(a[1], { height: next })),
      'INVALID_EVIDENCE',
      '$.payload.first.height',
    );
    expectRejected(
      await report(pair(a[1], { height: next + 100 })),
      'INVALID_EVIDENCE',
      '$.payload.first.height',
    );
  });

  it('judges the accused by the authority set of the height it voted at', async () => {
    const newcomer = testKey('authority-new');
    // a[3] is voted out (three of four), then a newcomer in (three of three).
    for (const voter of [a[0], a[1], a[2]])
      expectOk(
        await chain.submit(
          'authority.vote',
          { action: 'remove', authority: a[3].publicKey },
          voter,
        ),
      );
    const removedFrom = chain.height + 1;
    for (const voter of [a[0], a[1]])
      expectOk(
        await chain.submit(
          'authority.vote',
          { action: 'add', authority: newcomer.publicKey, name: 'New' },
          voter,
        ),
      );
    const addedFrom = chain.height + 1;
    await chain.commit([]);
    await chain.commit([]);
    // Removed: still accountable for the heights it validated, not for later ones.
    expectOk(await report(pair(a[3], { height: removedFrom - 1 })));
    expectRejected(
      await report(pair(a[3], { height: removedFrom })),
      'INVALID_EVIDENCE',
      '$.payload.first.validator',
    );
    // Added: accountable from the height its set validates.
    expectRejected(
      await report(pair(newcomer, { height: addedFrom - 1 })),
      'INVALID_EVIDENCE',
      '$.payload.first.validator',
    );
    expectOk(await report(pair(newcomer, { height: addedFrom })));
    // Never an authority.
    expectRejected(
      await report(pair(testKey('stranger'))),
      'INVALID_EVIDENCE',
      '$.payload.first.validator',
    );
    // The removed authority cannot report any more.
    expectRejected(await report(pair(a[1], { round: 3 }), a[3]), 'NOT_AUTHORIZED', '$.signer');
  });

  it('checks the form of each vote exactly (schema)', async () => {
    const { first, second } = pair(a[1]);
    const cases: [string, unknown, string][] = [
      ['an unknown field', { ...first, extra: 1 }, '$.payload.first.extra'],
      ['a missing signature', { ...first, signature: undefined }, '$.payload.first.signature'],
      ['height 0 (genesis is not voted on)', { ...first, height: 0 }, '$.payload.first.height'],
      ['a negative round', { ...first, round: -1 }, '$.payload.first.round'],
      ['a fractional round', { ...first, round: 0.5 }, '$.payload.first.round'],
      [
        'an uppercase hash',
        { ...first, blockHash: H(0xab).toUpperCase() },
        '$.payload.first.blockHash',
      ],
      ['an unknown type', { ...first, type: 'commit' }, '$.payload.first.type'],
      ['a short signature', { ...first, signature: 'ab' }, '$.payload.first.signature'],
      [
        'a small-order key',
        { ...first, validator: `01${'00'.repeat(31)}` },
        '$.payload.first.validator',
      ],
    ];
    for (const [what, bad, path] of cases) {
      const tx = unvalidatedTx({ first: bad, second }, a[0]);
      const error = errorOf(() => decodeTx(tx));
      expect(error?.code, what).toBe('INVALID_PAYLOAD');
      expect(error?.details.path, what).toBe(path);
      const { execution } = await chain.commit([tx as SignedTx]);
      expect(execution.rejected[0]?.code, what).toBe('INVALID_PAYLOAD');
    }
  });

  it('verifies the votes with the verifier given, even when the tx signature was verified already', async () => {
    const tx = chain.sign('authority.evidence', pair(a[1]), a[0]) as SignedTx;
    const context = {
      chainId: chain.chainId,
      height: chain.height + 1,
      timestamp: chain.nextTimestamp(),
    };
    let calls = 0;
    const counting: SignatureVerifier = (s, m, k) => {
      calls++;
      return verifyStrict(s, m, k);
    };
    expect(await applyTx(chain.state, tx, { ...context, verifier: counting })).toMatchObject({
      ok: true,
    });
    expect(calls).toBe(3); // the transaction and its two votes
    const refuses: SignatureVerifier = () => false;
    expect(
      await applyTx(chain.state, tx, { ...context, verifier: refuses, signatureVerified: true }),
    ).toMatchObject({ ok: false, code: 'INVALID_EVIDENCE', path: '$.payload.first.signature' });
  });
});

describe('evidence helpers', () => {
  it('builds the payload of a detected pair in a fixed order, without extra fields', () => {
    const nil = vote(a[1], { blockHash: null });
    const block = { ...vote(a[1], { blockHash: H(9) }), receivedFrom: 'peer-x' } as SignedVote;
    const low = vote(a[1], { blockHash: H(3) });
    expect(evidencePayload(block, nil)).toEqual({
      first: nil,
      second: vote(a[1], { blockHash: H(9) }),
    });
    expect(evidencePayload(block, low)).toEqual(evidencePayload(low, block));
    expect(evidencePayload(block, low).first).toEqual(low);
    expect(isEquivocation(nil, low)).toBe(true);
    expect(isEquivocation(low, low)).toBe(false);
    expect(isEquivocation(low, vote(a[2], { blockHash: H(4) }))).toBe(false);
    expect(errorOf(() => evidencePayload(low, low))?.code).toBe('INVALID_EVIDENCE');
    expect(errorOf(() => evidencePayload(low, vote(a[1], { round: 2 })))?.code).toBe(
      'INVALID_EVIDENCE',
    );
  });

  it('replays the authority set of a past height', () => {
    const k = (n: number) => H(n);
    const set: AuthoritySet = {
      authorities: [{ publicKey: k(1) }, { publicKey: k(3) }],
      votes: [],
      history: [
        { height: 5, action: 'add', authority: k(3), tx: H(0) },
        { height: 9, action: 'remove', authority: k(2), name: 'Two', tx: H(0) },
      ],
    };
    const at = (h: number) => authoritiesAt(set, h).map((x) => x.publicKey);
    expect(at(1)).toEqual([k(1), k(2)]);
    expect(at(4)).toEqual([k(1), k(2)]);
    expect(at(5)).toEqual([k(1), k(2), k(3)]);
    expect(at(8)).toEqual([k(1), k(2), k(3)]);
    expect(at(9)).toEqual([k(1), k(3)]);
    expect(at(100)).toEqual([k(1), k(3)]);
  });
});

function errorOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isWaybillError(error)) return error;
    throw error;
  }
  return undefined;
}

let rawNonce = 0;
/** A transaction signed as given, without the schema check `createTx` runs. */
function unvalidatedTx(payload: unknown, signer: TestKey): unknown {
  const unsigned = {
    chainId: chain.chainId,
    type: 'authority.evidence',
    signer: signer.publicKey,
    nonce: (0xf000 + rawNonce++).toString(16).padStart(32, '0'),
    payload,
  } as unknown as UnsignedTx;
  return {
    ...unsigned,
    signature: bytesToHex(sign(hexToBytes(txHash(unsigned)), signer.secretKey)),
  };
}

// ---------------------------------------------------------------------------------------------
// Property: random mutations of valid pairs. A refused transaction changes nothing; an applied
// one is exactly a genuine, first-time equivocation of an authority of that height.

const RUNS = { numRuns: 80, seed: 20261123, endOnFailure: true };

const AUTHORITY_NAMES = ['authority-0', 'authority-1', 'authority-2', 'authority-3'];
const NEWCOMER = 'authority-new';
/** From this height on the newcomer is an authority too (voted in by block 2). */
const NEWCOMER_FROM = 3;
const ACCUSED = [...AUTHORITY_NAMES, NEWCOMER, 'stranger'] as const;
const REPORTERS = ['authority-0', 'authority-3', NEWCOMER, 'stranger', 'acme-admin'] as const;

type Field = keyof SignedVote | 'extra';
interface Mutation {
  which: 'first' | 'second';
  field: Field;
  pick: number;
  /** Re-sign the mutated vote with the key of the validator it names, when that key is known. */
  resign: boolean;
}
interface Case {
  accused: number;
  reporter: number;
  height: number;
  round: number;
  type: Vote['type'];
  nil: boolean;
  swap: boolean;
  mutations: Mutation[];
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  which: fc.constantFrom('first' as const, 'second' as const),
  field: fc.constantFrom<Field>(
    'type',
    'chainId',
    'height',
    'round',
    'blockHash',
    'validator',
    'signature',
    'extra',
  ),
  pick: fc.nat({ max: 99 }),
  resign: fc.boolean(),
});
/** The step the fixture already holds evidence of: authority-1, height 2, round 0, precommit. */
const RECORDED_STEP = { accused: 1, height: 2, round: 0, type: 'precommit' as const };
const freshCaseArb = fc.record({
  accused: fc.nat({ max: ACCUSED.length - 1 }),
  reporter: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.nat({ max: REPORTERS.length - 1 }) },
  ),
  height: fc.integer({ min: 1, max: 7 }),
  round: fc.nat({ max: 2 }),
  type: fc.constantFrom('prevote' as const, 'precommit' as const),
  nil: fc.boolean(),
  swap: fc.boolean(),
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 4, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) },
  ),
});
/** Mostly fresh steps; some of the recorded one, so duplicates come up. */
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 5, arbitrary: freshCaseArb },
  { weight: 1, arbitrary: freshCaseArb.map((c) => ({ ...c, ...RECORDED_STEP })) },
);

const POOLS: Record<Field, readonly unknown[]> = {
  type: ['prevote', 'precommit', 'commit'],
  chainId: ['waybill-test', 'other-chain', ''],
  height: [1, 2, 3, 4, 5, 6, 0, -1, 1.5],
  round: [0, 1, 2, -1],
  blockHash: [H(1), H(2), null, 'ZZ'],
  validator: [...ACCUSED.map((n) => testKey(n).publicKey), 'xyz'],
  signature: ['flip', 'swap', '00'.repeat(64)],
  extra: [1],
};

function mutate(vote: Record<string, unknown>, m: Mutation, other: Record<string, unknown>) {
  const pool = POOLS[m.field];
  const value = pool[m.pick % pool.length];
  if (m.field === 'signature') {
    const signature = String(vote.signature);
    if (value === 'flip')
      vote.signature = `${signature.slice(0, 10)}${signature[10] === '0' ? '1' : '0'}${signature.slice(11)}`;
    else if (value === 'swap') vote.signature = other.signature;
    else vote.signature = value;
    return;
  }
  vote[m.field] = value;
  if (m.resign) {
    const key = ACCUSED.map((n) => testKey(n)).find((k) => k.publicKey === vote.validator);
    const { signature: _, ...fields } = vote;
    try {
      if (key) vote.signature = signVote(fields as unknown as Vote, key.secretKey).signature;
    } catch {
      // A malformed vote cannot be signed; it keeps its old signature.
    }
  }
}

function buildCase(c: Case): SignedTx {
  const accused = testKey(ACCUSED[c.accused]!);
  const base = {
    type: c.type,
    chainId: chain.chainId,
    height: c.height,
    round: c.round,
    validator: accused.publicKey,
  };
  const votes = [
    signVote({ ...base, blockHash: c.nil ? null : H(1) }, accused.secretKey),
    signVote({ ...base, blockHash: H(2) }, accused.secretKey),
  ];
  if (c.swap) votes.reverse();
  const payload = {
    first: { ...votes[0] } as Record<string, unknown>,
    second: { ...votes[1] } as Record<string, unknown>,
  };
  for (const m of c.mutations)
    mutate(payload[m.which], m, payload[m.which === 'first' ? 'second' : 'first']);
  return unvalidatedTx(payload, testKey(REPORTERS[c.reporter]!)) as SignedTx;
}

/** An independent statement of the rule. */
function shouldApply(tx: SignedTx, height: number, recorded: Set<string>): boolean {
  let decoded: SignedTx;
  try {
    decoded = decodeTx(tx);
  } catch {
    return false;
  }
  if (decoded.type !== 'authority.evidence') return false;
  const authorities = (h: number) =>
    [...AUTHORITY_NAMES, ...(h >= NEWCOMER_FROM ? [NEWCOMER] : [])].map(
      (n) => testKey(n).publicKey,
    );
  if (!authorities(height).includes(decoded.signer)) return false;
  const { first, second } = decoded.payload;
  const same = (f: keyof Vote) => first[f] === second[f];
  if (!(same('validator') && same('chainId') && same('height') && same('round') && same('type')))
    return false;
  if (same('blockHash') || first.chainId !== chain.chainId || first.height >= height) return false;
  if (!authorities(first.height).includes(first.validator)) return false;
  if (recorded.has(`${first.validator}:${first.height}:${first.round}:${first.type}`)) return false;
  // Ed25519 over the vote hash, checked here without verifyVote.
  return [first, second].every((v) =>
    verifyStrict(hexToBytes(v.signature), hexToBytes(voteHash(v)), hexToBytes(v.validator)),
  );
}

const snapshot = (state: InMemoryState, kinds = RECORD_KINDS) =>
  kinds.flatMap((kind) =>
    state
      .all(kind)
      .map((r) => `${kind} ${JSON.stringify(r)}`)
      .sort(),
  );

/** A chain at height 5 whose newcomer validates from height 3 and with one evidence recorded. */
async function propertyFixture(): Promise<TestChain> {
  chain = new TestChain({ authorities: 4 });
  a = chain.authorityKeys as typeof a;
  await registerParticipants(chain); // block 1
  const newcomer = testKey(NEWCOMER).publicKey;
  await chain.commit(
    [a[0], a[1], a[2]].map(
      (k) => chain.sign('authority.vote', { action: 'add', authority: newcomer }, k) as SignedTx,
    ),
  ); // block 2: the newcomer validates from height 3
  await chain.commit([]);
  await chain.commit([]);
  // Evidence recorded earlier, so that duplicates of it come up.
  await chain.commit([chain.sign('authority.evidence', pair(a[1], { height: 2 }), a[0])]);
  return chain;
}

describe('mutated evidence (property)', () => {
  it('applies exactly the genuine first reports; a refused one changes nothing', async () => {
    const fixture = await propertyFixture();
    const before = snapshot(fixture.state);
    const seen = new Map<string, number>();
    const count = (outcome: string) => seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: 4 }), async (cases) => {
        // Blocks are executed over the fixture's state, never committed: every run starts equal.
        chain = fixture;
        const recorded = new Set(fixture.state.all('evidence').map((e) => evidenceKey(e)));
        expect(recorded.size).toBe(1);
        const txs = cases.map(buildCase);
        const height = fixture.height + 1;
        const options = {
          chainId: fixture.chainId,
          height,
          timestamp: fixture.nextTimestamp(),
          prevStateRoot: fixture.headHeader.stateRoot,
        };
        const all = await executeTxs(fixture.state, txs, options);
        const rejected = new Set(all.rejected.map((r) => r.index));
        // Each outcome is what the rule says, in order (earlier txs of the block count).
        const applied: SignedTx[] = [];
        txs.forEach((tx, i) => {
          const expected = shouldApply(tx, height, recorded);
          expect(!rejected.has(i), JSON.stringify(tx.payload)).toBe(expected);
          if (!expected || tx.type !== 'authority.evidence') return;
          recorded.add(evidenceKey(tx.payload.first));
          applied.push(tx);
        });
        for (let i = 0; i < all.applied.length; i++) count('applied');
        for (const r of all.rejected) count(r.code);
        for (const r of all.rejected)
          expect([
            'INVALID_EVIDENCE',
            'INVALID_PAYLOAD',
            'NOT_AUTHORIZED',
            'ALREADY_EXISTS',
          ]).toContain(r.code);
        // The included transactions alone give the same state root: the refused did nothing.
        const included = await executeTxs(fixture.state, applied, options);
        expect(included.rejected).toEqual([]);
        expect(included.stateRoot).toBe(all.stateRoot);
        // An applied report writes one new evidence record and nothing else.
        expect(all.changes.map((c) => [c.kind, c.key])).toEqual(
          applied.map((tx) => [
            'evidence',
            tx.type === 'authority.evidence' ? evidenceKey(tx.payload.first) : '',
          ]),
        );
        all.changes.forEach((change, i) => {
          const tx = applied[i] as SignedTx & { type: 'authority.evidence' };
          expect(change.value).toMatchObject({
            ...tx.payload,
            validator: tx.payload.first.validator,
            reporter: tx.signer,
            recordedAt: height,
            tx: txHash(tx),
          });
        });
        // And the state read is never written to.
        expect(snapshot(fixture.state)).toEqual(before);
      }),
      RUNS,
    );
    // The generator reaches every outcome, so the property is not vacuous.
    expect([...seen.keys()].sort()).toEqual([
      'ALREADY_EXISTS',
      'INVALID_EVIDENCE',
      'INVALID_PAYLOAD',
      'NOT_AUTHORIZED',
      'applied',
    ]);
  }, 120_000);
});
