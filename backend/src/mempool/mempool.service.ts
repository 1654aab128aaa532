/**
 * Pending transactions, in arrival order. Admission runs the stateless checks once (decode, size,
 * chain id, signature with the fast verifier), so block building runs `executeTxs` with
 * `signaturesVerified: true`. Stateful rules are the block builder's: what it refuses leaves the
 * pool through `reject`, and its reason stays queryable through `status`.
 *
 * Usable without Nest: `new MempoolService({ chainId, maxSize })`.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { canonicalBytes } from '@waybill/shared/encoding';
import { isWaybillError, WaybillError } from '@waybill/shared/errors';
import {
  badSignature,
  decodeTxForChain,
  MAX_TX_BYTES,
  txHash,
  verifyTxSignature,
  verifyTxSignatureAsync,
  type SignedTx,
} from '@waybill/shared/tx';
import type { AsyncSignatureVerifier, SignatureVerifier } from '@waybill/shared/crypto';
import { isMempoolError, mempoolFull, type MempoolRejectionCode } from './errors.js';
import { fastVerifier, fastVerifierAsync } from './fast-verifier.js';
import { MEMPOOL_OPTIONS, type MempoolOptions } from './mempool.options.js';

export const DEFAULT_MAX_REJECTED_REASONS = 100_000;

export interface PendingTx {
  readonly tx: SignedTx;
  readonly hash: string;
}

export interface AdmitResult {
  hash: string;
  status: 'PENDING';
}

/** One item of `admitMany`, index-aligned with the input. */
export type AdmitManyResult =
  | { index: number; hash: string; status: 'PENDING' }
  | {
      index: number;
      /** Present when the transaction decoded far enough to be hashed. */
      hash?: string;
      status: 'REJECTED';
      code: MempoolRejectionCode;
      message: string;
      path?: string;
    };

export interface RejectionReason {
  code: MempoolRejectionCode;
  message: string;
  path?: string | undefined;
  /** The height of the final block that recorded the refusal, when one did. */
  height?: number | undefined;
}

export type TxStatus =
  | { status: 'PENDING' }
  | {
      status: 'REJECTED';
      code: MempoolRejectionCode;
      message: string;
      path?: string;
      height?: number;
    };

/** Where an admitted transaction came from: a client of this node, or a peer's gossip. */
export type AdmissionOrigin = 'client' | 'gossip';

export type AdmittedListener = (admitted: PendingTx, origin: AdmissionOrigin) => void;

export type RejectedListener = (hash: string, reason: RejectionReason) => void;

/**
 * Gossiped transactions whose signer this node does not know yet, kept to try again (see
 * `retryAwaitingSigner`): at most this many, for at most this many blocks.
 */
export const MAX_AWAITING_SIGNER = 1_000;
const AWAITING_SIGNER_BLOCKS = 3;

/** Transactions admitted again per call at start (admitMany batches its on-chain lookup). */
const JOURNAL_BATCH = 1_000;

