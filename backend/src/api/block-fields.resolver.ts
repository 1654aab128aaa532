/**
 * Fields read on demand: a block's transactions and the authorities that certified it, and a
 * transaction's inclusion proof (only when asked for: a history of fifty events or a block page
 * of two thousand transactions must not compute proofs nobody reads).
 */
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar.js';
import type { CommitCertificate } from '@waybill/shared/block';
import { ChainService } from '../chain/chain.service.js';
import { AuthoritiesService } from './authorities.service.js';
import { BlockModel, BlockSignerModel, TransactionModel } from './models.js';
import { finalTransaction } from './transactions.service.js';

@Resolver(() => BlockModel)
export class BlockFieldsResolver {
  constructor(
    private readonly chain: ChainService,
    private readonly authorities: AuthoritiesService,
  ) {}

  @ResolveField(() => [TransactionModel], {
    description: 'The transactions of the block, in order.',
  })
  async transactions(@Parent() block: BlockModel): Promise<TransactionModel[]> {
    const stored = await this.chain.txsOfBlock(block.height);
    return stored.map((tx) => finalTransaction(tx, block.hash));
  }

  @ResolveField(() => [String], {
    description:
      "The hashes of the block's transactions, in order: what a client waiting for its own needs, without decoding them.",
  })
  async txHashes(@Parent() block: BlockModel): Promise<string[]> {
    return block.txHashes ?? this.chain.txHashesOfBlock(block.height);
  }

  @ResolveField(() => [BlockSignerModel], {
    description:
      'Each authority of the set that certified the block (the validators at its height), in key order, and whether it signed the commit certificate. Empty for genesis.',
  })
  async signers(@Parent() block: BlockModel): Promise<BlockSignerModel[]> {
    return this.authorities.signersOf(block.height, block.commit as CommitCertificate);
  }
}

@Resolver(() => TransactionModel)
export class TransactionFieldsResolver {
  constructor(private readonly chain: ChainService) {}

  @ResolveField(() => JsonScalar, {
    nullable: true,
    description: 'RFC 6962 inclusion proof against the block txRoot.',
  })
  async proof(@Parent() tx: TransactionModel): Promise<unknown> {
    if (tx.proof !== undefined) return tx.proof;
    if (tx.height === undefined || tx.position === undefined) return null;
    return this.chain.inclusionProofOf({ height: tx.height, position: tx.position });
  }
}
