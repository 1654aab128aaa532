/**
 * The provenance bundle's lookups ({@link BundleSource} of `@waybill/shared/bundle`) answered from
 * SQLite, as `TestChain.bundleSource()` answers them from memory: a thing's latest record with its
 * Merkle proof from `block_changes`, transactions with their inclusion proofs, and the context
 * transactions (identities, products, locations, authority votes) from `transactions`.
 *
 * Reads only. The sqlite driver shares one connection with the block writer, so a read may see a
 * block that is still being written. Everything here is therefore bounded by `asOf`, a height
 * known to be committed; a thing record written above it makes the source wait for the writer and
 * move `asOf` up, so a bundle never mixes a half-written block into its proofs.
 */
import {
  txRootItems,
  type BlockHeader,
  type CommitCertificate,
  type GenesisConfig,
} from '@waybill/shared/block';
import type { BundleBlock, BundleRecord, BundleSource, BundleTx } from '@waybill/shared/bundle';
import { inclusionProof, merkleRoot } from '@waybill/shared/merkle';
import { stateChangeHash, type StateChange, type Thing } from '@waybill/shared/state';
import type { SignedTx } from '@waybill/shared/tx';

/** What the source needs of the database: parameterized reads. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface SqliteBundleSourceOptions {
  db: Queryable;
  genesis: GenesisConfig;
  /** Height of the last block whose database transaction has committed. */
  committedHeight: () => number;
  /** Resolves once the block being written (if any) has committed. */
  settled: () => Promise<void>;
}

/** How often a record that keeps moving ahead of the committed head is re-read. */
const MAX_RETRIES = 5;

export class SqliteBundleSource implements BundleSource {
  private asOf: number;

  constructor(private readonly options: SqliteBundleSourceOptions) {
    this.asOf = options.committedHeight();
  }

  genesis(): GenesisConfig {
    return this.options.genesis;
  }

  async block(height: number): Promise<BundleBlock | undefined> {
    if (height > this.asOf) return undefined;
    const rows = await this.rows<{ header: string; commit: string }>(
      'SELECT header, "commit" FROM blocks WHERE height = ?',
      [height],
    );
    const row = rows[0];
    return (
      row && {
        header: JSON.parse(row.header) as BlockHeader,
        commit: JSON.parse(row.commit) as CommitCertificate,
      }
    );
  }

  async tx(hash: string): Promise<BundleTx | undefined> {
    const rows = await this.rows<{ height: number; position: number; body: string }>(
      'SELECT height, position, body FROM transactions WHERE hash = ? AND height <= ?',
      [hash, this.asOf],
    );
    const row = rows[0];
    if (!row) return undefined;
    const hashes = await this.rows<{ hash: string }>(
      'SELECT hash FROM transactions WHERE height = ? ORDER BY position',
      [row.height],
    );
    const refusals = await this.rows<{ hash: string; code: string }>(
      'SELECT hash, code FROM refusals WHERE height = ? ORDER BY position',
      [row.height],
    );
    return {
      tx: JSON.parse(row.body) as SignedTx,
      height: row.height,
      proof: inclusionProof(
        txRootItems(
          hashes.map((h) => h.hash),
          refusals,
        ),
        row.position,
      ),
    };
  }

  async thingRecord(epc: string): Promise<BundleRecord | undefined> {
    for (let attempt = 0; ; attempt++) {
      const rows = await this.rows<{ value: string; height: number }>(
        "SELECT value, height FROM state_records WHERE kind = 'thing' AND key = ?",
        [epc],
      );
      const row = rows[0];
      if (row && row.height > this.asOf) {
        // Written by a block that is not committed yet (or was committed since `asOf`).
        if (attempt >= MAX_RETRIES)
          throw new Error(`the record of ${epc} keeps moving ahead of the committed head`);
        await this.options.settled();
        this.asOf = Math.max(this.asOf, this.options.committedHeight());
        continue;
      }
      return row && this.prove(epc, JSON.parse(row.value) as Thing, row.height);
    }
  }

