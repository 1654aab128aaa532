/**
 * Tendermint's consensus algorithm ("The latest gossip on BFT consensus", Buchman, Kwon, Milosevic,
 * 2018, Algorithm 1) as a deterministic state machine. Each input (a proposal, a vote, a timeout,
 * the result of building or validating a block) returns the actions the host must carry out.
 *
 * The host verifies signatures and that a proposal's block hashes to its `blockHash` before
 * handing messages in; the engine decides what to vote and when a block is final. Two additions to
 * the paper: a height starts idle and wakes when the host has work (or any message for the height
 * arrives), so an idle network does not spin; and a block's content is taken from any proposal of
 * the height with its hash, so a node that missed one round's proposal can still commit it.
 */
import { proposerFor, quorum, sortValidators } from '@waybill/shared/block';
import type { SignedProposal, SignedVote, VoteType } from '@waybill/shared/block';
import type { EngineAction, EngineSigner, EngineStatus, Step, Timeout, Timeouts } from './types.js';

export interface EngineOptions {
  readonly chainId: string;
  readonly timeouts: Timeouts;
  readonly signer?: EngineSigner;
  /** How many heights ahead of the current one messages are kept for (default 2). */
  readonly lookahead?: number;
}

/**
 * The votes of one round and step. An equivocating authority may have sent different votes to
 * different nodes; each is kept (up to a few) and counts once towards its own block, which is what
 * lets honest nodes still assemble the quorum another node saw. Counting a liar on two sides is
 * safe: the quorum-intersection argument already lets it vote both ways.
 */
class VoteTally {
  private readonly byValidator = new Map<string, SignedVote[]>();
  private readonly byBlock = new Map<string, SignedVote[]>();

  /** 'conflict' hands back the earlier vote it conflicts with, for evidence. */
  add(vote: SignedVote): 'new' | 'known' | { conflict: SignedVote } {
    const earlier = this.byValidator.get(vote.validator);
    if (earlier?.some((v) => v.blockHash === vote.blockHash)) return 'known';
    if (earlier && earlier.length >= MAX_VOTES_PER_SLOT) return 'known';
    if (earlier) earlier.push(vote);
    else this.byValidator.set(vote.validator, [vote]);
    const key = vote.blockHash ?? NIL;
    const forBlock = this.byBlock.get(key);
    if (forBlock) forBlock.push(vote);
    else this.byBlock.set(key, [vote]);
    return earlier?.[0] ? { conflict: earlier[0] } : 'new';
  }

  /** The first vote a validator sent (for this node's own vote, the only one). */
  first(validator: string): SignedVote | undefined {
    return this.byValidator.get(validator)?.[0];
  }

  /** Distinct validators that voted at all. */
  get total(): number {
    return this.byValidator.size;
  }

  validators(): Iterable<string> {
    return this.byValidator.keys();
  }

  count(blockHash: string | null): number {
    return this.byBlock.get(blockHash ?? NIL)?.length ?? 0;
  }

  votesFor(blockHash: string | null): SignedVote[] {
    return [...(this.byBlock.get(blockHash ?? NIL) ?? [])];
  }

  /** A block (never nil) with at least `quorum` votes, if any. */
  blockWith(quorum: number): string | undefined {
    for (const [key, votes] of this.byBlock) if (key !== NIL && votes.length >= quorum) return key;
    return undefined;
  }
}

interface RoundVotes {
  readonly prevote: VoteTally;
  readonly precommit: VoteTally;
}

type Buffered<B> =
  | { readonly kind: 'vote'; readonly vote: SignedVote }
  | { readonly kind: 'proposal'; readonly proposal: SignedProposal; readonly block: B };

const NIL = 'nil';
const MAX_ROUND_AHEAD = 10_000;
const MAX_VOTES_PER_SLOT = 4;
const STEP_ORDER: Record<Step, number> = { propose: 0, prevote: 1, precommit: 2 };

