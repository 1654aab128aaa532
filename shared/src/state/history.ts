/** The per-thing event hash chain (see Thing.history). */
import { bytesToHex, concatBytes, hexToBytes, sha256 } from '../encoding/index.js';
import type { EventChain } from './types.js';

export const EMPTY_EVENT_CHAIN: EventChain = { count: 0, head: '0'.repeat(64) };

export function extendEventChain(chain: EventChain, txHash: string): EventChain {
  return {
    count: chain.count + 1,
    head: bytesToHex(sha256(concatBytes(hexToBytes(chain.head, 32), hexToBytes(txHash, 32)))),
  };
}

/** The chain over `txHashes` in order, from the empty chain. */
export function eventChainOf(txHashes: readonly string[]): EventChain {
  return txHashes.reduce(extendEventChain, EMPTY_EVENT_CHAIN);
}
