/**
 * The shapes of blocks, votes and commit certificates (protocol.md, "Blocks" and "Consensus").
 * Transactions are opaque here: a block carries them as JSON plus their hashes, and only the
 * transaction module knows what is inside.
 */

export interface BlockHeader {
  readonly chainId: string;
  /** 0 for genesis, the parent's height + 1 otherwise. */
  readonly height: number;
  /** The consensus round the block was proposed in; with the height it names the proposer. */
  readonly round: number;
  /** Record time, ISO 8601 UTC with milliseconds, such as `2026-11-23T12:00:00.000Z`. */
  readonly timestamp: string;
  /** `blockHash` of the parent; 64 zeros for genesis. */
  readonly prevHash: string;
  /**
   * RFC 6962 Merkle root over the block's transaction hashes, in order, followed by the
   * `refusalHash` of each refusal it records (`txRootOf`).
   */
  readonly txRoot: string;
  readonly stateRoot: string;
  /** `validatorsHash` of the set that must certify this block. */
  readonly validatorsHash: string;
  readonly proposer: string;
}

/** Every header field, in one place, so hashing and shape checks can never disagree. */
export const HEADER_FIELDS = [
  'chainId',
  'height',
  'round',
  'timestamp',
  'prevHash',
  'txRoot',
  'stateRoot',
  'validatorsHash',
  'proposer',
] as const satisfies readonly (keyof BlockHeader)[];

export type VoteType = 'prevote' | 'precommit';

/** A Tendermint vote; `blockHash: null` is a vote for nil (no block this round). */
export interface Vote {
  readonly type: VoteType;
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly blockHash: string | null;
  readonly validator: string;
}

export type SignedVote = Vote & { readonly signature: string };

/**
 * A proposer's signed claim that `blockHash` is its block for this height and round. `validRound`
 * is -1 for a fresh block, or the earlier round in which a quorum prevoted this same block (a
 * Tendermint re-proposal).
 */
export interface Proposal {
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly blockHash: string;
  readonly validRound: number;
  readonly proposer: string;
}

export type SignedProposal = Proposal & { readonly signature: string };

/** One precommit of a certificate; the rest of the vote is implied by the certificate. */
export interface CommitSignature {
  readonly validator: string;
  readonly signature: string;
}

/** A quorum of precommits for one block: the proof that the block is final. */
export interface CommitCertificate {
  readonly height: number;
  readonly round: number;
  readonly blockHash: string;
  readonly signatures: CommitSignature[];
}

/**
 * A transaction the proposer's execution refused, recorded with its code: the refusal is final
 * with the block, and the transaction can never be included later (its hash is on chain).
 */
export interface Refusal<Tx = unknown> {
  readonly tx: Tx;
  readonly code: string;
}

/** A block as proposed, before it has gathered its commit certificate. */
export interface ProposedBlock<Tx = unknown> {
  readonly header: BlockHeader;
  /** The transactions the block applies, in order. */
  readonly txs: Tx[];
  /** Absent when the block refuses nothing (then its form is that of blocks before refusals). */
  readonly refused?: Refusal<Tx>[];
}

/** A final block: stored and served with its commit certificate. */
export interface Block<Tx = unknown> extends ProposedBlock<Tx> {
  readonly commit: CommitCertificate;
}
