/** Queries of the chain, blocks, transactions and things, and the submission mutations. */
import { Inject } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Thing } from '@waybill/shared/state';
import { ChainService, type StoredBlock } from '../chain/chain.service.js';
import { LedgerQueriesService } from '../chain/ledger-queries.service.js';
import { CONSENSUS_ENGINE, type ConsensusEngine } from '../consensus/engine.js';
import { badInput, toGraphQLError } from './errors.js';
import { JsonScalar } from './json.scalar.js';
import {
  ActivityBucketModel,
  BlockModel,
  BlockPage,
  ChainModel,
  SubmitResult,
  ThingModel,
  ThroughputModel,
  TransactionModel,
  TxStatus,
} from './models.js';
import { finalTransaction, TransactionsService } from './transactions.service.js';

export const MAX_PAGE_SIZE = 100;
export const MAX_BATCH = 1000;
/** The longest `activity` window: a day of minutes. */
export const MAX_ACTIVITY_MINUTES = 1440;
const MINUTE_MS = 60_000;
const WAIT_LIMIT_MS = 30_000;
const HASH = /^[0-9a-f]{64}$/;

function blockModel(row: StoredBlock): BlockModel {
  const { header } = row;
  return { ...header, hash: row.hash, header, commit: row.commit, txCount: row.txCount };
}

@Resolver()
export class ChainResolver {
  constructor(
    private readonly chain: ChainService,
    private readonly transactions: TransactionsService,
    private readonly queries: LedgerQueriesService,
    @Inject(CONSENSUS_ENGINE) private readonly engine: ConsensusEngine,
  ) {}

  @Query(() => ChainModel, {
    name: 'chain',
    description: 'The chain: id, genesis, height and current authorities.',
  })
  async chainInfo(): Promise<ChainModel> {
    const head = this.chain.headHeader;
    const block = await this.chain.blockAt(head.height);
    return {
      chainId: head.chainId,
      genesisHash: this.chain.genesisHash,
      height: head.height,
      headHash: block?.hash ?? '',
      mode: this.engine.mode,
      authorities: await this.chain.validators(),
      throughput: await this.throughput(60),
    };
  }

  private async throughput(windowSeconds: number): Promise<ThroughputModel> {
    const since = new Date(Date.now() - windowSeconds * 1000).toISOString();
    const { blocks, transactions } = await this.chain.finalizedSince(since);
    return {
      windowSeconds,
      blocks,
      transactions,
      transactionsPerSecond: transactions / windowSeconds,
    };
  }

  @Query(() => [ActivityBucketModel], {
    description: `Finalized blocks and transactions per minute (by block timestamp), oldest first: one bucket for each of the last \`minutes\` minutes (1 to ${MAX_ACTIVITY_MINUTES}), the last one the current minute so far.`,
  })
  async activity(
    @Args('minutes', { type: () => Int, defaultValue: 60 }) minutes = 60,
  ): Promise<ActivityBucketModel[]> {
    if (minutes < 1 || minutes > MAX_ACTIVITY_MINUTES)
      throw badInput(
        'BAD_REQUEST',
        `minutes must be from 1 to ${MAX_ACTIVITY_MINUTES}, got ${minutes}`,
      );
    const first = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
    const counted = new Map(
      (await this.chain.finalizedPerMinute(new Date(first).toISOString())).map((row) => [
        row.minute,
        row,
      ]),
    );
    return Array.from({ length: minutes }, (_, i) => {
      const start = new Date(first + i * MINUTE_MS).toISOString();
      const row = counted.get(start.slice(0, 16));
      return { start, blocks: row?.blocks ?? 0, transactions: row?.transactions ?? 0 };
    });
  }

  @Query(() => BlockModel, { nullable: true, description: 'A block by height or by hash.' })
  async block(
    @Args('height', { type: () => Int, nullable: true }) height?: number,
    @Args('hash', { nullable: true }) hash?: string,
  ): Promise<BlockModel | undefined> {
    if ((height === undefined) === (hash === undefined))
      throw badInput('BAD_REQUEST', 'give exactly one of height or hash');
    const row =
      height !== undefined
        ? await this.chain.blockAt(height)
        : await this.chain.blockByHash(hash ?? '');
    if (!row) return undefined;
    return blockModel(row);
  }

