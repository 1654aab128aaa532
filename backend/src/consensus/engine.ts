/**
 * How blocks become final. Chain, mempool and API depend only on this interface; the single
 * authority engine below is replaced by the BFT engine (issue 4) without touching them.
 */
export interface ConsensusEngine {
  /** Starts producing or following blocks. */
  start(): void;
  /** Stops at the next safe point; resolves when no block is being made. */
  stop(): Promise<void>;
  /** What /readyz and the chain query report. */
  readonly mode: 'authority' | 'observer';
}

export const CONSENSUS_ENGINE = Symbol('CONSENSUS_ENGINE');
