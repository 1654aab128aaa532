/**
 * Executing a block's transactions in order over one overlay, and the state root rule:
 * `stateRoot = sha256(prev stateRoot || changesRoot)`, where `changesRoot` is the RFC 6962 Merkle
 * root over `hash("waybill/state/v1", change)` of the block's net changes (the last value of each
 * record the block wrote, in order of first write). A Merkle root rather than one flat hash, so a
 * provenance bundle can prove a single record with a short audit path instead of a whole block.
 */
import type { SignatureVerifier } from '../crypto/index.js';
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  sha256,
  TAGS,
  taggedHash,
} from '../encoding/index.js';
import { REJECTION_CODES, type RejectionCode } from '../errors.js';
import { merkleRoot } from '../merkle/index.js';
import type { SignedTx } from '../tx/index.js';
import { applyTx } from './apply.js';
import type { RecordKind, RecordTypes, StateChange, StateReader } from './types.js';

/** The Merkle leaf item of one state change. */
export function stateChangeHash(change: StateChange): string {
  return taggedHash(TAGS.stateChanges, change);
}

/** Merkle root over a block's net changes. */
export function changesRoot(netChangeList: readonly StateChange[]): string {
  return merkleRoot(netChangeList.map(stateChangeHash));
}

export function stateRootFrom(prevStateRoot: string, changesRootHex: string): string {
  const prev = hexToBytes(prevStateRoot, 32, 'prevStateRoot');
  return bytesToHex(sha256(concatBytes(prev, hexToBytes(changesRootHex, 32, 'changesRoot'))));
}

/** The state root after a block whose net changes are `netChangeList`. */
export function computeStateRoot(
  prevStateRoot: string,
  netChangeList: readonly StateChange[],
): string {
  return stateRootFrom(prevStateRoot, changesRoot(netChangeList));
}

const keyOf = (kind: RecordKind, key: string) => `${kind}\u0000${key}`;

/** The last value written to each record, in order of first write: what a store persists. */
export function netChanges(changes: readonly StateChange[]): StateChange[] {
  const latest = new Map<string, StateChange>();
  for (const change of changes) latest.set(keyOf(change.kind, change.key), change);
  return [...latest.values()];
}

/** A block in progress: the state below plus what the block's earlier transactions wrote. */
export class BlockOverlay implements StateReader {
  private readonly writes = new Map<string, StateChange>();
  private readonly txs = new Set<string>();

  constructor(private readonly below: StateReader) {}

  async get<K extends RecordKind>(kind: K, key: string): Promise<RecordTypes[K] | undefined> {
    const written = this.writes.get(keyOf(kind, key));
    return written ? (written.value as RecordTypes[K]) : this.below.get(kind, key);
  }

  async hasTx(hash: string): Promise<boolean> {
    return this.txs.has(hash) || this.below.hasTx(hash);
  }

  record(hash: string, changes: readonly StateChange[]): void {
    this.txs.add(hash);
    for (const change of changes) this.writes.set(keyOf(change.kind, change.key), change);
  }
}

export interface AppliedTx {
  hash: string;
  changes: StateChange[];
  subjects: string[];
}

export interface RejectedTx {
  hash: string;
  index: number;
  code: RejectionCode;
  message: string;
  path?: string;
}

/**
 * Refusal codes a block never records. DUPLICATE: the hash is on chain already. A signer the chain
 * does not know or has revoked: recording those would let anyone who makes up a key write to the
 * chain. The rest are stateless: admission refuses them before any block sees them.
 */
const UNRECORDED_REFUSALS: ReadonlySet<string> = new Set<RejectionCode>([
  'BAD_ENCODING',
  'BAD_SIGNATURE',
  'WRONG_CHAIN',
  'DUPLICATE',
  'UNKNOWN_SIGNER',
  'KEY_REVOKED',
  'INVALID_GS1',
  'TOO_LARGE',
]);

/** True when a block may record a refusal with this code (a refusal that depends on state). */
export function isRecordedRefusal(code: string): boolean {
  return (REJECTION_CODES as readonly string[]).includes(code) && !UNRECORDED_REFUSALS.has(code);
}

/** The most refusals a block records (the rest wait in the pool for the next block). */
export const MAX_BLOCK_REFUSALS = 1_000;

/**
 * Why a block's `refused` is malformed, or undefined: absent, or a list of 1 to
 * MAX_BLOCK_REFUSALS `{ tx, code }` with recordable codes. The transactions are checked apart.
 */
export function refusedShapeProblem(refused: unknown): string | undefined {
  if (refused === undefined) return undefined;
  if (!Array.isArray(refused) || refused.length === 0 || refused.length > MAX_BLOCK_REFUSALS)
    return `refused must be absent or a list of 1 to ${MAX_BLOCK_REFUSALS} refusals`;
  for (const [i, entry] of (refused as unknown[]).entries()) {
    if (typeof entry !== 'object' || entry === null || !('tx' in entry) || !('code' in entry))
      return `refusal ${i} must be { tx, code }`;
    const { code } = entry as { code: unknown };
    if (typeof code !== 'string' || !isRecordedRefusal(code))
      return `refusal ${i}: a block does not record ${String(code)}`;
  }
  return undefined;
}

/**
 * Why the refusals a block claims are not what its execution (run with `refused`) found, or
 * undefined. Each must be refused again, with the same code.
 */
