/**
 * How many transactions a proposer puts in its block. The others wait for the proposal only as
 * long as the round's propose timeout; a block that takes longer than that to build reaches them
 * after they have given up on the round, and every node's work on it is lost (a loaded 2-core
 * machine took 4 s to build 2,000 transactions, against a 2 s timeout, for three rounds running).
 * So the proposer takes as many as it can execute within a share of that timeout, judged by how
 * long this node took per transaction lately (building its own blocks and checking others'),
 * which includes whatever else the machine is doing. An idle network keeps the full size.
 */
export interface BlockPacingOptions {
  /** The configured cap (`maxBlockTxs`). */
  readonly maxTxs: number;
  /** Never fewer than this (or `maxTxs` if smaller): a block always moves the chain on. */
  readonly minTxs?: number;
  /** The share of the propose timeout a build may take. */
  readonly share?: number;
  /** The estimate before anything was measured. */
  readonly initialMsPerTx?: number;
}

/** Blocks smaller than this say little about the cost per transaction (fixed costs dominate). */
const MIN_SAMPLE_TXS = 50;
/** Weight of the newest measurement: recent enough to follow a burst, smooth enough to ignore one GC pause. */
const ALPHA = 0.3;

export class BlockPacer {
  private readonly maxTxs: number;
  private readonly minTxs: number;
  private readonly share: number;
  private estimate: number;

  constructor(options: BlockPacingOptions) {
    this.maxTxs = options.maxTxs;
    this.minTxs = Math.min(options.minTxs ?? 200, options.maxTxs);
    this.share = options.share ?? 0.5;
    this.estimate = options.initialMsPerTx ?? 0.25;
  }

  /** Milliseconds per transaction, as estimated now. */
  get msPerTx(): number {
    return this.estimate;
  }

  /** How many transactions to take for a round whose propose timeout is `proposeTimeoutMs`. */
  limit(proposeTimeoutMs: number): number {
    const fits = Math.floor((proposeTimeoutMs * this.share) / this.estimate);
    return Math.max(this.minTxs, Math.min(this.maxTxs, fits));
  }

  /** Records that executing `txs` transactions took `elapsedMs` (building or checking a block). */
  observe(txs: number, elapsedMs: number): void {
    if (txs < MIN_SAMPLE_TXS || !(elapsedMs >= 0)) return;
    this.estimate = ALPHA * (elapsedMs / txs) + (1 - ALPHA) * this.estimate;
  }
}
