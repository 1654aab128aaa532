/**
 * How a well-formed header must link to the chain: parent, time, transactions and validator set.
 * Pure, so the node, the explorer and the bundle verifier reach the same verdict; every problem is
 * listed, not just the first, so a refused block explains itself in one go.
 */
import { TAGS, taggedHash } from '../encoding/index.js';
import { merkleRoot } from '../merkle/index.js';
import { WaybillError } from '../errors.js';
import { isHashHex } from './fields.js';
import { blockHash, ZERO_HASH } from './hash.js';
import { headerShapeProblem } from './header.js';
import { proposerFor, sortValidators, validatorsHash } from './validators.js';
import type { BlockHeader } from './types.js';

export interface CheckBlockLinksOptions {
  readonly header: BlockHeader;
  /** The parent's header, undefined for genesis. */
  readonly parent: BlockHeader | undefined;
  /** Hashes of the block's transactions, in block order. */
  readonly txHashes: readonly string[];
  /** The refusals the block records, in block order. */
  readonly refusals?: readonly RefusalItem[];
  /** The validator set for this height; its hash must be the header's validatorsHash. */
  readonly validators: readonly string[];
  /** The checking node's clock; without it the clock-skew rule is skipped (replaying history). */
  readonly now?: Date;
  readonly maxClockSkewMs: number;
}

export type BlockProblemField =
  | 'header'
  | 'chainId'
  | 'height'
  | 'prevHash'
  | 'timestamp'
  | 'txRoot'
  | 'validatorsHash'
  | 'proposer';

export interface BlockProblem {
  readonly field: BlockProblemField;
  /** JSON path in the block, such as `$.header.prevHash`. */
  readonly path: string;
  readonly message: string;
}

export type BlockLinkCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'INVALID_BLOCK';
      /** All problems' messages joined, for logs. */
      readonly reason: string;
      readonly problems: readonly BlockProblem[];
    };

function problemAt(field: Exclude<BlockProblemField, 'header'>, message: string): BlockProblem {
  return { field, path: `$.header.${field}`, message };
}

function parentProblems(header: BlockHeader, parent: BlockHeader | undefined): BlockProblem[] {
  const out: BlockProblem[] = [];
  if (parent === undefined) {
    if (header.height !== 0) {
      out.push(
        problemAt(
          'height',
          `a block without a parent must be genesis (height 0), got height ${header.height}`,
        ),
      );
    }
    if (header.prevHash !== ZERO_HASH) {
      out.push(problemAt('prevHash', 'genesis must have a prevHash of 64 zeros'));
    }
    return out;
  }
  if (header.chainId !== parent.chainId) {
    out.push(
      problemAt(
        'chainId',
        `chain "${header.chainId}" differs from the parent's "${parent.chainId}"`,
      ),
    );
  }
  if (header.height !== parent.height + 1) {
    out.push(
      problemAt('height', `height must be ${parent.height + 1} (parent + 1), got ${header.height}`),
    );
  }
  const parentHash = blockHash(parent);
  if (header.prevHash !== parentHash) {
    out.push(
      problemAt(
        'prevHash',
        `prevHash must be the parent's hash ${parentHash}, got ${header.prevHash}`,
      ),
    );
  }
  if (Date.parse(header.timestamp) <= Date.parse(parent.timestamp)) {
    out.push(
      problemAt(
        'timestamp',
        `timestamp ${header.timestamp} must be after the parent's ${parent.timestamp}`,
      ),
    );
  }
  return out;
}

/** A recorded refusal as the txRoot sees it: the refused transaction's hash and its code. */
export interface RefusalItem {
  readonly hash: string;
  readonly code: string;
}

/** `hash("waybill/refusal/v1", { tx, code })`: a refusal's item in the txRoot. */
export function refusalHash(refusal: RefusalItem): string {
  return taggedHash(TAGS.refusal, { tx: refusal.hash, code: refusal.code });
}

