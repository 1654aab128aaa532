import type { EngineStatus } from './tendermint/types.js';

/**
 * How blocks become final. Chain, mempool and API depend only on this interface; the BFT engine
 * (bft.engine.ts) is the implementation; an authority set of one is simply n = 1.
 */
export interface ConsensusEngine {
  /** Starts producing or following blocks. */
  start(): void;
  /** Stops at the next safe point; resolves when no block is being made. */
  stop(): Promise<void>;
  /** What /readyz and the chain query report. */
  readonly mode: 'authority' | 'observer';
  /** Where consensus stands: the height being decided, its round and step. */
  readonly status: EngineStatus;
}

export const CONSENSUS_ENGINE = Symbol('CONSENSUS_ENGINE');
