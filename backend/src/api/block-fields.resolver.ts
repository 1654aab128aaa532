/** Fields of a block read on demand: its transactions (decoded, with their inclusion proofs). */
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ChainService } from '../chain/chain.service.js';
import { BlockModel, TransactionModel } from './models.js';
import { TransactionsService } from './transactions.service.js';

@Resolver(() => BlockModel)
export class BlockFieldsResolver {
  constructor(
    private readonly chain: ChainService,
    private readonly txs: TransactionsService,
  ) {}

  @ResolveField(() => [TransactionModel], {
    description: 'The transactions of the block, in order.',
  })
  async transactions(@Parent() block: BlockModel): Promise<TransactionModel[]> {
    const stored = await this.chain.txsOfBlock(block.height);
    return Promise.all(stored.map((tx) => this.txs.final(tx)));
  }
}
