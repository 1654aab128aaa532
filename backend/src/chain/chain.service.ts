/**
 * The block store: opens the chain (writes genesis, or checks the database and resumes), applies a
 * finalized block in one database transaction, and answers chain queries. The only writer of
 * blocks, transactions and state.
 */
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  blockHash,
  txRootItems,
  createGenesisHeader,
  genesisHash,
  validateGenesis,
  verifyCommitCertificate,
  type Block,
  type BlockHeader,
  type CommitCertificate,
  type GenesisConfig,
} from '@waybill/shared/block';
import { merkleRoot, inclusionProofs, type InclusionProof } from '@waybill/shared/merkle';
import {
  authoritiesAt,
  EVENT_TYPES,
  genesisChanges,
  stateChangeHash,
  type AppliedTx,
  type Authority,
  type StateChange,
} from '@waybill/shared/state';
import type { RejectionCode } from '@waybill/shared/errors';
import type { SignedTx } from '@waybill/shared/tx';
import type { DataSource, EntityManager } from 'typeorm';
import { NODE_CONFIG, NODE_STARTUP, type NodeStartup } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
import { READER } from '../storage/storage.module.js';
import { WriteQueue } from '../storage/write-queue.js';
import { ChainError } from './errors.js';
import { SqliteState } from './sqlite-state.js';

/** Blocks whose transactions' proofs are kept. */
const PROOF_CACHE_BLOCKS = 16;

export interface FinalizedBlock {
  block: Block<SignedTx>;
  hash: string;
  txHashes: string[];
  /** The refusals the block records (its `refused`), with this node's execution's reasons. */
  refusals: readonly RecordedRefusal[];
  changes: StateChange[];
  /** `stateChangeHash` of each change, when the execution computed them already. */
  leaves?: readonly string[];
  applied: AppliedTx[];
}

/** A transaction a final block refused, with why. */
export interface RecordedRefusal {
  tx: SignedTx;
  hash: string;
  code: RejectionCode;
  message: string;
  path?: string;
}

/** A recorded refusal as stored: where it is final. */
export interface StoredRefusal extends RecordedRefusal {
  height: number;
  position: number;
}

export interface StoredTx {
  tx: SignedTx;
  hash: string;
  height: number;
  position: number;
}

/** `commitMs`: how long the block's database transaction took (metrics). */
export interface StoredBlock {
  header: BlockHeader;
  hash: string;
  commit: CommitCertificate;
  txCount: number;
}

export type BlockListener = (block: FinalizedBlock, commitMs: number) => void;

/**
 * The database refused a block's write (a full disk, an I/O error): nothing of the block was
 * stored, and none will be until a retry succeeds. /readyz and the logs report it.
 */
export interface StorageFault {
  code: 'STORAGE_FULL' | 'STORAGE_WRITE_FAILED';
  /** The block that could not be stored. */
  height: number;
  /** The database's own words. */
  message: string;
  since: Date;
}

