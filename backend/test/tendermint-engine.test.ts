/**
 * The Tendermint state machine step by step, with real Ed25519 keys: what it does on each input.
 * The simulation (consensus-simulation.test.ts) covers whole networks; this pins single behaviours.
 */
import { describe, expect, it } from 'vitest';
import {
  proposerFor,
  signProposal,
  signVote,
  type ProposedBlock,
  type SignedVote,
  type Vote,
} from '@waybill/shared/block';
import { testKey, type TestKey } from '@waybill/shared/testing';
import { TendermintEngine } from '../src/consensus/tendermint/engine.js';
import {
  GuardedSigner,
  MemorySignatureRecord,
} from '../src/consensus/tendermint/guarded-signer.js';
import type { EngineAction, Timeouts } from '../src/consensus/tendermint/types.js';

const CHAIN = 'engine-test';
const TIMEOUTS: Timeouts = { propose: 100, prevote: 50, precommit: 50, delta: 10 };
const keys = ['a', 'b', 'c', 'd'].map((n) => testKey(`engine-${n}`));
const validators = keys.map((k) => k.publicKey).sort();
const byKey = (pk: string) => keys.find((k) => k.publicKey === pk) as TestKey;
/** The proposer of height 1, round 0, and the others. */
const proposer0 = byKey(proposerFor({ validators, height: 1, round: 0 }));
const others0 = keys.filter((k) => k !== proposer0);
const HASH_X = 'a'.repeat(64);
const HASH_Y = 'b'.repeat(64);
type Block = ProposedBlock;
const blockX = { id: 'x' } as unknown as Block;

function engineFor(key: TestKey | undefined, record = new MemorySignatureRecord()) {
  return new TendermintEngine<Block>({
    chainId: CHAIN,
    timeouts: TIMEOUTS,
    ...(key && {
      signer: new GuardedSigner(
        {
          publicKey: key.publicKey,
          signVote: (v) => signVote(v, key.secretKey),
          signProposal: (p) => signProposal(p, key.secretKey),
        },
        record,
      ),
    }),
  });
}

function vote(key: TestKey, fields: Partial<Vote> & Pick<Vote, 'type'>): SignedVote {
  return signVote(
    {
      chainId: CHAIN,
      height: 1,
      round: 0,
      blockHash: HASH_X,
      validator: key.publicKey,
      ...fields,
    },
    key.secretKey,
  );
}

/** A signed round-0 (unless given) proposal of `blockHash` at height 1 by `proposer`. */
function proposalBy(proposer: TestKey, blockHash: string, round = 0) {
  return signProposal(
    { chainId: CHAIN, height: 1, round, blockHash, validRound: -1, proposer: proposer.publicKey },
    proposer.secretKey,
  );
}

const ofType = <T extends EngineAction<Block>['type']>(actions: EngineAction<Block>[], type: T) =>
  actions.filter((a): a is Extract<EngineAction<Block>, { type: T }> => a.type === type);

