/**
 * The plain data the Tendermint state machine takes in and gives out. No sockets, timers, clocks or
 * databases: the host (the consensus service, or the simulation in tests) turns actions into
 * effects and feeds their results back as inputs.
 */
import type { Proposal, SignedProposal, SignedVote, Vote } from '@waybill/shared/block';

export type Step = 'propose' | 'prevote' | 'precommit';

/** A timeout the host must fire back through `onTimeout` after `delayMs`. */
export interface Timeout {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
}

/** Base durations in ms; each round waits `delta` longer than the one before, so rounds converge. */
export interface Timeouts {
  readonly propose: number;
  readonly prevote: number;
  readonly precommit: number;
  readonly delta: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  propose: 1500,
  prevote: 500,
  precommit: 500,
  delta: 500,
};

/** What signs for this node. Absent for observers: they follow and decide but never vote. */
export interface EngineSigner {
  readonly publicKey: string;
  signVote(vote: Vote): SignedVote;
  signProposal(proposal: Proposal): SignedProposal;
}

export type EngineAction<B> =
  /** This node proposes: build a block for the height and hand it to `onBlockBuilt`. */
  | { readonly type: 'build'; readonly height: number; readonly round: number }
  /** Execute a proposed block against the parent state and report with `onValidated`. */
  | {
      readonly type: 'validate';
      readonly height: number;
      readonly blockHash: string;
      readonly block: B;
    }
  /**
   * `polka`: for a re-proposal (validRound >= 0), the quorum of prevotes that justifies it, sent
   * along so that nodes which lost those votes can still accept the block.
   */
  | {
      readonly type: 'broadcastProposal';
      readonly proposal: SignedProposal;
      readonly block: B;
      readonly polka: readonly SignedVote[];
    }
  | { readonly type: 'broadcastVote'; readonly vote: SignedVote }
  | { readonly type: 'schedule'; readonly timeout: Timeout; readonly delayMs: number }
  /**
   * The block is decided: a quorum precommitted it. The host stores it with a certificate made
   * from `precommits`, then calls `startHeight` for the next height.
   */
  | {
      readonly type: 'commit';
      readonly height: number;
      readonly round: number;
      readonly blockHash: string;
      readonly block: B;
      readonly precommits: readonly SignedVote[];
    }
  /** Two different votes of one authority for one height, round and step. */
  | { readonly type: 'evidence'; readonly first: SignedVote; readonly second: SignedVote }
  /** Messages for a later height arrived: this node may be behind and should sync. */
  | { readonly type: 'behind'; readonly height: number };

export interface EngineStatus {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly started: boolean;
  readonly decided: boolean;
  readonly lockedRound: number;
  readonly validRound: number;
}