export class TendermintEngine<B> {
  private height = -1;
  private validators: string[] = [];
  private members = new Set<string>();
  private quorum = 1;
  /** f + 1: enough messages from a later round that at least one honest authority is there. */
  private skipThreshold = 1;
  private round = 0;
  private step: Step = 'propose';
  private started = false;
  private decided = false;
  private lockedRound = -1;
  private lockedHash: string | undefined;
  private validRound = -1;
  private validHash: string | undefined;
  /** The first proposal of each round from that round's proposer. */
  private proposals = new Map<number, SignedProposal>();
  /** Block contents by hash, from any proposal of this height. */
  private blocks = new Map<string, B>();
  private validity = new Map<string, boolean>();
  private validating = new Set<string>();
  /** The round whose block this node is building as its proposer (-1: none). */
  private building = -1;
  /** The propose timeout of this round fired while its block was being built or checked. */
  private proposeTimedOut = false;
  private votes = new Map<number, RoundVotes>();
  /** "For the first time" guards of the paper, per round: `${rule}:${round}`. */
  private fired = new Set<string>();
  private reported = new Set<string>();
  private future: Buffered<B>[] = [];
  private highestSeen = -1;
  private readonly lookahead: number;

  constructor(private readonly options: EngineOptions) {
    this.lookahead = options.lookahead ?? 2;
  }

  get status(): EngineStatus {
    return {
      height: this.height,
      round: this.round,
      step: this.step,
      started: this.started,
      decided: this.decided,
      lockedRound: this.lockedRound,
      validRound: this.validRound,
    };
  }

  /** True when this node signs at the current height. */
  get isValidator(): boolean {
    const signer = this.options.signer;
    return signer !== undefined && this.members.has(signer.publicKey);
  }

  /** Enters `height` (the chain's head + 1) with the set that certifies it, idle. */
  startHeight(height: number, validators: readonly string[]): EngineAction<B>[] {
    this.height = height;
    this.validators = sortValidators(validators);
    this.members = new Set(this.validators);
    this.quorum = quorum(this.validators.length);
    this.skipThreshold = this.validators.length - this.quorum + 1;
    this.round = 0;
    this.step = 'propose';
    this.started = false;
    this.decided = false;
    this.lockedRound = -1;
    this.lockedHash = undefined;
    this.validRound = -1;
    this.validHash = undefined;
    this.proposals = new Map();
    this.blocks = new Map();
    this.validity = new Map();
    this.validating = new Set();
    this.building = -1;
    this.proposeTimedOut = false;
    this.votes = new Map();
    this.fired = new Set();
    this.reported = new Set();
    const replay = this.future.filter((m) => messageHeight(m) === height);
    this.future = this.future.filter((m) => messageHeight(m) > height);
    const actions: EngineAction<B>[] = [];
    for (const message of replay) {
      actions.push(
        ...(message.kind === 'vote'
          ? this.onVote(message.vote)
          : this.onProposal(message.proposal, message.block)),
      );
    }
    return actions;
  }

