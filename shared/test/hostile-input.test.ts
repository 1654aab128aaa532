/**
 * Hostile input at the protocol's boundary (issue 8): whatever bytes or values a client or a peer
 * sends, decoding and the state machine either accept them or refuse them with a coded
 * WaybillError, never another exception, and a refused transaction changes nothing.
 *
 * Seeded and bounded: the seed is printed, and `WAYBILL_FUZZ_SEED=<n>` reruns with another one.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../src/encoding/index.js';
import { REJECTION_CODES, WaybillError } from '../src/errors.js';
import { executeTxs } from '../src/state/index.js';
import {
  registerParticipants,
  TestChain,
  type Participants,
  type TestKey,
} from '../src/testing/index.js';
import { samplePayloads } from '../src/testing/vectors.js';
import { checkTx, createTx, decodeTxJson, type SignedTx, type TxType } from '../src/tx/index.js';

const SEED = Number(process.env.WAYBILL_FUZZ_SEED ?? 20261126);
const RUNS = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });
const CODES: readonly string[] = REJECTION_CODES;

let chain: TestChain;
let keys: Participants;
/** A valid signed transaction of every type, and who may sign what in the hostile set. */
let samples: SignedTx[];
let signers: TestKey[];

beforeAll(async () => {
  console.log(`hostile input: fast-check seed ${SEED} (set WAYBILL_FUZZ_SEED to change it)`);
  chain = new TestChain();
  keys = await registerParticipants(chain);
  const authority = chain.authorityKeys[0] as TestKey;
  signers = [authority, keys.admin.acme, keys.staff.acme, keys.staff.swift];
  samples = Object.entries(samplePayloads()).map(([type, payload]) =>
    createTx({
      chainId: chain.chainId,
      type: type as TxType,
      payload,
      secretKey: authority.secretKey,
    }),
  );
});

/** Runs `fn`; a throw must be a WaybillError with a rejection code. */
function refusedCleanly(fn: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (!(error instanceof WaybillError)) throw error;
    expect(CODES).toContain(error.code);
    expect(error.message.length).toBeGreaterThan(0);
    return { ok: false };
  }
}

