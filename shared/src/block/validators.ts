/**
 * Validator-set arithmetic (protocol.md, "Consensus"): authorities have equal weight, a quorum is
 * `floor(2n/3) + 1`, and the proposer rotates over the set sorted by key.
 */
import { taggedHash, TAGS } from '../encoding/index.js';
import { WaybillError } from '../errors.js';

/**
 * The set as the protocol sees it: duplicates dropped, sorted by key. Keys are lowercase hex, so
 * string order is byte order and every implementation sorts the same way.
 */
export function sortValidators(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

/** `hash("waybill/validators/v1", sorted unique keys)`: the same set hashes the same in any order. */
export function validatorsHash(keys: readonly string[]): string {
  return taggedHash(TAGS.validators, sortValidators(keys));
}

function assertSetSize(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new WaybillError(
      'INVALID_CERTIFICATE',
      `a validator set has at least one authority, got a size of ${n}`,
    );
  }
}

/**
 * Signatures needed to commit: `floor(2n/3) + 1`. Any two quorums then share more than `f`
 * authorities, so at least one honest one, which is what makes two conflicting commits impossible.
 */
export function quorum(n: number): number {
  assertSetSize(n);
  return Math.floor((2 * n) / 3) + 1;
}

/** Faulty or offline authorities tolerated: `floor((n - 1) / 3)`. */
export function maxFaulty(n: number): number {
  assertSetSize(n);
  return Math.floor((n - 1) / 3);
}

export interface ProposerForOptions {
  readonly validators: readonly string[];
  readonly height: number;
  readonly round: number;
}

/** The authority at index `(height + round) mod n` of the sorted set. */
export function proposerFor({ validators, height, round }: ProposerForOptions): string {
  const sorted = sortValidators(validators);
  if (sorted.length === 0) {
    throw new WaybillError('INVALID_BLOCK', 'cannot pick a proposer from an empty validator set');
  }
  if (!Number.isSafeInteger(height) || height < 0 || !Number.isSafeInteger(round) || round < 0) {
    throw new WaybillError(
      'INVALID_BLOCK',
      `height and round must be non-negative safe integers, got ${height} and ${round}`,
    );
  }
  const n = sorted.length;
  // Reduced first: height + round may pass 2^53 and lose the low bits the rotation depends on.
  return sorted[((height % n) + (round % n)) % n] as string;
}
