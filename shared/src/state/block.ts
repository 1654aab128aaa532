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
import type { RejectionCode } from '../errors.js';
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

export interface BlockExecution {
  applied: AppliedTx[];
  rejected: RejectedTx[];
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
}

/**
 * Runs `txs` in order. A rejected transaction is left out (with its reason) and the rest go on:
 * that is how a proposer builds a block; a validator requires `rejected` to be empty.
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
  for (const [index, tx] of txs.entries()) {
    const outcome = await applyTx(overlay, tx, {
      chainId: options.chainId,
      height: options.height,
      timestamp: options.timestamp,
      ...(options.verifier && { verifier: options.verifier }),
      ...(options.signaturesVerified && { signatureVerified: true }),
      ...(options.hashes?.[index] !== undefined && { hash: options.hashes[index] }),
      ...(options.decoded && { decoded: true }),
    });
    if (outcome.ok) {
      overlay.record(outcome.hash, outcome.changes);
      applied.push({ hash: outcome.hash, changes: outcome.changes, subjects: outcome.subjects });
      changes.push(...outcome.changes);
    } else {
      const { ok: _, ...reason } = outcome;
      rejected.push({ ...reason, index });
    }
  }
  const net = netChanges(changes);
  if (options.stateRoot === false)
    return { applied, rejected, changes: net, leaves: [], stateRoot: '' };
  const leaves = net.map(stateChangeHash);
  return {
    applied,
    rejected,
    changes: net,
    leaves,
    stateRoot: stateRootFrom(options.prevStateRoot, merkleRoot(leaves)),
  };
}
