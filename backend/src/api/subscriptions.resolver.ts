/**
 * Subscriptions over graphql-ws: new blocks, a transaction settling, and the events of one thing.
 * Each subscribes to its own topic of EventsService, so its work is only its own events.
 */
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { parseEpc } from '@waybill/shared/gs1';
import { badInput, toGraphQLError } from './errors.js';
import { BLOCKS_TOPIC, EventsService, epcTopic, txTopic } from './events.service.js';
import { BlockModel, TransactionModel, TxStatus } from './models.js';
import { TransactionsService } from './transactions.service.js';

const HASH = /^[0-9a-f]{64}$/;

/** Payloads are the models themselves (not `{ fieldName: model }`). */
const itself = <T>(payload: T): T => payload;

// eslint-disable-next-line @typescript-eslint/require-await -- an async iterator of one value
async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

@Resolver()
export class SubscriptionsResolver {
  constructor(
    private readonly events: EventsService,
    private readonly transactions: TransactionsService,
  ) {}

  @Subscription(() => BlockModel, {
    description: 'Each block as it is finalized, heartbeats included.',
    resolve: itself,
  })
  blockFinalized(): Promise<AsyncIterableIterator<BlockModel>> {
    return this.events.listen<BlockModel>(BLOCKS_TOPIC);
  }

  @Subscription(() => TransactionModel, {
    description:
      'The transaction once it is FINAL or REJECTED, then the subscription completes. If it has already settled, that status comes at once; an unknown hash is waited for, so a client may subscribe before it submits.',
    resolve: itself,
  })
  async transactionStatus(
    @Args('hash') hash: string,
  ): Promise<AsyncIterableIterator<TransactionModel>> {
    if (!HASH.test(hash)) throw badInput('BAD_REQUEST', 'hash must be 64 lowercase hex characters');
    // Listen first, then look: a change between the two is queued, not lost.
    const updates = await this.events.listen<TransactionModel>(txTopic(hash), 1);
    try {
      const current = await this.transactions.describe(hash);
      if (current === undefined || current.status === TxStatus.PENDING) return updates;
      await updates.return();
      return once(current);
    } catch (error) {
      await updates.return();
      throw error;
    }
  }

  @Subscription(() => TransactionModel, {
    description:
      'Each new final event that touches the thing (a canonical EPC), as the thing query lists them.',
    resolve: itself,
  })
  itemEvents(@Args('epc') epc: string): Promise<AsyncIterableIterator<TransactionModel>> {
    try {
      parseEpc(epc, { path: 'epc' });
    } catch (error) {
      throw toGraphQLError(error);
    }
    return this.events.listen<TransactionModel>(epcTopic(epc));
  }
}