/**
 * The txRoot: the Merkle root over the applied transactions' hashes, then each refusal's
 * `refusalHash`. A block without refusals has the root of its transactions alone, and an
 * inclusion proof of a transaction hash can only prove that it applied (a refusal's item is
 * another hash).
 */
export function txRootOf(
  txHashes: readonly string[],
  refusals: readonly RefusalItem[] = [],
): string {
  return merkleRoot(txRootItems(txHashes, refusals));
}

/** The leaves' items of the txRoot, in order (for inclusion proofs). */
export function txRootItems(
  txHashes: readonly string[],
  refusals: readonly RefusalItem[] = [],
): string[] {
  return refusals.length === 0 ? [...txHashes] : [...txHashes, ...refusals.map(refusalHash)];
}

function txProblems(
  header: BlockHeader,
  txHashes: readonly string[],
  refusals: readonly RefusalItem[],
): BlockProblem[] {
  const bad = [...txHashes, ...refusals.map((r) => r.hash)].findIndex((hash) => !isHashHex(hash));
  if (bad !== -1) {
    return [
      {
        field: 'txRoot',
        path: `$.txs[${bad}]`,
        message: `transaction hash ${bad} is not 64 lowercase hex characters`,
      },
    ];
  }
  const root = txRootOf(txHashes, refusals);
  return header.txRoot === root
    ? []
    : [
        problemAt(
          'txRoot',
          `txRoot must be ${root}, the Merkle root of the ${txHashes.length} transactions and ${refusals.length} refusals, got ${header.txRoot}`,
        ),
      ];
}

function validatorProblems(header: BlockHeader, validators: readonly string[]): BlockProblem[] {
  if (sortValidators(validators).length === 0) {
    return [problemAt('validatorsHash', 'the validator set for this height is empty')];
  }
  const out: BlockProblem[] = [];
  const expectedHash = validatorsHash(validators);
  if (header.validatorsHash !== expectedHash) {
    out.push(
      problemAt(
        'validatorsHash',
        `validatorsHash must be ${expectedHash}, got ${header.validatorsHash}`,
      ),
    );
  }
  const expectedProposer = proposerFor({ validators, height: header.height, round: header.round });
  if (header.proposer !== expectedProposer) {
    out.push(
      problemAt(
        'proposer',
        `proposer of height ${header.height}, round ${header.round} is ${expectedProposer}, got ${header.proposer}`,
      ),
    );
  }
  return out;
}

/**
 * Checks everything about a header that depends on its context. Returns a coded result; throws
 * only when `maxClockSkewMs` itself is not a non-negative number (a caller's bug, not a bad block).
 */
export function checkBlockLinks(options: CheckBlockLinksOptions): BlockLinkCheck {
  const { header, parent, txHashes, validators, now, maxClockSkewMs } = options;
  const refusals = options.refusals ?? [];
  if (!(maxClockSkewMs >= 0)) {
    throw new WaybillError(
      'INVALID_BLOCK',
      `maxClockSkewMs must be a non-negative number, got ${maxClockSkewMs}`,
    );
  }
  const shape = headerShapeProblem(header, '$.header');
  const problems: BlockProblem[] = shape
    ? [{ field: 'header', ...shape }]
    : [
        ...parentProblems(header, parent),
        ...txProblems(header, txHashes, refusals),
        ...validatorProblems(header, validators),
      ];
  if (!shape && now !== undefined) {
    const ahead = Date.parse(header.timestamp) - now.getTime();
    if (ahead > maxClockSkewMs) {
      problems.push(
        problemAt(
          'timestamp',
          `timestamp ${header.timestamp} is ${ahead} ms ahead of this node's clock, more than the allowed ${maxClockSkewMs} ms`,
        ),
      );
    }
  }
  if (problems.length === 0) return { ok: true };
  return {
    ok: false,
    code: 'INVALID_BLOCK',
    reason: problems.map((p) => p.message).join('; '),
    problems,
  };
}
