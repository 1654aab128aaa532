/**
 * The state machine's StateReader over SQLite, with a write-through cache of hot records: custody
 * changes touch the same things again and again, and the block apply path must not wait on disk.
 */
import type { RecordKind, RecordTypes, StateChange, StateReader } from '@waybill/shared/state';
import type { DataSource } from 'typeorm';

const CACHE_LIMIT = 200_000;

export class SqliteState implements StateReader {
  private readonly cache = new Map<string, RecordTypes[RecordKind] | null>();

  constructor(private readonly db: DataSource) {}

  async get<K extends RecordKind>(kind: K, key: string): Promise<RecordTypes[K] | undefined> {
    const id = `${kind}\u0000${key}`;
    const cached = this.cache.get(id);
    if (cached !== undefined) return (cached ?? undefined) as RecordTypes[K] | undefined;
    const rows: { value: string }[] = await this.db.query(
      'SELECT value FROM state_records WHERE kind = ? AND key = ?',
      [kind, key],
    );
    const value = rows[0] ? (JSON.parse(rows[0].value) as RecordTypes[K]) : undefined;
    this.remember(id, value ?? null);
    return value;
  }

  async hasTx(hash: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM transactions WHERE hash = ?', [
      hash,
    ]);
    return rows.length > 0;
  }

  /** Called after a block's database transaction committed. */
  applied(changes: readonly StateChange[]): void {
    for (const change of changes) this.remember(`${change.kind}\u0000${change.key}`, change.value);
  }

  private remember(id: string, value: RecordTypes[RecordKind] | null): void {
    // Crude but bounded: a full cache starts over; the database stays the truth.
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(id, value);
  }
}