  async authorityVotes(): Promise<string[]> {
    return this.hashes(
      "SELECT hash FROM transactions WHERE type = 'authority.vote' AND height <= ? ORDER BY height, position",
      [this.asOf],
    );
  }

  async identityTxs(publicKey: string): Promise<string[]> {
    const joined = await this.hashes(
      `SELECT hash FROM transactions
       WHERE ((type = 'org.register' AND json_extract(body, '$.payload.admin') = ?)
           OR (type = 'member.add' AND json_extract(body, '$.payload.publicKey') = ?))
         AND height <= ?
       ORDER BY height, position`,
      [publicKey, publicKey, this.asOf],
    );
    const members = await this.rows<{ orgId: string | null }>(
      "SELECT json_extract(value, '$.orgId') AS orgId FROM state_records WHERE kind = 'member' AND key = ?",
      [publicKey],
    );
    const orgId = members[0]?.orgId;
    const org =
      orgId === undefined || orgId === null
        ? []
        : await this.hashes(
            `SELECT hash FROM transactions
             WHERE type IN ('org.register', 'org.update') AND json_extract(body, '$.payload.orgId') = ?
               AND height <= ?
             ORDER BY height, position`,
            [orgId, this.asOf],
          );
    return [...new Set([...joined, ...org])];
  }

  async productTxs(gtin: string): Promise<string[]> {
    const defined = await this.hashes(
      `SELECT hash FROM transactions
       WHERE type IN ('product.define', 'recall.issue') AND json_extract(body, '$.payload.gtin') = ?
         AND height <= ?
       ORDER BY height, position`,
      [gtin, this.asOf],
    );
    const out: string[] = [];
    for (const hash of defined) {
      out.push(hash);
      out.push(
        ...(await this.hashes(
          `SELECT hash FROM transactions
           WHERE type = 'recall.close' AND json_extract(body, '$.payload.recall') = ? AND height <= ?
           ORDER BY height, position`,
          [hash, this.asOf],
        )),
      );
    }
    return out;
  }

  async locationTxs(gln: string): Promise<string[]> {
    return this.hashes(
      `SELECT hash FROM transactions
       WHERE type IN ('location.define', 'location.update') AND json_extract(body, '$.payload.gln') = ?
         AND height <= ?
       ORDER BY height, position`,
      [gln, this.asOf],
    );
  }

  /** The record as block `height` wrote it, with its proof against that block's state root. */
  private async prove(epc: string, thing: Thing, height: number): Promise<BundleRecord> {
    const changes = await this.rows<{ kind: string; key: string; leaf: string }>(
      'SELECT kind, key, leaf FROM block_changes WHERE height = ? ORDER BY position',
      [height],
    );
    const at = changes.findIndex((c) => c.kind === 'thing' && c.key === epc);
    const change: StateChange = { kind: 'thing', key: epc, value: thing };
    if (at < 0 || changes[at]?.leaf !== stateChangeHash(change)) {
      throw new Error(
        `the stored record of ${epc} is not the change block ${height} recorded for it`,
      );
    }
    const previous = await this.rows<{ header: string }>(
      'SELECT header FROM blocks WHERE height = ?',
      [height - 1],
    );
    if (!previous[0]) throw new Error(`block ${height - 1} is missing`);
    const leaves = changes.map((c) => c.leaf);
    // The history chain counts the events; exactly that many, in order, make the record's list.
    const events = await this.hashes(
      'SELECT txHash AS hash FROM thing_events WHERE epc = ? AND seq < ? ORDER BY seq',
      [epc, thing.history.count],
    );
    return {
      height,
      change,
      prevStateRoot: (JSON.parse(previous[0].header) as BlockHeader).stateRoot,
      changesRoot: merkleRoot(leaves),
      proof: inclusionProof(leaves, at),
      events,
    };
  }

  private async hashes(sql: string, parameters: unknown[]): Promise<string[]> {
    return (await this.rows<{ hash: string }>(sql, parameters)).map((r) => r.hash);
  }

  private async rows<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return (await this.options.db.query(sql, parameters)) as T[];
  }
}