@Injectable()
export class MempoolService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MempoolService.name);
  private readonly chainId: string;
  private readonly maxSize: number;
  private readonly maxTxBytes: number;
  private readonly maxRejectedReasons: number;
  private readonly verifier: SignatureVerifier;
  /**
   * Gossiped, decoded and signed, refused only with UNKNOWN_SIGNER: the peer that sent them may
   * have applied a block that registers the key and this node not yet. By hash, with the blocks
   * left to try; bounded, oldest dropped first, so a flood of unknown keys costs no more than this.
   */
  private readonly awaitingSigner = new Map<string, { entry: PendingTx; blocksLeft: number }>();
  private retrying: Promise<void> = Promise.resolve();
  private readonly verifyAsync: AsyncSignatureVerifier;
  private readonly isOnChain: ((hash: string) => Promise<boolean>) | undefined;
  private readonly isOnChainMany:
    ((hashes: readonly string[]) => Promise<ReadonlySet<string>>) | undefined;
  private readonly signerProblem: MempoolOptions['signerProblem'];
  private readonly journalFile: string | undefined;
  /** Keys that pending `member.add` transactions register, with how many add each. */
  private readonly keysBeingAdded = new Map<string, number>();
  /** Insertion order is arrival order: a Map iterates oldest first. */
  private readonly pending = new Map<string, PendingTx>();
  /** The same transactions by signature (block checks find them without hashing). */
  private readonly signatures = new Map<string, PendingTx>();
  /** Block-building refusals, least recently used first. */
  private readonly rejected = new Map<string, RejectionReason>();
  private readonly listeners = new Set<AdmittedListener>();
  private readonly rejectedListeners = new Set<RejectedListener>();
  private admitted = 0;
  private readonly rejectedCounts = new Map<string, number>();

  constructor(@Inject(MEMPOOL_OPTIONS) options: MempoolOptions) {
    if (!Number.isInteger(options.maxSize) || options.maxSize < 1) {
      throw new RangeError(`mempool maxSize must be a positive integer, got ${options.maxSize}`);
    }
    const maxTxBytes = options.maxTxBytes ?? MAX_TX_BYTES;
    if (!Number.isInteger(maxTxBytes) || maxTxBytes < 1) {
      throw new RangeError(`mempool maxTxBytes must be a positive integer, got ${maxTxBytes}`);
    }
    const maxRejected = options.maxRejectedReasons ?? DEFAULT_MAX_REJECTED_REASONS;
    if (!Number.isInteger(maxRejected) || maxRejected < 1) {
      throw new RangeError(
        `mempool maxRejectedReasons must be a positive integer, got ${maxRejected}`,
      );
    }
    this.verifier = options.verifier ?? fastVerifier;
    // A verifier given for tests answers for both; the node's own runs on the thread pool.
    const given = options.verifier;
    this.verifyAsync =
      options.verifyAsync ??
      (given ? (s, m, k) => Promise.resolve(given(s, m, k)) : fastVerifierAsync);
    this.isOnChain = options.isOnChain;
    this.isOnChainMany = options.isOnChainMany;
    this.signerProblem = options.signerProblem;
    this.journalFile = options.journalFile;
    this.chainId = options.chainId;
    this.maxSize = options.maxSize;
    this.maxTxBytes = Math.min(maxTxBytes, MAX_TX_BYTES);
    this.maxRejectedReasons = maxRejected;
  }

  /**
   * Admits what the last clean stop left pending, through the usual admission (what became final
   * or invalid meanwhile is refused again and dropped). Runs once every module is initialized.
   */
  async onApplicationBootstrap(): Promise<void> {
    const file = this.journalFile;
    if (file === undefined) return;
    let saved: unknown[];
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn(`ignored the pending transactions in ${file}: ${String(error)}`);
        rmSync(file, { force: true });
      }
      return;
    }
    rmSync(file, { force: true });
    if (!Array.isArray(saved)) return;
    let readmitted = 0;
    for (let i = 0; i < saved.length; i += JOURNAL_BATCH) {
      const results = await this.admitMany(saved.slice(i, i + JOURNAL_BATCH));
      readmitted += results.filter((r) => r.status === 'PENDING').length;
    }
    this.logger.log(
      `admitted again ${readmitted} of ${saved.length} transactions pending at the last stop`,
    );
  }

  /** Keeps the pool for the next start (clean stops only; a crash loses it, clients resubmit). */
  beforeApplicationShutdown(): void {
    const file = this.journalFile;
    if (file === undefined || this.pending.size === 0) return;
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.pending.values()].map((p) => p.tx)));
    renameSync(temporary, file);
  }

  /** Pending transactions. */
  get size(): number {
    return this.pending.size;
  }

  /** Room left before admission refuses with MEMPOOL_FULL. */
  get free(): number {
    return Math.max(0, this.maxSize - this.pending.size);
  }

  /** Transactions admitted since start (metrics). */
  get admittedTotal(): number {
    return this.admitted;
  }

  /**
   * Refusals since start by code (metrics): admission refusals (the ones `admit` throws and
   * `admitMany` reports) and block-building refusals (`reject`).
   */
  get rejectedTotal(): ReadonlyMap<string, number> {
    return this.rejectedCounts;
  }

  /**
   * Admits one transaction (a parsed JSON value) or throws why not: a `WaybillError` with a
   * protocol code (BAD_ENCODING, INVALID_PAYLOAD, INVALID_GS1, TOO_LARGE, WRONG_CHAIN,
   * BAD_SIGNATURE, DUPLICATE) or a `MempoolError` (MEMPOOL_FULL). Errors of `isOnChain` (storage)
   * propagate as they are.
   */
  async admit(value: unknown): Promise<AdmitResult> {
    return this.counted(async () => {
      // A full pool refuses unread: checking costs more than the refusal is worth under overload.
      if (this.free === 0) throw mempoolFull(this.maxSize);
      return this.admitChecked(this.check(value), 'client');
    });
  }

  /** Runs an admission, counting its refusal by code (metrics). */
  private async counted<T>(admission: () => Promise<T>): Promise<T> {
    try {
      return await admission();
    } catch (error) {
      if (isWaybillError(error) || isMempoolError(error)) this.count(error.code);
      throw error;
    }
  }

  /**
   * Admits each transaction in order; one bad item never stops the others. Only a failure of
   * `isOnChain` (storage) is thrown, and the items before it stay admitted. When the pool is
   * full every item is refused MEMPOOL_FULL unread (no hash); when it has room for fewer new
   * transactions than the batch holds, the ones beyond the room are refused MEMPOOL_FULL
   * without their signature check.
   */
  async admitMany(
    values: readonly unknown[],
    origin: AdmissionOrigin = 'client',
  ): Promise<AdmitManyResult[]> {
    // A full pool refuses unread: under overload the refusals must cost next to nothing.
    if (this.free === 0) {
      const full = mempoolFull(this.maxSize);
      for (let i = 0; i < values.length; i++) this.count(full.code);
      return values.map((_, index) => ({
        index,
        status: 'REJECTED',
        code: full.code,
        message: full.message,
      }));
    }
    // Stateless checks first, then one batched lookup of what is already on chain.
    const checked = await this.checkMany(values, this.free);
    const hashes = checked.flatMap((c) => (isPendingTx(c) ? [c.hash] : []));
    const onChain =
      this.isOnChainMany && hashes.length > 1 ? await this.isOnChainMany(hashes) : undefined;
    const results: AdmitManyResult[] = [];
    for (const [index, entry] of checked.entries()) {
      try {
        if (!isPendingTx(entry)) throw entry;
        const { hash } = await this.counted(() => this.admitChecked(entry, origin, onChain));
        results.push({ index, hash, status: 'PENDING' });
      } catch (error) {
        if (!isWaybillError(error) && !isMempoolError(error)) throw error;
        if (!isPendingTx(entry)) this.count(error.code);
        else if (origin === 'gossip' && error.code === 'UNKNOWN_SIGNER') this.awaitSigner(entry);
        const hash = typeof error.details.hash === 'string' ? error.details.hash : undefined;
        // Admission only throws rejection codes (checkTx's and MEMPOOL_FULL).
        results.push({
          index,
          ...(hash !== undefined && { hash }),
          status: 'REJECTED',
          code: error.code as MempoolRejectionCode,
          message: error.message,
          ...(error.path !== undefined && { path: error.path }),
        });
      }
    }
    return results;
  }

  /**
   * Called after each block this node applies: admits what gossip brought before this node knew
   * the signer (no second signature check); each is tried after at most three blocks, then dropped.
   */
  async retryAwaitingSigner(): Promise<void> {
    // One retry at a time: blocks may be applied faster than a retry runs (sync).
    const run = this.retrying.then(() => this.retryAwaitingSignerNow());
    this.retrying = run.catch(() => undefined);
    return run;
  }

  private async retryAwaitingSignerNow(): Promise<void> {
    const waiting = [...this.awaitingSigner.values()];
    this.awaitingSigner.clear();
    for (const [i, item] of waiting.entries()) {
      try {
        // Not counted again: the first refusal was.
        await this.admitChecked(item.entry, 'gossip');
      } catch (error) {
        if (!isWaybillError(error) && !isMempoolError(error)) {
          // A storage failure: what was not tried yet waits for the next block.
          for (const rest of waiting.slice(i)) this.awaitSigner(rest.entry, rest.blocksLeft);
          throw error;
        }
        if (error.code === 'UNKNOWN_SIGNER' && item.blocksLeft > 1)
          this.awaitSigner(item.entry, item.blocksLeft - 1);
      }
    }
  }

  /** How many gossiped transactions wait for their signer's key (metrics and tests). */
  get awaitingSignerCount(): number {
    return this.awaitingSigner.size;
  }

  private awaitSigner(entry: PendingTx, blocksLeft = AWAITING_SIGNER_BLOCKS): void {
    this.awaitingSigner.delete(entry.hash);
    if (this.awaitingSigner.size >= MAX_AWAITING_SIGNER) {
      const oldest = this.awaitingSigner.keys().next();
      if (oldest.done !== true) this.awaitingSigner.delete(oldest.value);
    }
    this.awaitingSigner.set(entry.hash, { entry, blocksLeft });
  }

  /** The `max` oldest pending transactions, oldest first; they stay pending until `remove`. */
  take(max: number): PendingTx[] {
    const out: PendingTx[] = [];
    if (max <= 0) return out;
    for (const entry of this.pending.values()) {
      out.push(entry);
      if (out.length >= max) break;
    }
    return out;
  }

  /** Drops transactions that are now in a final block. Unknown hashes are ignored. */
  remove(hashes: Iterable<string>): void {
    for (const hash of hashes) this.drop(hash);
  }

  /** The pending transaction with this signature, if any. */
  bySignature(signature: string): PendingTx | undefined {
    return this.signatures.get(signature);
  }

  private drop(hash: string): void {
    const entry = this.pending.get(hash);
    if (!entry) return;
    this.pending.delete(hash);
    if (this.signatures.get(entry.tx.signature) === entry)
      this.signatures.delete(entry.tx.signature);
    const added = addedKey(entry.tx);
    if (added !== undefined) {
      const count = (this.keysBeingAdded.get(added) ?? 1) - 1;
      if (count > 0) this.keysBeingAdded.set(added, count);
      else this.keysBeingAdded.delete(added);
    }
  }

  /** Drops a transaction block building refused, remembering why (for `status`). */
  reject(hash: string, reason: RejectionReason): void {
    this.drop(hash);
    this.rejected.delete(hash);
    this.rejected.set(hash, {
      code: reason.code,
      message: reason.message,
      ...(reason.path !== undefined && { path: reason.path }),
      ...(reason.height !== undefined && { height: reason.height }),
    });
    if (this.rejected.size > this.maxRejectedReasons) {
      const oldest = this.rejected.keys().next();
      if (oldest.done !== true) this.rejected.delete(oldest.value);
    }
    this.count(reason.code);
    this.notifyRejected(hash, reason);
  }

  /** PENDING, REJECTED with the block builder's reason, or undefined when unknown here. */
  status(hash: string): TxStatus | undefined {
    if (this.pending.has(hash)) return { status: 'PENDING' };
    const reason = this.rejected.get(hash);
    if (reason === undefined) return undefined;
    // Refresh its place in the LRU order.
    this.rejected.delete(hash);
    this.rejected.set(hash, reason);
    return {
      status: 'REJECTED',
      code: reason.code,
      message: reason.message,
      ...(reason.path !== undefined && { path: reason.path }),
      ...(reason.height !== undefined && { height: reason.height }),
    };
  }

  /** True when the transaction is pending here. */
  has(hash: string): boolean {
    return this.pending.has(hash);
  }

  /**
   * Calls `listener` after each admission (synchronously, once per transaction). Returns the
   * unsubscribe function. A throwing listener is logged and does not affect admission.
   */
  onAdmitted(listener: AdmittedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Calls `listener` after each block-building refusal (`reject`; synchronously, once per
   * transaction). Returns the unsubscribe function. A throwing listener is logged and does not
   * affect the refusal.
   */
  onRejected(listener: RejectedListener): () => void {
    this.rejectedListeners.add(listener);
    return () => {
      this.rejectedListeners.delete(listener);
    };
  }

  /** `onChain`: what a batched lookup found on chain (then nothing else is); else asked one by one. */
  private async admitChecked(
    { tx, hash }: PendingTx,
    origin: AdmissionOrigin,
    onChain?: ReadonlySet<string>,
  ): Promise<AdmitResult> {
    const duplicate = () =>
      new WaybillError('DUPLICATE', `transaction ${hash} is already pending`, { hash });
    if (this.pending.has(hash)) throw duplicate();
    const isOnChain =
      onChain?.has(hash) ?? (this.isOnChain !== undefined && (await this.isOnChain(hash)));
    if (isOnChain) {
      throw new WaybillError('DUPLICATE', `transaction ${hash} is already in a block`, { hash });
    }
    if (this.signerProblem && !this.keysBeingAdded.has(tx.signer)) {
      const problem = await this.signerProblem(tx.signer);
      if (problem)
        throw new WaybillError(problem.code, problem.message, { hash, path: problem.path });
    }
    // Another admission of the same transaction may have completed while the lookups ran.
    if (this.pending.has(hash)) throw duplicate();
    if (this.pending.size >= this.maxSize) throw mempoolFull(this.maxSize, hash);
    const entry: PendingTx = { tx, hash };
    this.pending.set(hash, entry);
    this.signatures.set(tx.signature, entry);
    const added = addedKey(tx);
    if (added !== undefined)
      this.keysBeingAdded.set(added, (this.keysBeingAdded.get(added) ?? 0) + 1);
    // Admitted again after a block refused it: its old reason no longer describes it.
    this.rejected.delete(hash);
    this.admitted++;
    this.notify(entry, origin);
    return { hash, status: 'PENDING' };
  }

  /** checkTx, then this node's size limit; anything unexpected about the input is BAD_ENCODING. */
  private check(value: unknown): PendingTx {
    const decoded = this.decode(value);
    return this.signed(decoded, verifyTxSignature(decoded.tx, this.verifier, decoded.hash));
  }

  /**
   * `check` of many, with the signatures verified on the thread pool all at once: this thread
   * decodes and hashes while the pool verifies, and stays free for consensus meanwhile. Only the
   * first `room` new transactions are verified; the pool could not take the ones after them, so
   * they are refused MEMPOOL_FULL without the signature check (the costly part).
   */
  private async checkMany(values: readonly unknown[], room: number): Promise<unknown[]> {
    const decoded = values.map((value): unknown => {
      try {
        return this.decode(value);
      } catch (error) {
        return error;
      }
    });
    const fresh = new Set<string>();
    const overflow = decoded.map((d) => {
      if (!isPendingTx(d) || this.pending.has(d.hash) || fresh.has(d.hash)) return false;
      if (fresh.size >= room) return true;
      fresh.add(d.hash);
      return false;
    });
    const verdicts = await Promise.all(
      decoded.map((d, i) =>
        isPendingTx(d) && overflow[i] !== true
          ? verifyTxSignatureAsync(d.tx, d.hash, this.verifyAsync)
          : Promise.resolve(false),
      ),
    );
    return decoded.map((d, i) => {
      if (!isPendingTx(d)) return d;
      if (overflow[i] === true) return mempoolFull(this.maxSize, d.hash);
      try {
        return this.signed(d, verdicts[i] === true);
      } catch (error) {
        return error;
      }
    });
  }

  /** The decode and chain checks of checkTx; errors after a decode name the transaction. */
  private decode(value: unknown): PendingTx {
    try {
      return decodeTxForChain(value, this.chainId);
    } catch (error) {
      if (!isWaybillError(error)) {
        throw new WaybillError('BAD_ENCODING', 'transaction could not be decoded', { path: '$' });
      }
      if (error.code === 'WRONG_CHAIN') {
        throw new WaybillError(error.code, error.message, {
          ...error.details,
          hash: txHash(value as SignedTx),
        });
      }
      throw error;
    }
  }

  /** The signature verdict, then this node's size limit. */
  private signed(checked: PendingTx, signatureValid: boolean): PendingTx {
    if (!signatureValid) {
      const refused = badSignature();
      throw new WaybillError(refused.code, refused.message, {
        ...refused.details,
        hash: checked.hash,
      });
    }
    if (this.maxTxBytes < MAX_TX_BYTES) {
      const size = canonicalBytes(checked.tx).length;
      if (size > this.maxTxBytes) {
        throw new WaybillError(
          'TOO_LARGE',
          `transaction is ${size} bytes; this node admits at most ${this.maxTxBytes}`,
          { size, hash: checked.hash },
        );
      }
    }
    return checked;
  }

  private count(code: string): void {
    this.rejectedCounts.set(code, (this.rejectedCounts.get(code) ?? 0) + 1);
  }

  private notify(entry: PendingTx, origin: AdmissionOrigin): void {
    for (const listener of this.listeners) {
      try {
        listener(entry, origin);
      } catch (error) {
        this.logger.error(
          `an onAdmitted listener threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private notifyRejected(hash: string, reason: RejectionReason): void {
    for (const listener of this.rejectedListeners) {
      try {
        listener(hash, reason);
      } catch (error) {
        this.logger.error(
          `an onRejected listener threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

/** A checked transaction, as opposed to the error its check threw. */
function isPendingTx(value: unknown): value is PendingTx {
  return typeof value === 'object' && value !== null && 'tx' in value && 'hash' in value;
}

/** The key a `member.add` registers (its payload is checked by admission before this is asked). */
function addedKey(tx: SignedTx): string | undefined {
  return tx.type === 'member.add' ? (tx.payload as { publicKey: string }).publicKey : undefined;
}
