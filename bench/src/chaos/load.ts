/**
 * The steady load of a chaos run: cold-chain journeys (the benchmark's workload), each step sent
 * once the one before is final, to whichever node is up. A client whose node dies resubmits to
 * another; everything it is told goes into the ledger the invariants are checked against.
 */
import type { DevnetNode } from '@waybill/node/devnet';
import { WaybillClient, WaybillClientError } from '@waybill/shared/client';
import type { SignedTx } from '@waybill/shared/tx';
import { txHash } from '@waybill/shared/tx';
import { opensslSigner } from '../openssl-signer.js';
import { journey, txFactory } from '../workload.js';
import type { ClientLedger } from './ledger.js';

export interface ChaosLoadOptions {
  chainId: string;
  /** The nodes that are running now (the run stops and starts them). */
  running: () => DevnetNode[];
  ledger: ClientLedger;
  /** Journeys in flight at once. */
  concurrency: number;
  /** The workload tag (0–9) that keeps this run's items apart from any other's. */
  tag: number;
  /** Give up on a transaction after this long (counted, not an invariant). */
  giveUpMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that gives up on a request after `ms`: a paused node never answers at all. */
export function timedClient(url: string, ms = 5_000): WaybillClient {
  return new WaybillClient({
    url,
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(ms) }),
  });
}

export class ChaosLoad {
  finals = 0;
  rejected = 0;
  gaveUp = 0;
  /** When each FINAL was learnt (ms since the epoch), for the rate over time. */
  readonly finalTimes: number[] = [];
  /** A few distinct rejection messages, for the summary. */
  readonly reasons = new Set<string>();
  private stopping = false;
  private workers: Promise<void>[] = [];
  private nextJourney = 0;
  private readonly sign;
  private readonly clients = new Map<string, WaybillClient>();

  constructor(private readonly options: ChaosLoadOptions) {
    this.sign = txFactory({
      chainId: options.chainId,
      signer: opensslSigner(),
      seed: `chaos${options.tag}`,
    });
  }

  start(): void {
    for (let i = 0; i < this.options.concurrency; i++) this.workers.push(this.worker());
  }

  /** Lets every step in flight finish (or give up), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  /** A method, not the field: the flag changes while a worker awaits. */
  private stopRequested(): boolean {
    return this.stopping;
  }

  private async worker(): Promise<void> {
    while (!this.stopping) {
      const steps = journey(
        this.sign,
        { tag: this.options.tag, client: 0, journey: this.nextJourney++ },
        // Steps are ten minutes apart in event time and may not lead a block by over five.
        Date.now() - 3 * 3_600_000,
      );
      for (const tx of steps) {
        const outcome = await this.carry(tx);
        if (outcome !== 'FINAL' || this.stopRequested()) break;
      }
    }
  }

  private pickNode(): { name: string; client: WaybillClient } | undefined {
    const nodes = this.options.running();
    const node = nodes[Math.floor(Math.random() * nodes.length)];
    if (!node) return undefined;
    let client = this.clients.get(node.name);
    if (!client) {
      client = timedClient(node.graphqlUrl);
      this.clients.set(node.name, client);
    }
    return { name: node.name, client };
  }

  /** Submits `tx` until some node says FINAL or REJECTED, or the give-up time passes. */
  private async carry(tx: SignedTx): Promise<'FINAL' | 'REJECTED' | 'GAVE_UP'> {
    const hash = txHash(tx);
    const deadline = Date.now() + (this.options.giveUpMs ?? 90_000);
    while (Date.now() < deadline) {
      const node = this.pickNode();
      if (!node) {
        await sleep(250);
        continue;
      }
      try {
        const [result] = await node.client.submitMany([tx]);
        if (result?.status === 'FINAL') return this.told(hash, 'FINAL', node);
        // A full pool is that node's state, not a verdict on the transaction: try again.
        if (result?.status === 'REJECTED' && result.code === 'MEMPOOL_FULL') {
          await sleep(500);
          continue;
        }
        if (result?.status === 'REJECTED' && result.code !== 'DUPLICATE')
          return this.told(
            hash,
            'REJECTED',
            node,
            `${result.code ?? '?'}: ${result.message ?? ''}`,
          );
      } catch (error) {
        if (!(error instanceof WaybillClientError)) throw error;
        await sleep(250);
        continue;
      }
      // Pending somewhere: ask the running nodes until one knows the outcome, then resubmit.
      const pollUntil = Math.min(deadline, Date.now() + 10_000);
      while (Date.now() < pollUntil) {
        await sleep(200);
        const asked = this.pickNode();
        if (!asked) continue;
        try {
          const info = await asked.client.transaction(hash);
          if (info?.status === 'FINAL') return this.told(hash, 'FINAL', asked);
          if (info?.status === 'REJECTED')
            return this.told(hash, 'REJECTED', asked, `${info.code ?? '?'}: ${info.message ?? ''}`);
        } catch (error) {
          if (!(error instanceof WaybillClientError)) throw error;
        }
      }
    }
    this.gaveUp++;
    return 'GAVE_UP';
  }

  private told(
    hash: string,
    status: 'FINAL' | 'REJECTED',
    node: { name: string },
    reason?: string,
  ): 'FINAL' | 'REJECTED' {
    this.options.ledger.tell(hash, status, node.name, reason?.split(':')[0]);
    if (reason !== undefined && this.reasons.size < 20) this.reasons.add(reason);
    if (status === 'FINAL') {
      this.finals++;
      this.finalTimes.push(Date.now());
    } else this.rejected++;
    return status;
  }
}