/** Every path to a value inside `value` ([] is the value itself). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, k]));
  return paths;
}

type Mutation =
  | { op: 'replace'; value: unknown }
  | { op: 'delete' }
  | { op: 'add'; key: string; value: unknown }
  | { op: 'flip'; at: number };

/** A copy of `root` with one mutation at `path`. */
function mutate(root: unknown, path: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return mutation.op === 'replace' ? mutation.value : copy;
  let parent: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const current = parent[last];
  switch (mutation.op) {
    case 'replace':
      parent[last] = mutation.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else Reflect.deleteProperty(parent, last);
      break;
    case 'add':
      if (current !== null && typeof current === 'object' && !Array.isArray(current))
        (current as Record<string, unknown>)[mutation.key] = mutation.value;
      else if (Array.isArray(current)) current.push(mutation.value);
      break;
    case 'flip':
      if (typeof current === 'string' && current.length > 0) {
        const i = mutation.at % current.length;
        const c = current.charCodeAt(i);
        parent[last] = current.slice(0, i) + String.fromCharCode(c ^ 1) + current.slice(i + 1);
      } else if (typeof current === 'number') parent[last] = current + 1;
      else if (typeof current === 'boolean') parent[last] = !current;
      break;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({
    op: fc.constant('replace' as const),
    value: fc.constantFrom(
      '',
      -1,
      1.5,
      2 ** 53,
      null,
      [],
      {},
      'x'.repeat(70_000),
      '\uD800',
      '0'.repeat(64),
      true,
    ),
  }),
  fc.record({ op: fc.constant('delete' as const) }),
  fc.record({
    op: fc.constant('add' as const),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(200) }),
);

describe('decoding hostile input', () => {
  it('refuses any value with a code: objects, arrays, primitives, cycles, odd prototypes', () => {
    const envelopeLike = fc.record(
      {
        chainId: fc.anything(),
        type: fc.oneof(fc.constantFrom(...Object.keys(samplePayloads())), fc.anything()),
        signer: fc.anything(),
        nonce: fc.anything(),
        payload: fc.anything({ maxDepth: 3 }),
        signature: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const anything = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
    });
    fc.assert(
      fc.property(fc.oneof(anything, envelopeLike), (value) => {
        const outcome = refusedCleanly(() => checkTx(value, { chainId: chain.chainId }));
        // Random values never carry a valid signature.
        expect(outcome.ok).toBe(false);
      }),
      RUNS(3_000),
    );
    const cyclic: Record<string, unknown> = { ...samples[0] };
    (cyclic.payload as Record<string, unknown>) = { self: cyclic };
    expect(refusedCleanly(() => checkTx(cyclic, { chainId: chain.chainId })).ok).toBe(false);
  }, 120_000);

  it('refuses any text that is not a transaction, and any mutation of one', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300, unit: 'binary' }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 4 })).map(([which, at, insert]) => {
            const text = JSON.stringify(samples[which % samples.length]);
            const i = at % text.length;
            return text.slice(0, i) + insert + text.slice(i + 1);
          }),
        ),
        (text) => {
          const outcome = refusedCleanly(() => {
            const tx = decodeTxJson(text);
            return checkTx(tx, { chainId: chain.chainId });
          });
          // Only an unchanged transaction (the edit rewrote a character with itself) passes.
          if (outcome.ok) expect(samples.map((s) => JSON.stringify(s))).toContain(text);
        },
      ),
      RUNS(3_000),
    );
  }, 120_000);

  it('refuses every change to a signed transaction, wherever it is made', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), mutation, (which, where, change) => {
        const original = samples[which % samples.length] as SignedTx;
        const paths = pathsOf(original);
        const path = paths[where % paths.length] as (string | number)[];
        const changed = mutate(original, path, change);
        const outcome = refusedCleanly(() => checkTx(changed, { chainId: chain.chainId }));
        // Accepted only when the "change" left the canonical form as it was.
        if (outcome.ok) expect(canonicalize(changed)).toBe(canonicalize(original));
      }),
      // Most changes fail decoding; the rest reach signature verification (noble: slow).
      RUNS(1_500),
    );
  }, 120_000);
});

describe('the state machine under hostile, validly signed transactions', () => {
  it('applies or refuses with a code, and a refused transaction changes nothing', async () => {
    const state = chain.state;
    const options = {
      chainId: chain.chainId,
      height: chain.height + 1,
      timestamp: chain.nextTimestamp(),
      prevStateRoot: chain.headHeader.stateRoot,
    };
    // A block's state root chains the previous one even when nothing changed.
    const { stateRoot: unchanged } = await executeTxs(state, [], options);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        mutation,
        fc.nat(signers.length - 1),
        async (which, where, change, by) => {
          const original = samples[which % samples.length] as SignedTx;
          const paths = pathsOf(original.payload).map((p) => ['payload', ...p]);
          const path = paths[where % paths.length] as (string | number)[];
          const { type, payload } = mutate(original, path, change) as SignedTx;
          const signer = signers[by] as TestKey;
          // A client signs whatever it likes; createTx refuses what does not decode.
          const signed = refusedCleanly(() =>
            createTx({
              chainId: chain.chainId,
              type,
              payload,
              secretKey: signer.secretKey,
            }),
          );
          if (!signed.ok) return;
          const execution = await executeTxs(state, [signed.value as SignedTx], options);
          for (const rejected of execution.rejected) expect(CODES).toContain(rejected.code);
          if (execution.applied.length === 0) {
            expect(execution.rejected).toHaveLength(1);
            expect(execution.changes).toEqual([]);
            expect(execution.stateRoot).toBe(unchanged);
          }
        },
      ),
      RUNS(1_500),
    );
  }, 120_000);
});
