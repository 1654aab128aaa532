/**
 * Quorum of one: this node is the chain's only authority. It makes a block when transactions wait
 * (at most one block interval after the first arrives) or, with nothing to do, a heartbeat block;
 * executes it with the shared state machine, certifies it with its own precommit and commits it.
 */
import { Logger } from '@nestjs/common';
import {
  blockHash,
  createCommitCertificate,
  proposerFor,
  quorum,
  signVote,
  validatorsHash,
  type BlockHeader,
} from '@waybill/shared/block';
import { merkleRoot } from '@waybill/shared/merkle';
import { executeTxs } from '@waybill/shared/state';
import type { SignedTx } from '@waybill/shared/tx';
import type { ChainService } from '../chain/chain.service.js';
import type { NodeConfig } from '../config/node-config.js';
import type { MempoolService } from '../mempool/mempool.service.js';
import type { AuthorityKey } from './authority-key.js';
import type { ConsensusEngine } from './engine.js';

export class SingleAuthorityEngine implements ConsensusEngine {
  readonly mode = 'authority' as const;
  private readonly logger = new Logger('consensus');
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private outgrown = false;
  private producing: Promise<void> | undefined;
  private stopped = false;
  private lastBlockAt = Date.now();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly chain: ChainService,
    private readonly mempool: MempoolService,
    private readonly key: AuthorityKey,
    private readonly config: NodeConfig,
  ) {}

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.mempool.onAdmitted(() => {
      this.schedule(this.config.blockIntervalMs);
    });
    this.schedule(this.mempool.size > 0 ? 0 : this.config.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.producing;
  }

  /** Wakes up after `delayMs` unless an earlier wake-up is already set. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.dueAt <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One block at a time: the running production schedules the next wake-up when it ends.
      if (this.producing) return;
      this.producing = this.produce().finally(() => {
        this.producing = undefined;
        const idle = this.mempool.size === 0;
        this.schedule(
          idle
            ? Math.max(0, this.config.heartbeatMs - (Date.now() - this.lastBlockAt))
            : this.config.blockIntervalMs,
        );
      });
    }, delayMs);
  }

  private async produce(): Promise<void> {
    const pending = this.mempool.take(this.config.maxBlockTxs);
    const heartbeatDue = Date.now() - this.lastBlockAt >= this.config.heartbeatMs;
    if (pending.length === 0 && !heartbeatDue) return;
    try {
      await this.makeBlock(pending);
    } catch (error) {
      this.logger.error(
        `block production failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private async makeBlock(pending: { tx: SignedTx; hash: string }[]): Promise<void> {
    const parent = this.chain.headHeader;
    const height = parent.height + 1;
    // Strictly increasing timestamps even if the clock steps back.
    const timestamp = new Date(
      Math.max(Date.now(), Date.parse(parent.timestamp) + 1),
    ).toISOString();
    const validators = (await this.chain.validators()).map((a) => a.publicKey);
    if (quorum(validators.length) > 1 || !validators.includes(this.key.publicKey)) {
      // The authorities voted the set beyond a quorum of one: blocks now need the BFT network.
      if (!this.outgrown) {
        this.outgrown = true;
        this.logger.warn(
          `the chain now has ${validators.length} authorities; a single-authority node cannot certify blocks alone and stops producing`,
        );
      }
      return;
    }
    const execution = await executeTxs(
      this.chain.state,
      pending.map((p) => p.tx),
      {
        chainId: parent.chainId,
        height,
        timestamp,
        prevStateRoot: parent.stateRoot,
        signaturesVerified: true,
        hashes: pending.map((p) => p.hash),
      },
    );
    for (const rejected of execution.rejected) {
      const entry = pending[rejected.index];
      if (entry)
        this.mempool.reject(entry.hash, {
          code: rejected.code,
          message: rejected.message,
          ...(rejected.path !== undefined && { path: rejected.path }),
        });
    }
    const rejectedIndexes = new Set(execution.rejected.map((r) => r.index));
    const included = pending.filter((_, i) => !rejectedIndexes.has(i));
    const txHashes = included.map((p) => p.hash);
    const header: BlockHeader = {
      chainId: parent.chainId,
      height,
      round: 0,
      timestamp,
      prevHash: blockHash(parent),
      txRoot: merkleRoot(txHashes),
      stateRoot: execution.stateRoot,
      validatorsHash: validatorsHash(validators),
      proposer: proposerFor({ validators, height, round: 0 }),
    };
    const hash = blockHash(header);
    const vote = signVote(
      {
        type: 'precommit',
        chainId: parent.chainId,
        height,
        round: 0,
        blockHash: hash,
        validator: this.key.publicKey,
      },
      this.key.secretKey,
    );
    const commit = createCommitCertificate({
      chainId: parent.chainId,
      height,
      round: 0,
      blockHash: hash,
      votes: [vote],
      validators,
    });
    await this.chain.commit({
      block: { header, txs: included.map((p) => p.tx), commit },
      hash,
      txHashes,
      changes: execution.changes,
      applied: execution.applied,
    });
    this.mempool.remove(txHashes);
    this.lastBlockAt = Date.now();
    if (included.length > 0 || execution.rejected.length > 0) {
      this.logger.log(
        `block ${height}: ${included.length} txs, ${execution.rejected.length} rejected`,
      );
    }
  }
}

/** A node without the authority key of a quorum-of-one chain serves what it has and makes nothing. */
export class ObserverEngine implements ConsensusEngine {
  readonly mode = 'observer' as const;

  start(): void {
    // Following other nodes arrives with the p2p module (issue 4).
  }

  async stop(): Promise<void> {
    // Nothing to stop.
  }
}
