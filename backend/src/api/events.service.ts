/**
 * Live events for the GraphQL subscriptions. Listens once to the chain (finalized blocks) and the
 * mempool (block-building refusals) and publishes to a `PubSub` by topic: every block, each
 * transaction by hash, each thing by EPC. A model is built only when its topic has a subscriber,
 * so a block costs nothing per transaction nobody is watching, and a subscriber never filters
 * other subscribers' events.
 */
import { EventEmitter } from 'node:events';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { txRootItems } from '@waybill/shared/block';
import { inclusionProof } from '@waybill/shared/merkle';
import { EVENT_TYPES } from '@waybill/shared/state';
import { PubSub } from 'graphql-subscriptions';
import { ChainService, type FinalizedBlock } from '../chain/chain.service.js';
import { MempoolService, type RejectionReason } from '../mempool/mempool.service.js';
import { TxStatus, type BlockModel, type TransactionModel } from './models.js';

export const BLOCKS_TOPIC = 'blocks';
export const txTopic = (hash: string): string => `tx:${hash}`;
export const epcTopic = (epc: string): string => `epc:${epc}`;

@Injectable()
export class EventsService implements OnModuleInit, OnModuleDestroy {
  /** Kept to ask whether a topic has subscribers before building its payload. */
  private readonly emitter = new EventEmitter();
  private readonly pubsub = new PubSub<Record<string, unknown>>({ eventEmitter: this.emitter });
  private stops: (() => void)[] = [];

  constructor(
    private readonly chain: ChainService,
    private readonly mempool: MempoolService,
  ) {
    // Many clients may watch the same topic (every block, a popular item): no leak warning.
    this.emitter.setMaxListeners(0);
  }

  onModuleInit(): void {
    this.stops = [
      this.chain.onFinalized((block) => {
        this.finalized(block);
      }),
      this.mempool.onRejected((hash, reason) => {
        this.rejected(hash, reason);
      }),
    ];
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /**
   * Subscribes to `topic` now: everything published after this resolves is queued for the
   * returned iterator, which ends after `limit` values or when `return()` is called (the client
   * left), and unsubscribes then.
   */
  async listen<T>(topic: string, limit = Infinity): Promise<TopicIterator<T>> {
    const iterator = new TopicIterator<T>(limit, (id) => {
      this.pubsub.unsubscribe(id);
    });
    iterator.subscribed(
      await this.pubsub.subscribe(topic, (value: T) => {
        iterator.push(value);
      }),
    );
    return iterator;
  }

  private watched(topic: string): boolean {
    return this.emitter.listenerCount(topic) > 0;
  }

  private publish(topic: string, payload: unknown): void {
    void this.pubsub.publish(topic, payload);
  }

  private finalized(finalized: FinalizedBlock): void {
    const { block, hash, txHashes, applied, refusals } = finalized;
    const rootItems = txRootItems(txHashes, refusals);
    if (this.watched(BLOCKS_TOPIC)) {
      const model: BlockModel = {
        ...block.header,
        hash,
        header: block.header,
        commit: block.commit,
        txCount: block.txs.length,
        txHashes,
      };
      this.publish(BLOCKS_TOPIC, model);
    }
    // `applied` is index-aligned with the block's transactions (as the chain's event index reads it).
    for (const [position, entry] of applied.entries()) {
      const tx = block.txs[position];
      if (!tx) continue;
      let model: TransactionModel | undefined;
      // Same shape as TransactionsService.final, from the block in hand instead of the database.
      const build = (): TransactionModel =>
        (model ??= {
          hash: entry.hash,
          status: TxStatus.FINAL,
          type: tx.type,
          signer: tx.signer,
          tx,
          height: block.header.height,
          position,
          blockHash: hash,
          proof: inclusionProof(rootItems, position),
        });
      if (this.watched(txTopic(entry.hash))) this.publish(txTopic(entry.hash), build());
      if (!EVENT_TYPES.has(tx.type)) continue;
      for (const epc of new Set(entry.subjects))
        if (this.watched(epcTopic(epc))) this.publish(epcTopic(epc), build());
    }
  }

  private rejected(hash: string, reason: RejectionReason): void {
    if (!this.watched(txTopic(hash))) return;
    const model: TransactionModel = {
      hash,
      status: TxStatus.REJECTED,
      code: reason.code,
      message: reason.message,
      ...(reason.path !== undefined && { path: reason.path }),
      ...(reason.height !== undefined && { height: reason.height }),
    };
    this.publish(txTopic(hash), model);
  }
}

/**
 * The events of one subscription, in order. Unlike `PubSub.asyncIterableIterator`, it is
 * subscribed before it is returned (so a caller can check the current state afterwards without a
 * gap), and `return()` ends a pending `next()` at once.
 */
export class TopicIterator<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private id: number | undefined;
  private delivered = 0;
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly unsubscribe: (id: number) => void,
  ) {}

  /** @internal */
  subscribed(id: number): void {
    this.id = id;
    if (this.closed) this.unsubscribe(id);
  }

  /** @internal */
  push(value: T): void {
    if (this.closed || this.delivered + this.queue.length >= this.limit) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      this.delivered++;
      waiter({ value, done: false });
      if (this.delivered >= this.limit) this.close();
    } else this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) {
      const value = this.queue.shift() as T;
      this.delivered++;
      if (this.delivered >= this.limit) this.close();
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.id !== undefined) this.unsubscribe(this.id);
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
  }
}