export function refusalsProblem(
  claimed: readonly { code: string }[],
  verdicts: BlockExecution['refusals'],
): string | undefined {
  for (const [i, verdict] of verdicts.entries()) {
    const code = claimed[i]?.code;
    if (verdict.ok || verdict.code !== code)
      return `refusal ${i} claims ${String(code)}, but the state machine ${verdict.ok ? 'applies it' : `refuses it with ${verdict.code}`}`;
  }
  return undefined;
}

export interface BlockExecution {
  applied: AppliedTx[];
  /**
   * What the state machine refused, by index into the transactions. With `settleRejected`, only
   * what is still refused by the state the whole block leaves, with that refusal's reason.
   */
  rejected: RejectedTx[];
  /** With `settleRejected`: refused where they stood but valid after the block (left for the next one). */
  deferred: number[];
  /** The verdict on each of `options.refused`, index-aligned: refused (with why) or not. */
  refusals: ({ ok: true; hash: string } | (RejectedTx & { ok: false }))[];
  /** The block's net changes (last value per record, in order of first write): what a store writes and the state root hashes. */
  changes: StateChange[];
  /** `stateChangeHash` of each net change, index-aligned (empty when the root was skipped). */
  leaves: string[];
  stateRoot: string;
}

export interface ExecuteOptions {
  chainId: string;
  height: number;
  timestamp: string;
  prevStateRoot: string;
  verifier?: SignatureVerifier;
  /** All signatures were verified already (mempool admission). */
  signaturesVerified?: boolean;
  /** Precomputed tx hashes, index-aligned with the transactions. */
  hashes?: readonly string[];
  /** Every transaction is the result of `decodeTx` (see `ApplyContext.decoded`). */
  decoded?: boolean;
  /**
   * False skips the state root (`stateRoot` is then empty): for a run whose result is thrown away,
   * such as a node's discovery of what a block reads.
   */
  stateRoot?: boolean;
  /**
   * A proposer's run: each refused transaction is tried again on the state the block leaves, since
   * that is where a validator judges a recorded refusal (refused ones write nothing, so the
   * applied ones see the same state either way).
   */
  settleRejected?: boolean;
  /** A block's recorded refusals: judged, after `txs`, on the state the block leaves. */
  refused?: readonly SignedTx[];
  /** Precomputed hashes of `refused`, index-aligned. */
  refusedHashes?: readonly string[];
}

/**
 * Runs `txs` in order. A rejected transaction is left out (with its reason) and the rest go on:
 * that is how a proposer builds a block; a validator requires `rejected` to be empty and every
 * recorded refusal (`refused`) to be refused again with the same code.
 */
export async function executeTxs(
  state: StateReader,
  txs: readonly SignedTx[],
  options: ExecuteOptions,
): Promise<BlockExecution> {
  const overlay = new BlockOverlay(state);
  const applied: AppliedTx[] = [];
  const rejected: RejectedTx[] = [];
  const changes: StateChange[] = [];
  // One transaction on the block's state so far (a refusal writes nothing to it).
  const run = async (tx: SignedTx, hash: string | undefined) =>
    applyTx(overlay, tx, {
      chainId: options.chainId,
      height: options.height,
      timestamp: options.timestamp,
      ...(options.verifier && { verifier: options.verifier }),
      ...(options.signaturesVerified && { signatureVerified: true }),
      ...(hash !== undefined && { hash }),
      ...(options.decoded && { decoded: true }),
    });
  for (const [index, tx] of txs.entries()) {
    const outcome = await run(tx, options.hashes?.[index]);
    if (outcome.ok) {
      overlay.record(outcome.hash, outcome.changes);
      applied.push({ hash: outcome.hash, changes: outcome.changes, subjects: outcome.subjects });
      changes.push(...outcome.changes);
    } else {
      const { ok: _, ...reason } = outcome;
      rejected.push({ ...reason, index });
    }
  }
  // Refusals are judged on the state the whole block leaves, each alone.
  const deferred: number[] = [];
  let settled = rejected;
  if (options.settleRejected && rejected.length > 0) {
    settled = [];
    for (const refusal of rejected) {
      const tx = txs[refusal.index] as SignedTx;
      const outcome = await run(tx, options.hashes?.[refusal.index]);
      if (outcome.ok) deferred.push(refusal.index);
      else {
        const { ok: _, ...reason } = outcome;
        settled.push({ ...reason, index: refusal.index });
      }
    }
  }
  const refusals: BlockExecution['refusals'] = [];
  for (const [index, tx] of (options.refused ?? []).entries()) {
    const outcome = await run(tx, options.refusedHashes?.[index]);
    refusals.push(outcome.ok ? { ok: true, hash: outcome.hash } : { ...outcome, index });
  }
  const execution = {
    applied,
    rejected: settled,
    deferred,
    refusals,
    changes: netChanges(changes),
    leaves: [],
    stateRoot: '',
  };
  return options.stateRoot === false ? execution : withStateRoot(execution, options.prevStateRoot);
}

/** An execution run without its state root (`stateRoot: false`), with the root and leaves added. */
export function withStateRoot(execution: BlockExecution, prevStateRoot: string): BlockExecution {
  const leaves = execution.changes.map(stateChangeHash);
  return { ...execution, leaves, stateRoot: stateRootFrom(prevStateRoot, merkleRoot(leaves)) };
}
