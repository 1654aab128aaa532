/**
 * Fields of a block read on demand: its transactions (decoded, with their inclusion proofs) and
 * the authorities that certified it.
 */
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { CommitCertificate } from '@waybill/shared/block';
import { ChainService } from '../chain/chain.service.js';
import { AuthoritiesService } from './authorities.service.js';
import { BlockModel, BlockSignerModel, TransactionModel } from './models.js';
import { TransactionsService } from './transactions.service.js';

@Resolver(() => BlockModel)
export class BlockFieldsResolver {
  constructor(
    private readonly chain: ChainService,
    private readonly txs: TransactionsService,
    private readonly authorities: AuthoritiesService,
  ) {}

  @ResolveField(() => [TransactionModel], {
    description: 'The transactions of the block, in order.',
  })
  async transactions(@Parent() block: BlockModel): Promise<TransactionModel[]> {
    const stored = await this.chain.txsOfBlock(block.height);
    return Promise.all(stored.map((tx) => this.txs.final(tx)));
  }

  @ResolveField(() => [BlockSignerModel], {
    description:
      'Each authority of the set that certified the block (the validators at its height), in key order, and whether it signed the commit certificate. Empty for genesis.',
  })
  async signers(@Parent() block: BlockModel): Promise<BlockSignerModel[]> {
    return this.authorities.signersOf(block.height, block.commit as CommitCertificate);
  }
}
