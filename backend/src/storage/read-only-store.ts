/** Reads a node's SQLite file directly (read-only), for offline commands such as verify-chain. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockHeader, CommitCertificate } from '@waybill/shared/block';
import type { ChainBlock } from '@waybill/shared/chain';
import sqlite3 from 'sqlite3';
import { DATABASE_FILE } from './storage.module.js';

export class ReadOnlyStore {
  private constructor(private readonly db: sqlite3.Database) {}

  static async open(dataDir: string): Promise<ReadOnlyStore> {
    const file = join(dataDir, DATABASE_FILE);
    if (!existsSync(file))
      throw new Error(`no database at ${file}: is ${dataDir} a node's data directory?`);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
        error ? reject(error) : resolve(handle),
      );
    });
    return new ReadOnlyStore(db);
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
    });
  }

  async height(): Promise<number> {
    const rows = await this.all<{ height: number | null }>(
      'SELECT MAX(height) AS height FROM blocks',
    );
    return rows[0]?.height ?? 0;
  }

  /** Blocks from height 1 up, with their transactions, a page at a time. */
  async *blocks(pageSize = 200): AsyncGenerator<ChainBlock> {
    for (let from = 1; ; from += pageSize) {
      const rows = await this.all<{ height: number; hash: string; header: string; commit: string }>(
        'SELECT height, hash, header, "commit" FROM blocks WHERE height >= ? AND height < ? ORDER BY height',
        [from, from + pageSize],
      );
      if (rows.length === 0) return;
      const txRows = await this.all<{ height: number; hash: string; body: string }>(
        'SELECT height, hash, body FROM transactions WHERE height >= ? AND height < ? ORDER BY height, position',
        [from, from + pageSize],
      );
      const refusalRows = await this.all<{
        height: number;
        hash: string;
        code: string;
        body: string;
      }>(
        'SELECT height, hash, code, body FROM refusals WHERE height >= ? AND height < ? ORDER BY height, position',
        [from, from + pageSize],
      );
      for (const row of rows) {
        const txs = txRows.filter((t) => t.height === row.height);
        const refusals = refusalRows.filter((r) => r.height === row.height);
        yield {
          header: JSON.parse(row.header) as BlockHeader,
          commit: JSON.parse(row.commit) as CommitCertificate,
          hash: row.hash,
          txs: txs.map((t) => JSON.parse(t.body) as unknown),
          txHashes: txs.map((t) => t.hash),
          ...(refusals.length > 0 && {
            refused: refusals.map((r) => ({ tx: JSON.parse(r.body) as unknown, code: r.code })),
            refusedHashes: refusals.map((r) => r.hash),
          }),
        };
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.db.close(() => resolve());
    });
  }
}