  /** The host has work for this height (transactions wait, or a heartbeat is due). */
  wake(): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (this.height < 0 || this.started || this.decided) return actions;
    this.startRound(0, actions);
    this.advance(actions);
    return actions;
  }

  onProposal(proposal: SignedProposal, block: B): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (!this.admitHeight({ kind: 'proposal', proposal, block }, proposal.height, actions)) {
      return actions;
    }
    const expected = proposerFor({
      validators: this.validators,
      height: this.height,
      round: proposal.round,
    });
    if (proposal.proposer !== expected || proposal.chainId !== this.options.chainId) return actions;
    if (!this.proposals.has(proposal.round)) this.proposals.set(proposal.round, proposal);
    if (!this.blocks.has(proposal.blockHash)) this.blocks.set(proposal.blockHash, block);
    this.wakeOnMessage(actions);
    this.advance(actions);
    return actions;
  }

  onVote(vote: SignedVote): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (!this.admitHeight({ kind: 'vote', vote }, vote.height, actions)) return actions;
    if (!this.members.has(vote.validator) || vote.chainId !== this.options.chainId) return actions;
    // Rounds far ahead cannot be honest yet; refusing them bounds what a liar can make us store.
    if (vote.round > this.round + MAX_ROUND_AHEAD) return actions;
    const added = this.votesOf(vote.round)[vote.type].add(vote);
    if (added === 'known') return actions;
    if (added !== 'new') {
      const key = `${vote.validator}:${vote.round}:${vote.type}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        actions.push({ type: 'evidence', first: added.conflict, second: vote });
      }
    }
    this.wakeOnMessage(actions);
    this.advance(actions);
    return actions;
  }

  onTimeout(timeout: Timeout): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (timeout.height !== this.height || timeout.round !== this.round || this.decided) {
      return actions;
    }
    if (timeout.step === 'propose' && this.step === 'propose') {
      // A proposal that arrived in time is judged when its check ends, however long a big block
      // takes on a busy machine; likewise this node's own block while it is being built. Waiting
      // longer to prevote never endangers safety, and the check or build always ends (the host
      // reports failures), so the round still moves on.
      if (this.awaitingBlock()) {
        this.proposeTimedOut = true;
        return actions;
      }
      this.castVote('prevote', null, actions);
      this.step = 'prevote';
    } else if (timeout.step === 'prevote' && this.step === 'prevote') {
      this.castVote('precommit', null, actions);
      this.step = 'precommit';
    } else if (timeout.step === 'precommit') {
      this.startRound(this.round + 1, actions);
    }
    this.advance(actions);
    return actions;
  }

  onBlockBuilt(height: number, round: number, blockHash: string, block: B): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (height === this.height && round === this.building) this.building = -1;
    const signer = this.options.signer;
    if (
      !signer ||
      height !== this.height ||
      round !== this.round ||
      this.step !== 'propose' ||
      this.decided ||
      this.proposals.has(round)
    ) {
      return actions;
    }
    this.propose(blockHash, block, -1, actions);
    this.prevoteNilIfTimedOut(actions);
    this.advance(actions);
    return actions;
  }

  /** Building this round's block failed: the round goes on without it. */
  onBuildFailed(height: number, round: number): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (height !== this.height || round !== this.building) return actions;
    this.building = -1;
    this.prevoteNilIfTimedOut(actions);
    this.advance(actions);
    return actions;
  }

  onValidated(height: number, blockHash: string, valid: boolean): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    if (height !== this.height) return actions;
    this.validity.set(blockHash, valid);
    this.validating.delete(blockHash);
    this.advance(actions);
    return actions;
  }

  /**
   * This node's own proposal and votes of the current round, to send again when the network may
   * have lost them (the host calls this when a height makes no progress for a while).
   */
  rebroadcast(): EngineAction<B>[] {
    const actions: EngineAction<B>[] = [];
    const signer = this.options.signer;
    if (!signer || this.decided || !this.started) return actions;
    const proposal = this.proposals.get(this.round);
    if (proposal?.proposer === signer.publicKey) {
      const block = this.blocks.get(proposal.blockHash);
      if (block !== undefined) {
        actions.push({
          type: 'broadcastProposal',
          proposal,
          block,
          polka: this.polkaVotes(proposal),
        });
      }
    }
    for (const round of [this.round - 1, this.round]) {
      const votes = this.votes.get(round);
      if (!votes) continue;
      for (const type of ['prevote', 'precommit'] as const) {
        const own = votes[type].first(signer.publicKey);
        if (own) actions.push({ type: 'broadcastVote', vote: own });
      }
    }
    return actions;
  }

  /** Keeps messages of later heights for later; drops stale ones. True when for this height. */
  private admitHeight(message: Buffered<B>, height: number, actions: EngineAction<B>[]): boolean {
    if (height === this.height && !this.decided) return true;
    if (height > this.height) {
      if (height > this.highestSeen) {
        this.highestSeen = height;
        actions.push({ type: 'behind', height });
      }
      if (height <= this.height + this.lookahead && this.future.length < 10_000) {
        this.future.push(message);
      }
    }
    return false;
  }

  /** A proposal or vote for this height means the others are at work: join them. */
  private wakeOnMessage(actions: EngineAction<B>[]): void {
    if (!this.started) this.startRound(0, actions);
  }

  private votesOf(round: number): RoundVotes {
    let votes = this.votes.get(round);
    if (!votes) {
      votes = { prevote: new VoteTally(), precommit: new VoteTally() };
      this.votes.set(round, votes);
    }
    return votes;
  }

  private proposerOf(round: number): string {
    return proposerFor({ validators: this.validators, height: this.height, round });
  }

  private delay(step: Step, round: number): number {
    const t = this.options.timeouts;
    return t[step] + round * t.delta;
  }

  private schedule(step: Step, actions: EngineAction<B>[]): void {
    actions.push({
      type: 'schedule',
      timeout: { height: this.height, round: this.round, step },
      delayMs: this.delay(step, this.round),
    });
  }

  /** The propose step waits on a block: this node's own being built, or the proposal's check. */
  private awaitingBlock(): boolean {
    if (this.building === this.round) return true;
    const proposal = this.proposals.get(this.round);
    return (
      proposal !== undefined &&
      proposal.validRound === -1 &&
      !this.validity.has(proposal.blockHash) &&
      this.blocks.has(proposal.blockHash)
    );
  }

  /** The propose timeout already fired and nothing is awaited any more: prevote nil now. */
  private prevoteNilIfTimedOut(actions: EngineAction<B>[]): void {
    if (this.step !== 'propose' || !this.proposeTimedOut || this.awaitingBlock()) return;
    // A proposal of this round in hand is judged by the rules, not here.
    if (this.proposals.has(this.round)) return;
    this.castVote('prevote', null, actions);
    this.step = 'prevote';
  }

  private startRound(round: number, actions: EngineAction<B>[]): void {
    this.round = round;
    this.step = 'propose';
    this.started = true;
    this.proposeTimedOut = false;
    const signer = this.options.signer;
    if (this.isValidator && signer && this.proposerOf(round) === signer.publicKey) {
      const reproposal = this.validHash === undefined ? undefined : this.blocks.get(this.validHash);
      if (this.validHash !== undefined && reproposal !== undefined) {
        this.propose(this.validHash, reproposal, this.validRound, actions);
      } else {
        this.building = round;
        actions.push({ type: 'build', height: this.height, round });
      }
    }
    // The proposer waits too: if building fails, the round still moves on.
    this.schedule('propose', actions);
  }

  private propose(
    blockHash: string,
    block: B,
    validRound: number,
    actions: EngineAction<B>[],
  ): void {
    const signer = this.options.signer;
    if (!signer) return;
    const proposal = signer.signProposal({
      chainId: this.options.chainId,
      height: this.height,
      round: this.round,
      blockHash,
      validRound,
      proposer: signer.publicKey,
    });
    // The guard hands back an earlier proposal for this slot (signed before a restart): its
    // content is gone, so this round goes without a proposal rather than with two.
    if (proposal.blockHash !== blockHash) return;
    this.proposals.set(this.round, proposal);
    this.blocks.set(blockHash, block);
    // This node built it from its own state, or a quorum already prevoted it.
    this.validity.set(blockHash, true);
    actions.push({ type: 'broadcastProposal', proposal, block, polka: this.polkaVotes(proposal) });
  }

  /** The prevotes of the proposal's valid round for its block: why a re-proposal may be accepted. */
  private polkaVotes(proposal: SignedProposal): SignedVote[] {
    if (proposal.validRound < 0) return [];
    return this.votes.get(proposal.validRound)?.prevote.votesFor(proposal.blockHash) ?? [];
  }

  private castVote(type: VoteType, blockHash: string | null, actions: EngineAction<B>[]): void {
    const signer = this.options.signer;
    if (!signer || !this.isValidator) return;
    const vote = signer.signVote({
      type,
      chainId: this.options.chainId,
      height: this.height,
      round: this.round,
      blockHash,
      validator: signer.publicKey,
    });
    this.votesOf(this.round)[type].add(vote);
    actions.push({ type: 'broadcastVote', vote });
  }

  private count(round: number, type: VoteType, blockHash: string | null): number {
    return this.votes.get(round)?.[type].count(blockHash) ?? 0;
  }

  private total(round: number, type: VoteType): number {
    return this.votes.get(round)?.[type].total ?? 0;
  }

  /** The validity of a known block; asks the host once when it is not known yet. */
  private validityOf(blockHash: string, actions: EngineAction<B>[]): boolean | undefined {
    const known = this.validity.get(blockHash);
    if (known !== undefined) return known;
    const block = this.blocks.get(blockHash);
    if (block !== undefined && !this.validating.has(blockHash)) {
      this.validating.add(blockHash);
      actions.push({ type: 'validate', height: this.height, blockHash, block });
    }
    return undefined;
  }

  private once(rule: string, round: number): boolean {
    const key = `${rule}:${round}`;
    if (this.fired.has(key)) return false;
    this.fired.add(key);
    return true;
  }

  /** Applies the paper's "upon" rules until none fires. */
  private advance(actions: EngineAction<B>[]): void {
    for (let guard = 0; guard < 1000; guard++) {
      if (this.decided || this.height < 0) return;
      if (!this.step_(actions)) return;
    }
  }

  /** One pass over the rules; true when the state changed and the rules must run again. */
  private step_(actions: EngineAction<B>[]): boolean {
    if (this.tryDecide(actions)) return true;
    if (!this.started) return false;
    if (this.trySkipRound(actions)) return true;
    const round = this.round;
    const proposal = this.proposals.get(round);

    if (this.step === 'propose' && proposal) {
      const { blockHash, validRound } = proposal;
      if (validRound === -1) {
        const valid = this.validityOf(blockHash, actions);
        if (valid !== undefined) {
          const vote =
            valid && (this.lockedRound === -1 || this.lockedHash === blockHash) ? blockHash : null;
          this.castVote('prevote', vote, actions);
          this.step = 'prevote';
          return true;
        }
      } else if (
        validRound < round &&
        this.count(validRound, 'prevote', blockHash) >= this.quorum
      ) {
        const valid = this.validityOf(blockHash, actions);
        if (valid !== undefined) {
          const vote =
            valid && (this.lockedRound <= validRound || this.lockedHash === blockHash)
              ? blockHash
              : null;
          this.castVote('prevote', vote, actions);
          this.step = 'prevote';
          return true;
        }
      }
    }

    if (
      this.step === 'prevote' &&
      this.total(round, 'prevote') >= this.quorum &&
      this.once('prevote-wait', round)
    ) {
      this.schedule('prevote', actions);
    }

    if (STEP_ORDER[this.step] >= STEP_ORDER.prevote) {
      const polka = this.polkaFor(round);
      if (polka !== undefined && this.blocks.has(polka)) {
        const valid = this.validityOf(polka, actions);
        if (valid === true && this.once('polka', round)) {
          if (this.step === 'prevote') {
            this.lockedHash = polka;
            this.lockedRound = round;
            this.castVote('precommit', polka, actions);
            this.step = 'precommit';
          }
          this.validHash = polka;
          this.validRound = round;
          return true;
        }
      }
    }

    if (this.step === 'prevote' && this.count(round, 'prevote', null) >= this.quorum) {
      this.castVote('precommit', null, actions);
      this.step = 'precommit';
      return true;
    }

    if (this.total(round, 'precommit') >= this.quorum && this.once('precommit-wait', round)) {
      this.schedule('precommit', actions);
    }
    return false;
  }

  /** The block a quorum prevoted in `round`, if any. */
  private polkaFor(round: number): string | undefined {
    return this.votes.get(round)?.prevote.blockWith(this.quorum);
  }

  /** Any round: a quorum of precommits for a block whose content we hold and find valid. */
  private tryDecide(actions: EngineAction<B>[]): boolean {
    for (const [round, votes] of this.votes) {
      const blockHash = votes.precommit.blockWith(this.quorum);
      if (blockHash === undefined) continue;
      const block = this.blocks.get(blockHash);
      if (block === undefined) continue;
      if (this.validityOf(blockHash, actions) !== true) continue;
      this.decided = true;
      const precommits = votes.precommit.votesFor(blockHash);
      actions.push({ type: 'commit', height: this.height, round, blockHash, block, precommits });
      return true;
    }
    return false;
  }

  /** f + 1 authorities are in a later round: at least one honest one is, so follow it. */
  private trySkipRound(actions: EngineAction<B>[]): boolean {
    let target = -1;
    for (const [round, votes] of this.votes) {
      if (round <= this.round || round <= target) continue;
      const senders = new Set([...votes.prevote.validators(), ...votes.precommit.validators()]);
      const proposer = this.proposals.get(round)?.proposer;
      if (proposer !== undefined) senders.add(proposer);
      if (senders.size >= this.skipThreshold) target = round;
    }
    if (target < 0) return false;
    this.startRound(target, actions);
    return true;
  }
}

function messageHeight<B>(message: Buffered<B>): number {
  return message.kind === 'vote' ? message.vote.height : message.proposal.height;
}
