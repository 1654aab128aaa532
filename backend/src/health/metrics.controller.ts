/**
 * GET /metrics for Prometheus. Block figures are counted from `onFinalized` since this process
 * started; chain height, mempool figures and memory are read at scrape time.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Controller, Get, Header, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ChainService } from '../chain/chain.service.js';
import { MempoolService } from '../mempool/mempool.service.js';
import { CONTENT_TYPE, DEFAULT_SECONDS_BUCKETS, MetricsRegistry } from './metrics.js';

/** The node's metrics: one registry per node, fed by the chain and read from the mempool. */
@Injectable()
export class NodeMetrics implements OnModuleDestroy {
  readonly registry = new MetricsRegistry();
  private readonly unsubscribe: () => void;
  /** How long ready work (a query, a vote) waited for the JavaScript thread; reset by each scrape. */
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor(chain: ChainService, mempool: MempoolService) {
    const r = this.registry;
    r.gauge('waybill_chain_height', 'Height of the last finalized block.', () =>
      chain.ready ? chain.height : [],
    );
    const blocks = r.counter('waybill_blocks_total', 'Blocks finalized since the node started.');
    const finalTxs = r.counter(
      'waybill_transactions_final_total',
      'Transactions included in blocks finalized since the node started.',
    );
    r.counter(
      'waybill_transactions_admitted_total',
      'Transactions admitted to the mempool since the node started.',
      () => mempool.admittedTotal,
    );
    r.counter(
      'waybill_transactions_rejected_total',
      'Transactions refused since the node started (at admission or block building), by code.',
      () =>
        [...mempool.rejectedTotal]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([code, value]) => ({ labels: { code }, value })),
    );
    r.gauge(
      'waybill_storage_fault',
      '1 while the database refuses to store blocks (full disk, write error), else 0.',
      () => (chain.storageFault ? 1 : 0),
    );
    r.gauge('waybill_mempool_size', 'Transactions pending in the mempool.', () => mempool.size);
    const apply = r.histogram(
      'waybill_block_apply_seconds',
      "Duration of a finalized block's database transaction.",
      DEFAULT_SECONDS_BUCKETS,
    );
    r.gauge(
      'process_resident_memory_bytes',
      'Resident set size in bytes.',
      () => process.memoryUsage().rss,
    );
    r.gauge(
      'nodejs_heap_used_bytes',
      'V8 heap used in bytes.',
      () => process.memoryUsage().heapUsed,
    );
    // Beside RSS, what tells a heap that grew between collections from memory that is held.
    r.gauge(
      'nodejs_heap_total_bytes',
      'V8 heap reserved in bytes.',
      () => process.memoryUsage().heapTotal,
    );
    r.gauge(
      'nodejs_external_memory_bytes',
      'Memory of Buffers and other objects outside the V8 heap, in bytes.',
      () => process.memoryUsage().external,
    );

    this.loopDelay.enable();
    const delay = (read: (h: IntervalHistogram) => number) => () =>
      this.loopDelay.count > 0 ? read(this.loopDelay) / 1e9 : [];
    r.gauge(
      'nodejs_eventloop_delay_p99_seconds',
      "99th percentile of the event loop's delay since the previous scrape of /metrics.",
      delay((h) => h.percentile(99)),
    );
    r.gauge(
      'nodejs_eventloop_delay_max_seconds',
      'Longest delay of the event loop since the previous scrape of /metrics.',
      delay((h) => h.max),
    );

    this.unsubscribe = chain.onFinalized((finalized, commitMs) => {
      blocks.inc();
      finalTxs.inc({}, finalized.block.txs.length);
      apply.observe(commitMs / 1000);
    });
  }

  /** The exposition; the event-loop delay figures start again from here. */
  render(): string {
    const text = this.registry.render();
    this.loopDelay.reset();
    return text;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.loopDelay.disable();
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: NodeMetrics) {}

  @Get('metrics')
  @Header('Content-Type', CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): string {
    return this.metrics.render();
  }
}
