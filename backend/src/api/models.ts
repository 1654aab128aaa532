/** GraphQL types of the API (code-first); `schema.gql` is generated from these. */
import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar.js';

export enum TxStatus {
  PENDING = 'PENDING',
  FINAL = 'FINAL',
  REJECTED = 'REJECTED',
}
registerEnumType(TxStatus, {
  name: 'TxStatus',
  description: 'Where a submitted transaction stands.',
});

@ObjectType({ description: 'An authority: a validator key of the consortium.' })
export class AuthorityModel {
  @Field() publicKey!: string;
  @Field({ nullable: true }) name?: string;
  // Resolved on demand by EvidenceResolver (evidenceCount) and AuthoritiesResolver
  // (lastSignedHeight, lastSignedAt).
}

@ObjectType({
  description:
    'An open `authority.vote` proposal: adding or removing an authority, waiting for a majority of the current authorities.',
})
export class AuthorityProposalModel {
  @Field({ description: '`add` or `remove`.' }) action!: string;
  @Field({ description: 'The public key to add or remove.' }) authority!: string;
  @Field({ nullable: true, description: 'The name proposed with an addition.' }) name?: string;
  @Field(() => [String], { description: 'Public keys of the authorities that voted for it.' })
  voters!: string[];
  @Field(() => Int, { description: 'How many have voted: the length of `voters`.' })
  votes!: number;
  @Field(() => Int, {
    description:
      'Votes it needs to pass: a majority (floor(n/2) + 1) of the current n authorities.',
  })
  needed!: number;
}

@ObjectType({ description: 'An addition to or removal from the authority set, as applied.' })
export class AuthorityChangeModel {
  @Field(() => Int, {
    description:
      'First height the changed set certifies: one above the block that took the deciding vote; 0 for the genesis authorities.',
  })
  height!: number;
  @Field({ description: '`add` or `remove`.' }) action!: string;
  @Field({ description: 'Public key of the authority added or removed.' }) authority!: string;
  @Field({ nullable: true }) name?: string;
  @Field({
    nullable: true,
    description: 'Hash of the deciding `authority.vote`; null for the genesis authorities.',
  })
  txHash?: string;
}

@ObjectType()
export class AuthorityChangePage {
  @Field(() => [AuthorityChangeModel]) changes!: AuthorityChangeModel[];
  @Field({ nullable: true, description: 'Pass as `after` for the next (older) page.' })
  nextCursor?: string;
}

@ObjectType({ description: 'An authority of the set that certified a block.' })
export class BlockSignerModel {
  @Field() publicKey!: string;
  @Field({ nullable: true }) name?: string;
  @Field({ description: "Whether its precommit is in the block's commit certificate." })
  signed!: boolean;
}

@ObjectType({ description: 'Finalized blocks and their transactions in one minute.' })
export class ActivityBucketModel {
  @Field({ description: 'Start of the minute, ISO 8601 UTC (`2026-11-23T12:00:00.000Z`).' })
  start!: string;
  @Field(() => Int, { description: 'Blocks whose timestamp falls in the minute.' })
  blocks!: number;
  @Field(() => Int, { description: 'Transactions in those blocks.' })
  transactions!: number;
}

@ObjectType({
  description:
    'Proof on chain that an authority signed two different votes for the same height, round and type (an `authority.evidence` transaction). It has no automatic effect: the authorities decide by `authority.vote`.',
})
export class EvidenceModel {
  @Field({ description: 'The equivocating authority.' }) validator!: string;
  @Field(() => Int, { description: 'Height the two votes were cast at.' }) height!: number;
  @Field(() => Int) round!: number;
  @Field({ description: '`prevote` or `precommit`.' }) type!: string;
  @Field(() => String, { nullable: true, description: 'Block of the first vote; null for nil.' })
  firstBlockHash!: string | null;
  @Field(() => String, { nullable: true, description: 'Block of the second vote; null for nil.' })
  secondBlockHash!: string | null;
  @Field(() => JsonScalar, { description: 'The first signed vote, as recorded.' }) first!: unknown;
  @Field(() => JsonScalar, { description: 'The second signed vote, as recorded.' })
  second!: unknown;
  @Field({ description: 'The authority that signed the authority.evidence transaction.' })
  reporter!: string;
  @Field(() => Int, { description: 'Height of the block that recorded it.' }) recordedAt!: number;
  @Field({ description: 'Hash of the authority.evidence transaction.' }) txHash!: string;
}

@ObjectType()
export class EvidencePage {
  @Field(() => [EvidenceModel]) evidence!: EvidenceModel[];
  @Field({ nullable: true, description: 'Pass as `after` for the next (older) page.' })
  nextCursor?: string;
}

