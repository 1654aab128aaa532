/**
 * The host of the Tendermint state machine on a node: it carries the engine's messages over p2p
 * gossip, turns its timeouts into timers, builds and checks blocks against the chain's state,
 * stores decided blocks with their certificates, and syncs certified blocks from peers when this
 * node falls behind. Authorities sign through a guard that never signs two different votes for one
 * slot, even across restarts; observers run the same engine without a key and only follow.
 *
 * Everything that reads or writes the chain runs through one queue, in order, so a block is
 * checked, built or stored only against the head it was meant for.
 */
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  createCommitCertificate,
  type ProposedBlock,
  type SignedVote,
} from '@waybill/shared/block';
import { isWaybillError } from '@waybill/shared/errors';
import { evidenceKey, evidencePayload } from '@waybill/shared/state';
import { createTx, type SignedTx } from '@waybill/shared/tx';
import type { ChainService, FinalizedBlock } from '../chain/chain.service.js';
import { ChainError } from '../chain/errors.js';
import type { NodeConfig } from '../config/node-config.js';
import { fastVerifier, fastVerifierAsync } from '../mempool/fast-verifier.js';
import type { MempoolService } from '../mempool/mempool.service.js';
import type { P2pService } from '../p2p/p2p.service.js';
import type { Verdict } from '../p2p/interface.js';
import type { AuthorityKey } from './authority-key.js';
import { authoritySigner } from './authority-signer.js';
import { BlockPacer } from './block-pacing.js';
import { buildBlock, checkBlock, checkCertifiedBlock, type ExecutedBlock } from './blocks.js';
import type { ConsensusEngine } from './engine.js';
import {
  decodeConsensusMessage,
  encodeConsensusMessage,
  MalformedMessage,
  type ConsensusMessage,
} from './messages.js';
import { FileSignatureRecord } from './signature-record.js';
import { TendermintEngine } from './tendermint/engine.js';
import { GuardedSigner } from './tendermint/guarded-signer.js';
import { type EngineAction, type EngineStatus, type Timeouts } from './tendermint/types.js';

type Proposed = ProposedBlock;

export interface BftOptions {
  readonly timeouts?: Timeouts;
  /** A proposed block may be this far ahead of our clock. */
  readonly maxClockSkewMs?: number;
  /** Without a new block for this long, ask peers for their head and sync (heartbeat + 3 s). */
  readonly syncIdleMs?: number;
  /** Without progress for this long, send our own proposal and votes again. */
  readonly rebroadcastMs?: number;
}

const TX_BATCH = 256;
const TX_FLUSH_MS = 10;
const SYNC_BATCH = 64;
const MAX_PENDING_EVIDENCE = 100;
const TRACE = process.env.WAYBILL_TRACE_CONSENSUS === '1';