@Injectable()
export class ChainService implements OnModuleInit {
  private readonly logger = new Logger('chain');
  private readonly genesisConfig: GenesisConfig;
  private head!: BlockHeader;
  private currentHeadHash!: string;
  private readonly listeners = new Set<BlockListener>();
  /** Proofs of recently asked-about blocks (final blocks never change). */
  private readonly proofCache = new Map<number, InclusionProof[]>();
  readonly state: SqliteState;
  /** True once the database is open and the chain checked: /readyz reads it. */
  ready = false;
  /** Set while blocks cannot be written; cleared by the next block stored. */
  storageFault: StorageFault | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(READER) private readonly reader: DataSource,
    private readonly writes: WriteQueue,
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(NODE_STARTUP) private readonly startup: NodeStartup,
  ) {
    this.state = new SqliteState(reader);
    this.genesisConfig = loadGenesis(config.genesisFile);
  }

  async onModuleInit(): Promise<void> {
    await this.db.query(
      process.env.WAYBILL_NOFSYNC === '1'
        ? 'PRAGMA synchronous = OFF'
        : 'PRAGMA synchronous = FULL',
    );
    const rows: { header: string; hash: string }[] = await this.reader.query(
      'SELECT header, hash FROM blocks ORDER BY height DESC LIMIT 1',
    );
    if (rows[0] === undefined) await this.writeGenesis();
    else await this.resume(JSON.parse(rows[0].header) as BlockHeader, rows[0].hash);
    this.ready = true;
  }

  get genesis(): GenesisConfig {
    return this.genesisConfig;
  }

  get genesisHash(): string {
    return genesisHash(this.genesisConfig);
  }

  get height(): number {
    return this.head.height;
  }

  get headHeader(): BlockHeader {
    return this.head;
  }

  /** `blockHash` of the head block (the genesis hash on a new chain). */
  get headHash(): string {
    return this.currentHeadHash;
  }

  onFinalized(listener: BlockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async validators(): Promise<Authority[]> {
    return (await this.state.get('authorities', 'current'))?.authorities ?? [];
  }

  /** Writes a finalized block, its transactions, certificate, state changes and indexes at once. */
  async commit(finalized: FinalizedBlock): Promise<void> {
    const { block, hash, txHashes, changes, leaves, applied, refusals } = finalized;
    let commitMs = 0;
    await this.writes.run(async () => {
      if (
        block.header.height !== this.head.height + 1 ||
        block.header.prevHash !== this.currentHeadHash
      ) {
        throw new ChainError(
          'OUT_OF_ORDER',
          `block ${block.header.height} does not extend the head at ${this.head.height}`,
        );
      }
      const started = performance.now();
      try {
        await this.inTransaction(async (m) => {
          await this.insertBlock(m, block.header, hash, block.commit, block.txs.length);
          await this.insertTxs(m, block.header.height, block.txs, txHashes);
          await this.insertRefusals(m, block.header.height, refusals);
          await this.insertChanges(m, block.header.height, changes, leaves);
          await this.tagSignerOrgs(m, block.header.height);
          await this.insertEvents(m, block.header.height, block.txs, applied);
        });
      } catch (error) {
        throw this.storageFailed(block.header.height, error);
      }
      commitMs = performance.now() - started;
      this.storageRecovered(block.header.height);
      this.state.applied(
        changes,
        refusals.length === 0 ? txHashes : [...txHashes, ...refusals.map((r) => r.hash)],
      );
      this.head = block.header;
      this.currentHeadHash = hash;
    });
    for (const listener of this.listeners) {
      try {
        listener(finalized, commitMs);
      } catch (error) {
        this.logger.error(`a block listener failed: ${String(error)}`);
      }
    }
  }

  async blockAt(height: number): Promise<StoredBlock | undefined> {
    const rows: { header: string; hash: string; commit: string; txCount: number }[] =
      await this.reader.query(
        'SELECT header, hash, "commit", txCount FROM blocks WHERE height = ?',
        [height],
      );
    return rows[0] && parseBlockRow(rows[0]);
  }

  async blockByHash(hash: string): Promise<StoredBlock | undefined> {
    const rows: { header: string; hash: string; commit: string; txCount: number }[] =
      await this.reader.query('SELECT header, hash, "commit", txCount FROM blocks WHERE hash = ?', [
        hash,
      ]);
    return rows[0] && parseBlockRow(rows[0]);
  }

  /** Blocks below `before` (exclusive), newest first. */
  async blocksBefore(before: number, limit: number): Promise<StoredBlock[]> {
    const rows: { header: string; hash: string; commit: string; txCount: number }[] =
      await this.reader.query(
        'SELECT header, hash, "commit", txCount FROM blocks WHERE height < ? ORDER BY height DESC LIMIT ?',
        [before, limit],
      );
    return rows.map(parseBlockRow);
  }

  async txsOfBlock(height: number): Promise<StoredTx[]> {
    const rows: TxQueryRow[] = await this.reader.query(
      'SELECT hash, height, position, body FROM transactions WHERE height = ? ORDER BY position',
      [height],
    );
    return rows.map(parseTxRow);
  }

  /** The hashes of a block's transactions, in order (no bodies decoded). */
  async txHashesOfBlock(height: number): Promise<string[]> {
    const rows: { hash: string }[] = await this.reader.query(
      'SELECT hash FROM transactions WHERE height = ? ORDER BY position',
      [height],
    );
    return rows.map((row) => row.hash);
  }

  /** The refusals block `height` records, in order. */
  async refusalsOfBlock(height: number): Promise<StoredRefusal[]> {
    const rows: RefusalQueryRow[] = await this.reader.query(
      'SELECT hash, height, position, code, message, path, body FROM refusals WHERE height = ? ORDER BY position',
      [height],
    );
    return rows.map(parseRefusalRow);
  }

  /** Where a transaction was refused for good, if it was. */
  async refusal(hash: string): Promise<StoredRefusal | undefined> {
    const rows: RefusalQueryRow[] = await this.reader.query(
      'SELECT hash, height, position, code, message, path, body FROM refusals WHERE hash = ?',
      [hash],
    );
    return rows[0] && parseRefusalRow(rows[0]);
  }

  /** The items of block `height`'s txRoot: its transactions' hashes, then its refusals'. */
  async txRootItemsOf(height: number): Promise<string[]> {
    const [hashes, refusals] = await Promise.all([
      this.txHashesOfBlock(height),
      this.refusalsOfBlock(height),
    ]);
    return txRootItems(hashes, refusals);
  }

  async tx(hash: string): Promise<StoredTx | undefined> {
    const rows: TxQueryRow[] = await this.reader.query(
      'SELECT hash, height, position, body FROM transactions WHERE hash = ?',
      [hash],
    );
    return rows[0] && parseTxRow(rows[0]);
  }

  /**
   * The proof of the transaction at `position` of block `height`. Every proof of a block comes
   * from one tree, kept for the last few blocks asked about: a block page asks for all of them.
   */
  async inclusionProofOf(at: { height: number; position: number }): Promise<InclusionProof> {
    let proofs = this.proofCache.get(at.height);
    if (!proofs) {
      proofs = inclusionProofs(await this.txRootItemsOf(at.height));
      this.proofCache.set(at.height, proofs);
      if (this.proofCache.size > PROOF_CACHE_BLOCKS) {
        const oldest = this.proofCache.keys().next();
        if (oldest.done !== true) this.proofCache.delete(oldest.value);
      }
    }
    const proof = proofs[at.position];
    if (!proof) {
      throw new ChainError(
        'CORRUPT_DATABASE',
        `block ${at.height} has no transaction at position ${at.position}`,
      );
    }
    return proof;
  }

  /** Blocks and transactions finalized since `sinceIso` (block timestamps). */
  async finalizedSince(sinceIso: string): Promise<{ blocks: number; transactions: number }> {
    const rows: { blocks: number; transactions: number | null }[] = await this.reader.query(
      'SELECT COUNT(*) AS blocks, SUM(txCount) AS transactions FROM blocks WHERE height > 0 AND timestamp >= ?',
      [sinceIso],
    );
    return { blocks: rows[0]?.blocks ?? 0, transactions: rows[0]?.transactions ?? 0 };
  }

  /**
   * Blocks and transactions finalized since `sinceIso`, per minute of block time (`minute` is
   * `YYYY-MM-DDTHH:MM`); minutes without a block are absent. One range scan of the covering index
   * on `(timestamp, txCount)`.
   */
  async finalizedPerMinute(
    sinceIso: string,
  ): Promise<{ minute: string; blocks: number; transactions: number }[]> {
    return this.reader.query(
      `SELECT substr(timestamp, 1, 16) AS minute, COUNT(*) AS blocks, SUM(txCount) AS transactions
       FROM blocks WHERE timestamp >= ? AND height > 0 GROUP BY minute ORDER BY minute`,
      [sinceIso],
    );
  }

  /**
   * Transactions signed by the member keys of an organization, newest first, `limit` at most,
   * strictly older than `before` (a height and position) when given. Walks the `(org, height,
   * position)` index.
   */
  /** Final transactions of the whole chain, newest first, below the cursor when given. */
  async latestTxs(
    limit: number,
    before?: { height: number; position: number },
  ): Promise<StoredTx[]> {
    const rows: TxQueryRow[] = await this.reader.query(
      before === undefined
        ? 'SELECT hash, height, position, body FROM transactions ORDER BY height DESC, position DESC LIMIT ?'
        : `SELECT hash, height, position, body FROM transactions
           WHERE (height, position) < (?, ?)
           ORDER BY height DESC, position DESC LIMIT ?`,
      before === undefined ? [limit] : [before.height, before.position, limit],
    );
    return rows.map(parseTxRow);
  }

  async txsOfOrg(
    orgId: string,
    limit: number,
    before?: { height: number; position: number },
  ): Promise<StoredTx[]> {
    const rows: TxQueryRow[] = await this.reader.query(
      before === undefined
        ? `SELECT hash, height, position, body FROM transactions WHERE org = ?
           ORDER BY height DESC, position DESC LIMIT ?`
        : // A row value, so that the cursor is a range of the index, not a filter over it.
          `SELECT hash, height, position, body FROM transactions
           WHERE org = ? AND (height, position) < (?, ?)
           ORDER BY height DESC, position DESC LIMIT ?`,
      before === undefined ? [orgId, limit] : [orgId, before.height, before.position, limit],
    );
    return rows.map(parseTxRow);
  }

  /**
   * For each validator that signed a commit certificate of a block above `height`: the highest
   * such block and its timestamp.
   */
  async lastSignedAbove(
    height: number,
  ): Promise<{ validator: string; height: number; timestamp: string }[]> {
    return this.reader.query(
      `SELECT v.validator, v.height, b.timestamp FROM (
         SELECT json_extract(s.value, '$.validator') AS validator, MAX(c.height) AS height
         FROM blocks c, json_each(c."commit", '$.signatures') s
         WHERE c.height > ? GROUP BY validator
       ) v JOIN blocks b ON b.height = v.height`,
      [height],
    );
  }

  /**
   * The events that touched a thing, in chain order, each with its block's hash. One statement:
   * a history of fifty events read as one transaction and one block lookup each was a hundred
   * round trips through the driver's thread pool, queued behind a busy node's block writes and
   * signature checks (and each could see a different block).
   */
  async historyOf(epc: string): Promise<(StoredTx & { blockHash: string })[]> {
    const rows: (TxQueryRow & { blockHash: string })[] = await this.reader.query(
      `SELECT t.hash, t.height, t.position, t.body, b.hash AS blockHash
       FROM thing_events e
       JOIN transactions t ON t.hash = e.txHash
       JOIN blocks b ON b.height = t.height
       WHERE e.epc = ? ORDER BY e.seq`,
      [epc],
    );
    return rows.map((row) => ({ ...parseTxRow(row), blockHash: row.blockHash }));
  }

  /** The hashes of the blocks at `heights` (those stored), in as few queries as it takes. */
  async blockHashesAt(heights: Iterable<number>): Promise<Map<number, string>> {
    const wanted = [...new Set(heights)];
    const found = new Map<number, string>();
    for (let i = 0; i < wanted.length; i += MAX_VARIABLES) {
      const chunk = wanted.slice(i, i + MAX_VARIABLES);
      const rows: { height: number; hash: string }[] = await this.reader.query(
        `SELECT height, hash FROM blocks WHERE height IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of rows) found.set(row.height, row.hash);
    }
    return found;
  }

  private async writeGenesis(): Promise<void> {
    const header = createGenesisHeader(this.genesisConfig);
    const hash = blockHash(header);
    const changes = genesisChanges(this.genesisConfig.authorities);
    await this.writes.run(() =>
      this.inTransaction(async (m) => {
        await this.insertBlock(
          m,
          header,
          hash,
          { height: 0, round: 0, blockHash: hash, signatures: [] },
          0,
        );
        await this.insertChanges(m, 0, changes);
      }),
    );
    this.state.applied(changes);
    this.head = header;
    this.currentHeadHash = hash;
    this.logger.log(`new chain ${this.genesisConfig.chainId}, genesis ${hash}`);
  }

  /** Refuses another chain's database, a corrupt file or a head that does not check out. */
  private async resume(header: BlockHeader, hash: string): Promise<void> {
    const genesisRow = await this.blockAt(0);
    const expected = blockHash(createGenesisHeader(this.genesisConfig));
    if (genesisRow?.hash !== expected) {
      throw new ChainError(
        'WRONG_GENESIS',
        `the database in ${this.config.dataDir} belongs to another chain (genesis ${genesisRow?.hash ?? 'missing'}, expected ${expected}); point WAYBILL_DATA_DIR elsewhere or remove it`,
      );
    }
    await this.checkIntegrity();
    if (blockHash(header) !== hash)
      throw new ChainError(
        'CORRUPT_DATABASE',
        `the stored head ${header.height} does not hash to its recorded hash`,
      );
    if (header.height > 0) {
      if (merkleRoot(await this.txRootItemsOf(header.height)) !== header.txRoot) {
        throw new ChainError(
          'CORRUPT_DATABASE',
          `the transactions of block ${header.height} do not match its txRoot`,
        );
      }
      const stored = await this.blockAt(header.height);
      const validators = (await this.validatorsAt(header.height)).map((a) => a.publicKey);
      const check = verifyCommitCertificate({
        certificate: stored?.commit as CommitCertificate,
        chainId: header.chainId,
        validators,
        header,
      });
      if (!check.ok)
        throw new ChainError(
          'CORRUPT_DATABASE',
          `the certificate of block ${header.height} does not verify: ${check.reason}`,
        );
    }
    this.head = header;
    this.currentHeadHash = hash;
    this.logger.log(`resumed chain ${header.chainId} at height ${header.height}`);
  }

  /**
   * SQLite's check of every page, unless the file is untouched since this node's last clean stop
   * (clean-close.ts): on a long chain the scan is most of a restart.
   */
  private async checkIntegrity(): Promise<void> {
    if (this.config.integrityCheck === 'auto' && this.startup.lastStopClean) {
      this.logger.log('the database is as the last clean stop left it: page scan skipped');
      return;
    }
    const started = performance.now();
    const integrity: { integrity_check: string }[] = await this.db.query('PRAGMA integrity_check');
    if (integrity[0]?.integrity_check !== 'ok') {
      throw new ChainError(
        'CORRUPT_DATABASE',
        `SQLite integrity check failed: ${integrity.map((r) => r.integrity_check).join('; ')}`,
      );
    }
    this.logger.log(
      `integrity check of every page: ok in ${Math.round(performance.now() - started)} ms`,
    );
  }

  /**
   * The authority set that certifies `height`. The current set applies to the next block; for the
   * head block, the set before its own votes is needed: replay from the recorded history.
   */
  async validatorsAt(height: number): Promise<Authority[]> {
    const set = await this.state.get('authorities', 'current');
    return set ? authoritiesAt(set, height) : [];
  }

  /**
   * Runs `work` in one SQLite transaction on the writer's connection, or not at all. Written out
   * rather than TypeORM's `transaction()`: when the disk is full SQLite has already rolled back by
   * itself, TypeORM's own ROLLBACK then fails and leaves its transaction depth off by one, and every
   * later block would be written inside a savepoint.
   */
  private async inTransaction(work: (m: EntityManager) => Promise<void>): Promise<void> {
    await this.db.query('BEGIN IMMEDIATE');
    try {
      await work(this.db.manager);
      await this.db.query('COMMIT');
    } catch (error) {
      // "no transaction is active" when SQLite rolled back already (SQLITE_FULL, SQLITE_IOERR).
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Records and logs (once per fault) a block the database refused; returns the error to throw. */
  private storageFailed(height: number, error: unknown): ChainError {
    const message = error instanceof Error ? error.message : String(error);
    const code = /SQLITE_FULL|disk is full|ENOSPC/i.test(message)
      ? 'STORAGE_FULL'
      : 'STORAGE_WRITE_FAILED';
    if (this.storageFault === undefined) {
      this.storageFault = { code, height, message, since: new Date() };
      this.logger.error(
        `${code}: block ${height} was not stored (nothing of it was written): ${message}. ` +
          `${code === 'STORAGE_FULL' ? `Free space for ${this.config.dataDir}` : `Check the disk that holds ${this.config.dataDir}`}; ` +
          'the node stops applying blocks, answers 503 on /readyz, retries and resumes by itself.',
      );
    } else {
      this.storageFault = { ...this.storageFault, code, height, message };
    }
    return new ChainError('STORAGE_FAULT', `block ${height} could not be stored: ${message}`);
  }

  private storageRecovered(height: number): void {
    const fault = this.storageFault;
    if (fault === undefined) return;
    this.storageFault = undefined;
    this.logger.log(
      `storage recovered: block ${height} stored after ${Math.round((Date.now() - fault.since.getTime()) / 1000)} s of ${fault.code}`,
    );
  }

  private async insertBlock(
    m: EntityManager,
    header: BlockHeader,
    hash: string,
    commit: CommitCertificate,
    txCount: number,
  ): Promise<void> {
    await m.query(
      'INSERT INTO blocks (height, hash, timestamp, proposer, txCount, header, "commit") VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        header.height,
        hash,
        header.timestamp,
        header.proposer,
        txCount,
        JSON.stringify(header),
        JSON.stringify(commit),
      ],
    );
  }

  private async insertTxs(
    m: EntityManager,
    height: number,
    txs: readonly SignedTx[],
    hashes: readonly string[],
  ): Promise<void> {
    await insertRows(
      m,
      'INSERT INTO transactions (hash, height, position, type, signer, body) VALUES',
      txs.map((tx, position) => [
        hashes[position],
        height,
        position,
        tx.type,
        tx.signer,
        JSON.stringify(tx),
      ]),
    );
  }

  private async insertRefusals(
    m: EntityManager,
    height: number,
    refusals: readonly RecordedRefusal[],
  ): Promise<void> {
    if (refusals.length === 0) return;
    await insertRows(
      m,
      'INSERT INTO refusals (hash, height, position, code, message, path, body) VALUES',
      refusals.map((r, position) => [
        r.hash,
        height,
        position,
        r.code,
        r.message,
        r.path ?? null,
        JSON.stringify(r.tx),
      ]),
    );
  }

  private async insertChanges(
    m: EntityManager,
    height: number,
    changes: readonly StateChange[],
    leaves?: readonly string[],
  ): Promise<void> {
    // A block's net changes hold each record once, so one statement may upsert them all.
    await insertRows(
      m,
      'INSERT INTO state_records (kind, key, value, height) VALUES',
      changes.map((change) => [change.kind, change.key, JSON.stringify(change.value), height]),
      'ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value, height = excluded.height',
    );
    await insertRows(
      m,
      'INSERT INTO block_changes (height, position, kind, key, leaf) VALUES',
      changes.map((change, position) => [
        height,
        position,
        change.kind,
        change.key,
        leaves?.[position] ?? stateChangeHash(change),
      ]),
    );
  }

  /**
   * Records on each transaction of the block the organization of its signer (null for an
   * authority). After the block's state changes, so a key added earlier in the same block counts.
   */
  private async tagSignerOrgs(m: EntityManager, height: number): Promise<void> {
    await m.query(
      `UPDATE transactions SET org = (
         SELECT json_extract(r.value, '$.orgId') FROM state_records r
         WHERE r.kind = 'member' AND r.key = transactions.signer)
       WHERE height = ?`,
      [height],
    );
  }

  /** Each event's things, numbered per thing in chain order (`seq` counts from 0). */
  private async insertEvents(
    m: EntityManager,
    height: number,
    txs: readonly SignedTx[],
    applied: readonly AppliedTx[],
  ): Promise<void> {
    const events: { epc: string; hash: string }[] = [];
    for (const [position, entry] of applied.entries()) {
      const tx = txs[position];
      if (!tx || !EVENT_TYPES.has(tx.type)) continue;
      for (const epc of entry.subjects) events.push({ epc, hash: entry.hash });
    }
    if (events.length === 0) return;
    const next = new Map<string, number>();
    const epcs = [...new Set(events.map((e) => e.epc))];
    for (let i = 0; i < epcs.length; i += MAX_VARIABLES) {
      const chunk = epcs.slice(i, i + MAX_VARIABLES);
      const rows: { epc: string; count: number }[] = await m.query(
        `SELECT epc, COUNT(*) AS count FROM thing_events WHERE epc IN (${chunk.map(() => '?').join(', ')}) GROUP BY epc`,
        chunk,
      );
      for (const row of rows) next.set(row.epc, row.count);
    }
    await insertRows(
      m,
      'INSERT INTO thing_events (epc, seq, txHash, height) VALUES',
      events.map(({ epc, hash }) => {
        const seq = next.get(epc) ?? 0;
        next.set(epc, seq + 1);
        return [epc, seq, hash, height];
      }),
    );
  }
}

/** Bound parameters per statement: well below SQLite's limit (32,766 since 3.32). */
const MAX_VARIABLES = 30_000;

/**
 * Inserts rows with as few statements as the parameter limit allows: one round trip to the
 * driver's thread per few thousand rows instead of one per row.
 */
async function insertRows(
  m: EntityManager,
  insert: string,
  rows: readonly (readonly unknown[])[],
  suffix = '',
): Promise<void> {
  const width = rows[0]?.length ?? 0;
  if (width === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / width));
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await m.query(
      `${insert} ${new Array<string>(chunk.length).fill(tuple).join(', ')} ${suffix}`,
      chunk.flat(),
    );
  }
}

interface TxQueryRow {
  hash: string;
  height: number;
  position: number;
  body: string;
}

interface RefusalQueryRow {
  hash: string;
  height: number;
  position: number;
  code: string;
  message: string;
  path: string | null;
  body: string;
}

function parseRefusalRow(row: RefusalQueryRow): StoredRefusal {
  return {
    hash: row.hash,
    height: row.height,
    position: row.position,
    code: row.code as RejectionCode,
    message: row.message,
    ...(row.path !== null && { path: row.path }),
    tx: JSON.parse(row.body) as SignedTx,
  };
}

function parseTxRow(row: TxQueryRow): StoredTx {
  return {
    hash: row.hash,
    height: row.height,
    position: row.position,
    tx: JSON.parse(row.body) as SignedTx,
  };
}

function parseBlockRow(row: {
  header: string;
  hash: string;
  commit: string;
  txCount?: number;
}): StoredBlock {
  return {
    header: JSON.parse(row.header) as BlockHeader,
    hash: row.hash,
    commit: JSON.parse(row.commit) as CommitCertificate,
    txCount: row.txCount ?? 0,
  };
}

function loadGenesis(file: string): GenesisConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ChainError(
      'NO_GENESIS',
      `cannot read the genesis file ${file}; create one with \`waybill init\` or set WAYBILL_GENESIS`,
    );
  }
  try {
    return validateGenesis(JSON.parse(text));
  } catch (error) {
    throw new ChainError(
      'BAD_GENESIS',
      `the genesis file ${file} is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