@ObjectType({ description: 'Finalized work over a recent window.' })
export class ThroughputModel {
  @Field(() => Int) windowSeconds!: number;
  @Field(() => Int) blocks!: number;
  @Field(() => Int) transactions!: number;
  @Field(() => Float, { description: 'Final transactions per second over the window.' })
  transactionsPerSecond!: number;
}

@ObjectType({ description: 'The chain this node keeps.' })
export class ChainModel {
  @Field() chainId!: string;
  @Field() genesisHash!: string;
  @Field(() => Int) height!: number;
  @Field() headHash!: string;
  @Field() mode!: string;
  @Field(() => [AuthorityModel]) authorities!: AuthorityModel[];
  @Field(() => ThroughputModel, { description: 'Over the last minute.' })
  throughput!: ThroughputModel;
}

@ObjectType({ description: 'A finalized block with its commit certificate.' })
export class BlockModel {
  @Field(() => Int) height!: number;
  @Field() hash!: string;
  @Field() timestamp!: string;
  @Field() proposer!: string;
  @Field(() => Int) round!: number;
  @Field() prevHash!: string;
  @Field() txRoot!: string;
  @Field() stateRoot!: string;
  @Field() validatorsHash!: string;
  @Field(() => JsonScalar, { description: 'The header exactly as hashed.' }) header!: unknown;
  @Field(() => JsonScalar, { description: 'The commit certificate: the authorities that signed.' })
  commit!: unknown;
  @Field(() => Int) txCount!: number;
  /** Set when the block is in hand (subscriptions); otherwise `txHashes` reads them. */
  txHashes?: string[];
}

@ObjectType()
export class BlockPage {
  @Field(() => [BlockModel]) blocks!: BlockModel[];
  @Field(() => Int, { nullable: true, description: 'Pass as `before` for the next (older) page.' })
  nextCursor?: number;
}

@ObjectType({ description: 'A transaction as submitted and as the chain treated it.' })
export class TransactionModel {
  @Field() hash!: string;
  @Field(() => TxStatus) status!: TxStatus;
  @Field({ nullable: true, description: 'Rejection code (REJECTED only).' }) code?: string;
  @Field({ nullable: true }) message?: string;
  @Field({ nullable: true, description: 'JSON path of what was wrong.' }) path?: string;
  @Field({ nullable: true }) type?: string;
  @Field({ nullable: true }) signer?: string;
  @Field(() => JsonScalar, { nullable: true, description: 'The signed transaction.' }) tx?: unknown;
  @Field(() => Int, { nullable: true }) height?: number;
  @Field({ nullable: true }) blockHash?: string;
  @Field(() => Int, { nullable: true }) position?: number;
  /** Set when the proof is in hand (subscriptions); otherwise the `proof` field computes it. */
  proof?: unknown;
}

@ObjectType()
export class TransactionPage {
  @Field(() => [TransactionModel]) transactions!: TransactionModel[];
  @Field({ nullable: true, description: 'Pass as `after` for the next (older) page.' })
  nextCursor?: string;
}

@ObjectType({ description: 'The answer to a submission.' })
export class SubmitResult {
  @Field(() => Int) index!: number;
  @Field({ nullable: true }) hash?: string;
  @Field(() => TxStatus) status!: TxStatus;
  @Field({ nullable: true }) code?: string;
  @Field({ nullable: true }) message?: string;
  @Field({ nullable: true }) path?: string;
  @Field(() => Int, { nullable: true }) height?: number;
}

@ObjectType({ description: 'An item, lot or logistic unit as listed (without its events).' })
export class ThingSummaryModel {
  @Field() epc!: string;
  @Field() kind!: string;
  @Field({ nullable: true }) gtin?: string;
  @Field({ nullable: true }) serial?: string;
  @Field({ nullable: true }) lot?: string;
  @Field({ nullable: true }) sscc?: string;
  @Field({ nullable: true }) quantity?: string;
  @Field({ nullable: true }) unit?: string;
  @Field({ nullable: true }) expiry?: string;
  @Field() owner!: string;
  @Field() custodian!: string;
  @Field({
    description:
      '`active`, `in_transit`, `recalled` (derived from open recalls) or `decommissioned`.',
  })
  status!: string;
  @Field({ nullable: true }) parent?: string;
  @Field(() => [String]) children!: string[];
  @Field({ nullable: true }) pendingTransfer?: string;
  @Field(() => Int, { description: 'Height of the block that created it.' }) createdAt!: number;
}

@ObjectType({ description: 'An item, lot or logistic unit with its current state and history.' })
export class ThingModel extends ThingSummaryModel {
  @Field(() => [TransactionModel], { description: 'Every event that touched it, in chain order.' })
  events!: TransactionModel[];
}