export class BftEngine implements ConsensusEngine {
  readonly mode: 'authority' | 'observer';
  private readonly logger = new Logger('consensus');
  private readonly engine: TendermintEngine<Proposed>;
  private readonly record: FileSignatureRecord | undefined;
  private readonly timeouts: Timeouts;
  private readonly pacer: BlockPacer;
  private readonly maxClockSkewMs: number;
  private readonly syncIdleMs: number;
  private readonly rebroadcastMs: number;
  private readonly chainId: string;
  /** Executions of this height's blocks, by hash: a decided block is stored without re-running. */
  private executed = new Map<string, ExecutedBlock>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private ticker: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private stopped = true;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = 0;
  private lastCommitAt = Date.now();
  private lastProgressAt = Date.now();
  private lastHeight = -1;
  private lastSyncAt = 0;
  private outbox: SignedTx[] = [];
  private outboxTimer: NodeJS.Timeout | undefined;
  private syncQueued = false;
  /** The highest height a peer's consensus message was about (how far behind this node is). */
  private seenHeight = 0;
  private validators: string[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private readonly ownKey: string | undefined;
  /** Double votes seen, waiting for their height to be final before they go on chain. */
  private evidence: { first: SignedVote; second: SignedVote }[] = [];

  constructor(
    private readonly chain: ChainService,
    private readonly mempool: MempoolService,
    private readonly p2p: P2pService,
    private readonly config: NodeConfig,
    private readonly key: AuthorityKey | undefined,
    options: BftOptions = {},
  ) {
    this.chainId = chain.genesis.chainId;
    this.timeouts = options.timeouts ?? timeoutsFor(config.roundTimeoutMs);
    this.pacer = new BlockPacer({ maxTxs: config.maxBlockTxs });
    this.maxClockSkewMs = options.maxClockSkewMs ?? 5_000;
    // An idle network makes a block every heartbeat: only a longer silence means we fell behind.
    this.syncIdleMs = options.syncIdleMs ?? config.heartbeatMs + 3_000;
    this.rebroadcastMs = options.rebroadcastMs ?? 4_000;
    this.mode = key ? 'authority' : 'observer';
    this.ownKey = key?.publicKey;
    this.record = key ? new FileSignatureRecord(join(config.dataDir, 'signatures.log')) : undefined;
    const signer =
      key && this.record ? new GuardedSigner(authoritySigner(key), this.record) : undefined;
    this.engine = new TendermintEngine<Proposed>({
      chainId: this.chainId,
      timeouts: this.timeouts,
      ...(signer && { signer }),
    });
  }

  /** Where consensus stands, for the API and metrics. */
  get status(): EngineStatus {
    return this.engine.status;
  }

  start(): void {
    this.stopped = false;
    this.p2p.onGossip('consensus', (data, from) => this.onConsensusGossip(data, from));
    this.p2p.onGossip('transactions', (data) => this.onTransactionGossip(data));
    this.unsubscribe.push(
      this.mempool.onAdmitted(({ tx }, origin) => {
        if (origin === 'client') this.queueForGossip(tx);
        this.scheduleWake(
          Math.max(0, this.lastCommitAt + this.config.blockIntervalMs - Date.now()),
        );
      }),
      this.p2p.onPeerConnected(() => {
        this.requestSync();
      }),
    );
    this.enqueue(() => this.enterHeight());
    this.ticker = setInterval(() => {
      this.tick();
    }, 1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.ticker) clearInterval(this.ticker);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    await this.work;
    this.record?.close();
  }

  /** Runs `task` after every earlier one; a failure is logged and does not stop the queue. */
  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (error) {
        this.logger.error(
          `consensus task failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    });
  }

  private later(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Enters the height above the chain's head with the authority set that certifies it. */
  private async enterHeight(): Promise<void> {
    const height = this.chain.height + 1;
    this.validators = (await this.chain.validators()).map((a) => a.publicKey);
    this.executed = new Map();
    this.record?.prune(height);
    this.logger.debug(`entering height ${height}`);
    await this.reportEvidence();
    this.perform(this.engine.startHeight(height, this.validators));
    const idleFor = Date.now() - this.lastCommitAt;
    this.scheduleWake(
      this.mempool.size > 0
        ? Math.max(0, this.config.blockIntervalMs - idleFor)
        : Math.max(0, this.config.heartbeatMs - idleFor),
    );
  }

  /**
   * Puts detected double votes on chain as `authority.evidence` transactions, once the height they
   * are about is final (the state machine refuses evidence about a height still being decided).
   */
  private async reportEvidence(): Promise<void> {
    const key = this.key;
    if (!key || this.evidence.length === 0) return;
    const ready = this.evidence.filter((pair) => pair.first.height <= this.chain.height);
    this.evidence = this.evidence.filter((pair) => pair.first.height > this.chain.height);
    for (const { first, second } of ready) {
      if (await this.chain.state.get('evidence', evidenceKey(first))) continue;
      try {
        const tx = createTx({
          chainId: this.chainId,
          type: 'authority.evidence',
          payload: evidencePayload(first, second),
          secretKey: key.secretKey,
        });
        await this.mempool.admit(tx);
        this.logger.warn(
          `reported the double vote of ${first.validator} at height ${first.height}`,
        );
      } catch (error) {
        this.logger.warn(
          `could not report evidence: ${isWaybillError(error) ? error.message : String(error)}`,
        );
      }
    }
  }

  /** Wakes the height after `delayMs` unless an earlier wake-up is set. */
  private scheduleWake(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.wakeTimer && this.wakeAt <= at) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      if (!this.stopped) this.perform(this.engine.wake());
    }, delayMs);
  }

  private perform(actions: readonly EngineAction<Proposed>[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'build':
          this.enqueue(() => this.build(action.height, action.round));
          break;
        case 'validate':
          this.enqueue(() => this.validate(action.height, action.blockHash, action.block));
          break;
        case 'broadcastProposal':
          this.publish({
            kind: 'proposal',
            proposal: action.proposal,
            block: {
              header: action.block.header,
              txs: action.block.txs,
              ...(action.block.refused && { refused: action.block.refused }),
            },
            polka: action.polka,
          });
          break;
        case 'broadcastVote':
          this.publish({ kind: 'vote', vote: action.vote });
          break;
        case 'schedule':
          this.later(action.delayMs, () => {
            this.perform(this.engine.onTimeout(action.timeout));
          });
          break;
        case 'commit':
          this.enqueue(() => this.commit(action));
          break;
        case 'evidence':
          this.logger.warn(
            `authority ${action.first.validator} signed two ${action.first.type}s at height ${action.first.height}, round ${action.first.round}: ${action.first.blockHash ?? 'nil'} and ${action.second.blockHash ?? 'nil'}`,
          );
          if (this.key && this.evidence.length < MAX_PENDING_EVIDENCE) {
            this.evidence.push({ first: action.first, second: action.second });
          }
          break;
        case 'behind':
          this.later(500, () => {
            if (this.chain.height + 1 < action.height) this.requestSync();
          });
          break;
      }
    }
  }

  private publish(message: ConsensusMessage): void {
    if (TRACE)
      this.logger.debug(
        `send ${message.kind === 'vote' ? `${message.vote.type} ${message.vote.height}/${message.vote.round}` : `proposal ${message.proposal.height}`}`,
      );
    this.p2p.publish('consensus', encodeConsensusMessage(message)).catch((error: unknown) => {
      this.logger.warn(`could not publish a consensus message: ${String(error)}`);
    });
  }

  private async build(height: number, round: number): Promise<void> {
    const status = this.engine.status;
    if (status.height !== height || status.round !== round || this.chain.height + 1 !== height) {
      return;
    }
    const key = this.ownKey;
    if (key === undefined || !this.engine.isValidator) return;
    // Paced for the others' propose timeout; a sole authority waits for its own block anyway.
    const pending = this.takePending(
      this.validators.length > 1
        ? this.pacer.limit(this.timeouts.propose + round * this.timeouts.delta)
        : this.config.maxBlockTxs,
    );
    const started = performance.now();
    let built;
    try {
      built = await buildBlock({
        chain: this.chain,
        pending,
        proposer: key,
        round,
        validators: this.validators,
        now: Date.now(),
        verifier: fastVerifier,
      });
    } catch (error) {
      this.logger.error(`could not build block ${height} round ${round}: ${String(error)}`);
      this.perform(this.engine.onBuildFailed(height, round));
      return;
    }
    this.pacer.observe(pending.length, performance.now() - started);
    for (const { hash, reason } of built.dropped) this.mempool.reject(hash, reason);
    this.executed.set(built.executed.hash, built.executed);
    this.logger.debug(
      `built block ${height} round ${round}: ${built.executed.txHashes.length} txs (${this.pacer.msPerTx.toFixed(2)} ms per transaction lately)`,
    );
    this.perform(
      this.engine.onBlockBuilt(height, round, built.executed.hash, built.executed.block),
    );
  }

  /** At most `limit` pending transactions for a block, within the gossip message size. */
  private takePending(limit: number): ReturnType<MempoolService['take']> {
    const pending = this.mempool.take(limit);
    // The proposal carries the block: it must fit one gossip message, with room for the rest.
    const budget = this.p2p.maxGossipBytes - 64 * 1024;
    let bytes = 0;
    const out: typeof pending = [];
    for (const entry of pending) {
      bytes += JSON.stringify(entry.tx).length;
      if (bytes > budget) break;
      out.push(entry);
    }
    return out;
  }

  private async validate(height: number, hash: string, block: Proposed): Promise<void> {
    if (this.chain.height + 1 !== height) return;
    const known = this.executed.get(hash);
    if (known) {
      this.perform(this.engine.onValidated(height, hash, true));
      return;
    }
    let checked: Awaited<ReturnType<typeof checkBlock>>;
    const started = performance.now();
    try {
      checked = await checkBlock({
        chain: this.chain,
        block,
        validators: this.validators,
        verifier: fastVerifier,
        verifyAsync: fastVerifierAsync,
        pendingBySignature: (signature) => this.mempool.bySignature(signature),
        now: Date.now(),
        maxClockSkewMs: this.maxClockSkewMs,
      });
    } catch (error) {
      // The engine waits for every check it asked for: a failure must still answer it.
      checked = { ok: false, reason: `the check failed: ${String(error)}` };
    }
    if (checked.ok) this.pacer.observe(block.txs.length, performance.now() - started);
    this.logger.debug(
      `checked block ${height} ${hash.slice(0, 12)}: ${checked.ok ? 'valid' : 'invalid'}`,
    );
    if (checked.ok) this.executed.set(hash, checked.executed);
    else this.logger.warn(`refusing block ${height} ${hash}: ${checked.reason}`);
    this.perform(this.engine.onValidated(height, hash, checked.ok));
  }

  private async commit(
    decision: Extract<EngineAction<Proposed>, { type: 'commit' }>,
  ): Promise<void> {
    const { height, round, blockHash, precommits } = decision;
    if (this.chain.height + 1 !== height) {
      // Sync stored this height first; the engine moves on with the chain.
      if (this.chain.height >= height) await this.enterHeight();
      return;
    }
    const executed = this.executed.get(blockHash);
    if (!executed) {
      this.logger.error(`block ${height} ${blockHash} was decided but never executed here`);
      this.requestSync();
      return;
    }
    const commit = createCommitCertificate({
      chainId: this.chainId,
      height,
      round,
      blockHash,
      votes: precommits,
      validators: this.validators,
      verifier: fastVerifier,
    });
    try {
      await this.chain.commit({ ...executed, block: { ...executed.block, commit } });
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      // Nothing was stored; the decision stands, so store it again once the disk takes it.
      this.later(STORAGE_RETRY_MS, () => {
        this.enqueue(() => this.commit(decision));
      });
      return;
    }
    this.settlePool(executed);
    this.lastCommitAt = Date.now();
    this.logger.debug(`stored block ${height} (round ${round})`);
    if (executed.txHashes.length > 0) {
      this.logger.log(`block ${height}: ${executed.txHashes.length} txs, round ${round}`);
    }
    await this.enterHeight();
  }

  /** A final block's transactions leave the pool; its recorded refusals leave it as REJECTED. */
  private settlePool(block: Pick<ExecutedBlock, 'block' | 'txHashes' | 'refusals'>): void {
    this.mempool.remove(block.txHashes);
    const height = block.block.header.height;
    for (const { hash, code, message, path } of block.refusals) {
      this.mempool.reject(hash, { code, message, ...(path !== undefined && { path }), height });
    }
    // Gossip this node refused while a block behind its peers may be admissible now.
    this.mempool.retryAwaitingSigner().catch((error: unknown) => {
      this.logger.warn(`could not admit gossiped transactions again: ${String(error)}`);
    });
  }

  private async onConsensusGossip(data: Uint8Array, from: string): Promise<Verdict> {
    if (this.stopped) return 'ignore';
    let message: ConsensusMessage;
    try {
      message = decodeConsensusMessage(data, this.chainId, fastVerifier);
    } catch (error) {
      if (error instanceof MalformedMessage) {
        this.logger.debug(`malformed consensus message from ${from}: ${error.message}`);
        return 'reject';
      }
      throw error;
    }
    const height = message.kind === 'vote' ? message.vote.height : message.proposal.height;
    const current = this.chain.height + 1;
    if (height < current - 1) return 'ignore';
    if (height === current) {
      const signer = message.kind === 'vote' ? message.vote.validator : message.proposal.proposer;
      // Only authorities vote or propose; a peer relaying anything else is misbehaving.
      if (this.validators.length > 0 && !this.validators.includes(signer)) return 'reject';
    }
    if (height > current + 2) {
      const signer = message.kind === 'vote' ? message.vote.validator : message.proposal.proposer;
      // Only an authority's word says we are behind; sync then finds out how far.
      if (this.validators.includes(signer)) this.seenHeight = Math.max(this.seenHeight, height);
      this.requestSync();
      return 'ignore';
    }
    if (TRACE)
      this.logger.debug(
        `recv ${message.kind === 'vote' ? `${message.vote.type} ${message.vote.height}/${message.vote.round} from ${message.vote.validator.slice(0, 6)}` : `proposal ${height}/${message.proposal.round}`}`,
      );
    if (message.kind === 'vote') {
      this.perform(this.engine.onVote(message.vote));
    } else {
      for (const vote of message.polka) this.perform(this.engine.onVote(vote));
      this.perform(this.engine.onProposal(message.proposal, message.block));
    }
    await Promise.resolve();
    return 'accept';
  }

  private async onTransactionGossip(data: Uint8Array): Promise<Verdict> {
    // A node that is behind, or whose pool is full, would verify these only to drop them and
    // verify them again when their blocks arrive: it takes them from the blocks instead, so it
    // catches up rather than falling further behind.
    if (this.seenHeight > this.chain.height + 2) return 'ignore';
    let values: unknown;
    try {
      values = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
    } catch {
      return 'reject';
    }
    if (!Array.isArray(values) || values.length === 0 || values.length > TX_BATCH) return 'reject';
    if (values.length > this.mempool.free) return 'ignore';
    const results = await this.mempool.admitMany(values, 'gossip');
    const forged = results.some(
      (r) =>
        r.status === 'REJECTED' &&
        ['BAD_ENCODING', 'BAD_SIGNATURE', 'WRONG_CHAIN', 'INVALID_PAYLOAD', 'INVALID_GS1'].includes(
          r.code,
        ),
    );
    if (forged) return 'reject';
    return results.some((r) => r.status === 'PENDING') ? 'accept' : 'ignore';
  }

  /** Transactions submitted to this node go to the others in small batches. */
  private queueForGossip(tx: SignedTx): void {
    this.outbox.push(tx);
    if (this.outbox.length >= TX_BATCH) this.flushOutbox();
    else
      this.outboxTimer ??= setTimeout(() => {
        this.flushOutbox();
      }, TX_FLUSH_MS);
  }

  private flushOutbox(): void {
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    this.outboxTimer = undefined;
    const batch = this.outbox.splice(0, TX_BATCH);
    if (batch.length === 0) return;
    this.p2p
      .publish('transactions', new TextEncoder().encode(JSON.stringify(batch)))
      .catch((error: unknown) => {
        this.logger.warn(`could not gossip transactions: ${String(error)}`);
      });
    if (this.outbox.length > 0) this.flushOutbox();
  }

  /** Every second: send own messages again when stuck, and sync when blocks stopped arriving. */
  private tick(): void {
    const now = Date.now();
    if (this.chain.height !== this.lastHeight) {
      this.lastHeight = this.chain.height;
      this.lastProgressAt = now;
      return;
    }
    if (now - this.lastProgressAt >= this.rebroadcastMs) {
      this.lastProgressAt = now;
      this.perform(this.engine.rebroadcast());
    }
    if (now - this.lastCommitAt >= this.syncIdleMs && now - this.lastSyncAt >= this.syncIdleMs) {
      this.lastSyncAt = now;
      this.requestSync();
    }
  }

  private requestSync(): void {
    if (this.syncQueued || this.stopped) return;
    this.syncQueued = true;
    this.enqueue(async () => {
      this.syncQueued = false;
      await this.syncFromPeers();
    });
  }

  /** Asks peers for their head and stores the certified blocks this node lacks. */
  private async syncFromPeers(): Promise<void> {
    const peers = this.p2p.peers().map((p) => p.peerId);
    const start = this.chain.height;
    for (const peer of shuffle(peers)) {
      let status;
      try {
        status = await this.p2p.status(peer);
      } catch {
        continue;
      }
      while (status.height > this.chain.height && !this.stopped) {
        const from = this.chain.height + 1;
        const to = Math.min(status.height, from + SYNC_BATCH - 1);
        let blocks;
        try {
          blocks = await this.p2p.fetchBlocks(peer, from, to);
        } catch (error) {
          this.logger.debug(`sync from ${peer} failed: ${String(error)}`);
          break;
        }
        if (blocks.length === 0) break;
        if (!(await this.storeSynced(peer, blocks))) break;
      }
      if (this.chain.height >= status.height) break;
    }
    // What peers could show is what there is: a claim of a height nobody serves is forgotten.
    this.seenHeight = Math.min(this.seenHeight, this.chain.height);
    if (this.chain.height > start) {
      this.logger.log(`synced blocks ${start + 1}..${this.chain.height}`);
      this.lastCommitAt = Date.now();
      await this.enterHeight();
    }
  }

  /** Checks and stores fetched blocks in order; false when one could not be stored. */
  private async storeSynced(
    peer: string,
    blocks: readonly { header: unknown }[],
  ): Promise<boolean> {
    for (const block of blocks as Parameters<typeof checkCertifiedBlock>[0]['block'][]) {
      if (block.header.height !== this.chain.height + 1) return false;
      const checked = await this.checkSynced(block);
      if (!checked.ok) {
        this.p2p.penalize(
          peer,
          `served block ${block.header.height} that does not verify: ${checked.reason}`,
        );
        return false;
      }
      if (!(await this.storeChecked(checked.finalized))) return false;
    }
    return true;
  }

  private async checkSynced(
    block: Parameters<typeof checkCertifiedBlock>[0]['block'],
  ): Promise<Awaited<ReturnType<typeof checkCertifiedBlock>>> {
    // Outside the try: a failure to read our own state is not the peer's fault.
    const validators = (await this.chain.validators()).map((a) => a.publicKey);
    try {
      return await checkCertifiedBlock({
        chain: this.chain,
        block,
        validators,
        verifier: fastVerifier,
        verifyAsync: fastVerifierAsync,
        pendingBySignature: (signature) => this.mempool.bySignature(signature),
        maxClockSkewMs: this.maxClockSkewMs,
      });
    } catch (error) {
      return { ok: false, reason: isWaybillError(error) ? error.message : String(error) };
    }
  }

  /** False when the disk refused the block (sync is tried again later). */
  private async storeChecked(finalized: FinalizedBlock): Promise<boolean> {
    try {
      await this.chain.commit(finalized);
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      // Not the peer's fault: try again once the disk takes blocks.
      this.later(STORAGE_RETRY_MS, () => {
        this.requestSync();
      });
      return false;
    }
    this.settlePool(finalized);
    return true;
  }
}

/** How often a block the disk refused is tried again. */
const STORAGE_RETRY_MS = 1_000;

function isStorageFault(error: unknown): boolean {
  return error instanceof ChainError && error.code === 'STORAGE_FAULT';
}

/** The round timeouts from the one setting (DEFAULT_TIMEOUTS for the default 1500 ms). */
export function timeoutsFor(proposeMs: number): Timeouts {
  const third = Math.round(proposeMs / 3);
  return { propose: proposeMs, prevote: third, precommit: third, delta: third };
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