  @Query(() => BlockPage, {
    description: 'Blocks newest first; pass nextCursor as `before` for older ones.',
  })
  async blocks(
    @Args('before', { type: () => Int, nullable: true }) before?: number,
    @Args('limit', { type: () => Int, defaultValue: 20 }) limit = 20,
  ): Promise<BlockPage> {
    if (limit < 1 || limit > MAX_PAGE_SIZE)
      throw badInput('BAD_REQUEST', `limit must be from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
    const rows = await this.chain.blocksBefore(before ?? this.chain.height + 1, limit);
    const last = rows[rows.length - 1];
    return {
      blocks: rows.map(blockModel),
      ...(last &&
        last.header.height > 0 &&
        rows.length === limit && { nextCursor: last.header.height }),
    };
  }

  @Query(() => TransactionModel, {
    nullable: true,
    description: 'A transaction by hash: pending, final or rejected.',
  })
  async transaction(@Args('hash') hash: string): Promise<TransactionModel | undefined> {
    if (!HASH.test(hash)) throw badInput('BAD_REQUEST', 'hash must be 64 lowercase hex characters');
    return this.transactions.describe(hash);
  }

  @Query(() => ThingModel, {
    nullable: true,
    description: 'An item, lot or logistic unit by its EPC.',
  })
  async thing(@Args('epc') epc: string): Promise<ThingModel | undefined> {
    return this.thingOfKind(epc);
  }

  @Query(() => ThingModel, {
    nullable: true,
    description: 'A serialized item by its EPC (…/01/{gtin}/21/{serial}).',
  })
  async item(@Args('epc') epc: string): Promise<ThingModel | undefined> {
    return this.thingOfKind(epc, 'item');
  }

  @Query(() => ThingModel, {
    nullable: true,
    description: 'A lot by its EPC (…/01/{gtin}/10/{lot}).',
  })
  async lot(@Args('epc') epc: string): Promise<ThingModel | undefined> {
    return this.thingOfKind(epc, 'lot');
  }

  @Query(() => ThingModel, {
    nullable: true,
    description: 'A pallet or container by its EPC (…/00/{sscc}).',
  })
  async logisticUnit(@Args('epc') epc: string): Promise<ThingModel | undefined> {
    return this.thingOfKind(epc, 'unit');
  }

  private async thingOfKind(epc: string, kind?: Thing['kind']): Promise<ThingModel | undefined> {
    const thing = await this.chain.state.get('thing', epc);
    if (!thing || (kind !== undefined && thing.kind !== kind)) return undefined;
    const [history, status] = await Promise.all([
      this.chain.historyOf(epc),
      this.queries.statusOf(thing),
    ]);
    return {
      ...thing,
      status,
      events: history.map((event) => finalTransaction(event, event.blockHash)),
    };
  }

  @Mutation(() => SubmitResult, {
    description: 'Submits one signed transaction; optionally waits until it is final or rejected.',
  })
  async submitTransaction(
    @Args('tx', { type: () => JsonScalar }) tx: unknown,
    @Args('waitFinal', { defaultValue: false }) waitFinal: boolean,
  ): Promise<SubmitResult> {
    let admitted;
    try {
      [admitted] = await this.transactions.admit([tx]);
    } catch (error) {
      throw toGraphQLError(error);
    }
    if (admitted === undefined) throw badInput('BAD_ENCODING', 'no transaction');
    if (admitted.status === 'REJECTED') {
      throw new GraphQLError(admitted.message, {
        extensions: {
          code: admitted.code,
          ...(admitted.path !== undefined && { path: admitted.path }),
        },
      });
    }
    return this.result(0, admitted.hash, waitFinal);
  }

  @Mutation(() => [SubmitResult], {
    description: `Submits up to ${MAX_BATCH} signed transactions; each answered on its own.`,
  })
  async submitTransactions(
    @Args('txs', { type: () => [JsonScalar] }) txs: unknown[],
    @Args('waitFinal', { defaultValue: false }) waitFinal: boolean,
  ): Promise<SubmitResult[]> {
    if (txs.length > MAX_BATCH)
      throw badInput('TOO_LARGE', `at most ${MAX_BATCH} transactions per batch, got ${txs.length}`);
    const admitted = await this.transactions.admit(txs);
    return Promise.all(
      admitted.map((r) =>
        r.status === 'PENDING'
          ? this.result(r.index, r.hash, waitFinal)
          : Promise.resolve<SubmitResult>({
              index: r.index,
              status: TxStatus.REJECTED,
              code: r.code,
              message: r.message,
              ...(r.hash !== undefined && { hash: r.hash }),
              ...(r.path !== undefined && { path: r.path }),
            }),
      ),
    );
  }

  private async result(index: number, hash: string, waitFinal: boolean): Promise<SubmitResult> {
    if (!waitFinal) return { index, hash, status: TxStatus.PENDING };
    const settled = await this.transactions.waitSettled(hash, WAIT_LIMIT_MS);
    return {
      index,
      hash,
      status: settled?.status ?? TxStatus.PENDING,
      ...(settled?.code !== undefined && { code: settled.code }),
      ...(settled?.message !== undefined && { message: settled.message }),
      ...(settled?.path !== undefined && { path: settled.path }),
      ...(settled?.height !== undefined && { height: settled.height }),
    };
  }
}