describe('TendermintEngine', () => {
  it('decides alone when the set is one authority', () => {
    const [key] = keys as [TestKey];
    const engine = engineFor(key);
    expect(engine.startHeight(1, [key.publicKey])).toEqual([]);
    const woke = engine.wake();
    expect(ofType(woke, 'build')).toEqual([{ type: 'build', height: 1, round: 0 }]);
    const actions = engine.onBlockBuilt(1, 0, HASH_X, blockX);
    expect(ofType(actions, 'broadcastProposal')).toHaveLength(1);
    expect(ofType(actions, 'broadcastVote').map((a) => a.vote.type)).toEqual([
      'prevote',
      'precommit',
    ]);
    const [commit] = ofType(actions, 'commit');
    expect(commit).toMatchObject({ height: 1, round: 0, blockHash: HASH_X, block: blockX });
    expect(commit?.precommits).toHaveLength(1);
  });

  it('stays idle until woken or addressed, so an idle network does not spin', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    expect(engine.status.started).toBe(false);
    const other = keys.find((k) => k !== keys[0]) as TestKey;
    const actions = engine.onVote(vote(other, { type: 'prevote', blockHash: null }));
    expect(engine.status.started).toBe(true);
    expect(ofType(actions, 'schedule')[0]?.timeout).toEqual({
      height: 1,
      round: 0,
      step: 'propose',
    });
  });

  it('prevotes a valid proposal from the round proposer once the host validated it', () => {
    const proposer = byKey(validators[1 % 4] as string); // (height 1 + round 0) mod 4
    const me = keys.find((k) => k !== proposer) as TestKey;
    const engine = engineFor(me);
    engine.startHeight(1, validators);
    engine.wake();
    const proposal = proposalBy(proposer, HASH_X);
    const asked = engine.onProposal(proposal, blockX);
    expect(ofType(asked, 'validate')).toEqual([
      { type: 'validate', height: 1, blockHash: HASH_X, block: blockX },
    ]);
    const voted = engine.onValidated(1, HASH_X, true);
    expect(ofType(voted, 'broadcastVote').map((a) => [a.vote.type, a.vote.blockHash])).toEqual([
      ['prevote', HASH_X],
    ]);
  });

  it('prevotes nil for an invalid block and ignores proposals from the wrong proposer', () => {
    const proposer = byKey(validators[1] as string);
    const impostor = byKey(validators[2] as string);
    const me = byKey(validators[3] as string);
    const engine = engineFor(me);
    engine.startHeight(1, validators);
    engine.wake();
    const forged = proposalBy(impostor, HASH_Y);
    expect(engine.onProposal(forged, blockX)).toEqual([]);
    const proposal = proposalBy(proposer, HASH_X);
    engine.onProposal(proposal, blockX);
    const voted = engine.onValidated(1, HASH_X, false);
    expect(ofType(voted, 'broadcastVote').map((a) => a.vote.blockHash)).toEqual([null]);
  });

  it('locks on a polka, precommits it, and commits with a quorum of precommits', () => {
    const proposer = byKey(validators[1] as string);
    const me = byKey(validators[0] as string);
    const others = keys.filter((k) => k !== me);
    const engine = engineFor(me);
    engine.startHeight(1, validators);
    engine.onProposal(proposalBy(proposer, HASH_X), blockX);
    engine.onValidated(1, HASH_X, true);
    const afterPolka = others
      .slice(0, 2)
      .flatMap((k) => engine.onVote(vote(k, { type: 'prevote' })));
    expect(ofType(afterPolka, 'broadcastVote').map((a) => a.vote.type)).toEqual(['precommit']);
    expect(engine.status).toMatchObject({ lockedRound: 0, validRound: 0, step: 'precommit' });
    const decided = others
      .slice(0, 2)
      .flatMap((k) => engine.onVote(vote(k, { type: 'precommit' })));
    const [commit] = ofType(decided, 'commit');
    expect(commit?.precommits.map((v) => v.validator).sort()).toEqual(
      [me, ...others.slice(0, 2)].map((k) => k.publicKey).sort(),
    );
    // Decided: nothing more happens at this height.
    expect(engine.onVote(vote(others[2] as TestKey, { type: 'precommit' }))).toEqual([]);
  });

  it('reports two different votes of one authority for one slot as evidence, once', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    const liar = keys[1] as TestKey;
    engine.onVote(vote(liar, { type: 'prevote', blockHash: HASH_X }));
    const second = vote(liar, { type: 'prevote', blockHash: HASH_Y });
    const [evidence] = ofType(engine.onVote(second), 'evidence');
    expect(evidence?.first.blockHash).toBe(HASH_X);
    expect(evidence?.second).toEqual(second);
    expect(
      ofType(engine.onVote(vote(liar, { type: 'prevote', blockHash: null })), 'evidence'),
    ).toEqual([]);
    // A repeat of the same vote is no evidence at all.
    expect(engine.onVote(second)).toEqual([]);
  });

  it('ignores votes of keys outside the set and of other chains', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    const stranger = testKey('engine-stranger');
    expect(engine.onVote(vote(stranger, { type: 'prevote' }))).toEqual([]);
    expect(
      engine.onVote(
        signVote(
          {
            type: 'prevote',
            chainId: 'other',
            height: 1,
            round: 0,
            blockHash: null,
            validator: (keys[1] as TestKey).publicKey,
          },
          (keys[1] as TestKey).secretKey,
        ),
      ),
    ).toEqual([]);
    expect(engine.status.started).toBe(false);
  });

  it('keeps messages of the next height, says it is behind, and replays them at that height', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    const early = vote(keys[1] as TestKey, { type: 'prevote', height: 2, blockHash: null });
    expect(engine.onVote(early)).toEqual([{ type: 'behind', height: 2 }]);
    const replayed = engine.startHeight(2, validators);
    expect(engine.status).toMatchObject({ height: 2, started: true });
    expect(ofType(replayed, 'schedule')).toHaveLength(1);
  });

  it('moves to the next round after the precommit timeout, and follows f + 1 authorities ahead', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    engine.wake();
    engine.onTimeout({ height: 1, round: 0, step: 'propose' });
    // It is the proposer: it waits for its build, which fails here.
    expect(engine.status.step).toBe('propose');
    engine.onBuildFailed(1, 0);
    expect(engine.status.step).toBe('prevote');
    // A stale timeout of another round changes nothing.
    expect(engine.onTimeout({ height: 1, round: 5, step: 'precommit' })).toEqual([]);
    engine.onTimeout({ height: 1, round: 0, step: 'precommit' });
    expect(engine.status.round).toBe(1);
    const ahead = keys.filter((k) => k !== keys[0]).slice(0, 2);
    for (const k of ahead) engine.onVote(vote(k, { type: 'prevote', round: 7, blockHash: null }));
    expect(engine.status.round).toBe(7);
  });

  it('waits past the propose timeout for its own block being built', () => {
    const engine = engineFor(proposer0);
    engine.startHeight(1, validators);
    const started = engine.wake();
    expect(ofType(started, 'build')).toHaveLength(1);
    expect(
      ofType(engine.onTimeout({ height: 1, round: 0, step: 'propose' }), 'broadcastVote'),
    ).toEqual([]);
    const built = engine.onBlockBuilt(1, 0, HASH_X, blockX);
    expect(ofType(built, 'broadcastProposal')).toHaveLength(1);
    expect(ofType(built, 'broadcastVote').map((a) => a.vote.blockHash)).toEqual([HASH_X]);
  });

  it('judges a proposal that arrived before the propose timeout once its check ends', () => {
    const engine = engineFor(others0[0]);
    engine.startHeight(1, validators);
    engine.wake();
    const proposer = proposer0;
    expect(
      ofType(engine.onProposal(proposalBy(proposer, HASH_X), blockX), 'validate'),
    ).toHaveLength(1);
    // The check is slow: the timeout fires first and must not turn the prevote into nil.
    expect(
      ofType(engine.onTimeout({ height: 1, round: 0, step: 'propose' }), 'broadcastVote'),
    ).toEqual([]);
    const [prevote] = ofType(engine.onValidated(1, HASH_X, true), 'broadcastVote');
    expect(prevote?.vote).toMatchObject({ type: 'prevote', blockHash: HASH_X });
  });

  it('prevotes nil at the timeout when no proposal came, and after a failed check', () => {
    const engine = engineFor(others0[0]);
    engine.startHeight(1, validators);
    engine.wake();
    const [nil] = ofType(
      engine.onTimeout({ height: 1, round: 0, step: 'propose' }),
      'broadcastVote',
    );
    expect(nil?.vote).toMatchObject({ type: 'prevote', blockHash: null });
    const other = engineFor(others0[1]);
    other.startHeight(1, validators);
    other.wake();
    other.onProposal(proposalBy(proposer0, HASH_X), blockX);
    other.onTimeout({ height: 1, round: 0, step: 'propose' });
    const [refused] = ofType(other.onValidated(1, HASH_X, false), 'broadcastVote');
    expect(refused?.vote).toMatchObject({ type: 'prevote', blockHash: null });
  });

  it('an observer follows and decides but never signs', () => {
    const engine = engineFor(undefined);
    engine.startHeight(1, validators);
    const proposer = byKey(validators[1] as string);
    const actions = [
      ...engine.onProposal(proposalBy(proposer, HASH_X), blockX),
      ...engine.onValidated(1, HASH_X, true),
      ...keys.slice(0, 3).flatMap((k) => engine.onVote(vote(k, { type: 'precommit' }))),
    ];
    expect(ofType(actions, 'broadcastVote')).toEqual([]);
    expect(ofType(actions, 'commit')).toHaveLength(1);
  });

  it('after a restart, the guard hands back the vote signed before instead of a new one', () => {
    const record = new MemorySignatureRecord();
    const me = keys[0] as TestKey;
    const before = engineFor(me, record);
    before.startHeight(1, validators);
    before.wake();
    before.onTimeout({ height: 1, round: 0, step: 'propose' });
    const [first] = ofType(before.onBuildFailed(1, 0), 'broadcastVote');
    expect(first?.vote.blockHash).toBeNull();
    // The restarted engine would prevote a block in the same slot: it gets the nil vote back.
    const after = engineFor(me, record);
    after.startHeight(1, validators);
    const proposer = byKey(validators[1] as string);
    after.onProposal(proposalBy(proposer, HASH_X), blockX);
    const [again] = ofType(after.onValidated(1, HASH_X, true), 'broadcastVote');
    expect(again?.vote).toEqual(first?.vote);
    record.prune(2);
    expect(record.get('1:0:prevote')).toBeUndefined();
  });

  it('rebroadcasts its own votes of the current round', () => {
    const engine = engineFor(keys[0]);
    engine.startHeight(1, validators);
    expect(engine.rebroadcast()).toEqual([]);
    engine.wake();
    engine.onTimeout({ height: 1, round: 0, step: 'propose' });
    engine.onBuildFailed(1, 0);
    expect(ofType(engine.rebroadcast(), 'broadcastVote').map((a) => a.vote.type)).toEqual([
      'prevote',
    ]);
  });
});
