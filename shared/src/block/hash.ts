/** The block hash: what the chain links by and what precommits sign. */
import { taggedHash, TAGS } from '../encoding/index.js';
import type { BlockHeader } from './types.js';

/** The `prevHash` of genesis: no parent. */
export const ZERO_HASH = '0'.repeat(64);

/**
 * `hash("waybill/block/v1", header)`. Only the nine header fields are hashed, so passing an object
 * that carries more (a whole block, a header with a stray field) cannot silently change the hash.
 */
export function blockHash(header: BlockHeader): string {
  const {
    chainId,
    height,
    round,
    timestamp,
    prevHash,
    txRoot,
    stateRoot,
    validatorsHash,
    proposer,
  } = header;
  return taggedHash(TAGS.block, {
    chainId,
    height,
    round,
    timestamp,
    prevHash,
    txRoot,
    stateRoot,
    validatorsHash,
    proposer,
  });
}
