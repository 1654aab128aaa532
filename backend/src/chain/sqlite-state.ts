/**
 * The state machine's StateReader over SQLite, with a write-through cache of hot records: custody
 * changes touch the same things again and again, and the block apply path must not wait on disk.
 *
 * Executing a block reads records one at a time, each an await; a read that misses the cache is a
 * round trip to the driver's thread. `runLoaded` turns those thousands of round trips into a few
 * batched queries: it runs the block against the cache alone, notes what it missed, loads all of
 * that at once, and repeats until a run misses nothing (a record found can lead to reads of
 * others); that last run is the execution.
 */
import type { RecordKind, RecordTypes, StateChange, StateReader } from '@waybill/shared/state';
import type { DataSource } from 'typeorm';

/**
 * Records kept. A custody journey's things are touched within seconds of each other, so the
 * recent past is what a block reads; a miss costs one batched query per block (`runLoaded`),
 * and every entry is heap that a node at a million events must not need (50,000 records and
 * as many transaction hashes are about 40 MB).
 */
const CACHE_LIMIT = 50_000;
/**
 * Written once and almost never read by a block (only `event.correct` reads an event; an
 * EPCIS capture reads its event hash once, to refuse a second capture): not worth the cache.
 */
const WRITE_ONCE: ReadonlySet<RecordKind> = new Set<RecordKind>(['event', 'epcisEvent']);
/** Keys per batched query (SQLite allows 32,766 parameters). */
const BATCH = 5_000;
/** A block needs two or three rounds (records found lead to others); more means a deep chain of reads. */
const MAX_PREFETCH_ROUNDS = 6;

type Value = RecordTypes[RecordKind];
const idOf = (kind: RecordKind, key: string) => `${kind}\u0000${key}`;

export class SqliteState implements StateReader {
  /** Records by kind and key; null means known to be absent. Oldest first (Map order). */
  private readonly cache = new Map<string, Value | null>();
  /** Whether a transaction hash is on chain, for the duplicate rule. */
  private readonly txPresence = new Map<string, boolean>();

  /**
   * Bumped by every `applied`: a read that was in flight while a block (or genesis) was written
   * may have seen the database before it, and must not overwrite what `applied` cached.
   */
  private generation = 0;

  constructor(private readonly db: DataSource) {}

  async get<K extends RecordKind>(kind: K, key: string): Promise<RecordTypes[K] | undefined> {
    const id = idOf(kind, key);
    for (;;) {
      const cached = this.cache.get(id);
      if (cached !== undefined) return (cached ?? undefined) as RecordTypes[K] | undefined;
      const generation = this.generation;
      const rows: { value: string }[] = await this.db.query(
        'SELECT value FROM state_records WHERE kind = ? AND key = ?',
        [kind, key],
      );
      const value = rows[0] ? (JSON.parse(rows[0].value) as RecordTypes[K]) : undefined;
      if (this.generation !== generation) {
        // A block was stored meanwhile: what it cached is newer than what this read saw, and a
        // write-once record it wrote is not cached at all, so read that again.
        const newer = this.cache.get(id);
        if (newer !== undefined) return (newer ?? undefined) as RecordTypes[K] | undefined;
        if (WRITE_ONCE.has(kind)) continue;
      }
      remember(this.cache, id, value ?? null);
      return value;
    }
  }

  async hasTx(hash: string): Promise<boolean> {
    const known = this.txPresence.get(hash);
    if (known !== undefined) return known;
    // A recorded refusal is on chain too: that hash can never be included again.
    const generation = this.generation;
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM transactions WHERE hash = ? UNION ALL SELECT 1 FROM refusals WHERE hash = ?',
      [hash, hash],
    );
    if (this.generation !== generation && this.txPresence.get(hash) === true) return true;
    remember(this.txPresence, hash, rows.length > 0);
    return rows.length > 0;
  }

  /** Which of `hashes` are on chain, in batched queries (mempool admission of many at once). */
  async txsOnChain(hashes: readonly string[]): Promise<Set<string>> {
    const unknown = hashes.filter((h) => !this.txPresence.has(h));
    await this.loadTxPresence(unknown);
    return new Set(hashes.filter((h) => this.txPresence.get(h) === true));
  }

  /**
   * Runs `run` (an execution of a block over the reader it is given) on the cache alone: a miss
   * reads as absent and is noted, and that run's result is meaningless; the misses are loaded in
   * batched queries and `run` goes again, until a run misses nothing. That run read only what the
   * database holds (the cache is write-through), so its result is returned. After
   * MAX_PREFETCH_ROUNDS, `run` goes once more over this reader, which reads what it misses one by one.
   */
  async runLoaded<T>(run: (reader: StateReader) => Promise<T>): Promise<T> {
    for (let round = 0; round < MAX_PREFETCH_ROUNDS; round++) {
      const records = new Map<RecordKind, Set<string>>();
      const txs = new Set<string>();
      const cache = this.cache;
      const presence = this.txPresence;
      const peek: StateReader = {
        get<K extends RecordKind>(kind: K, key: string) {
          const id = idOf(kind, key);
          const cached = cache.get(id);
          if (cached !== undefined) return (cached ?? undefined) as RecordTypes[K] | undefined;
          let keys = records.get(kind);
          if (!keys) records.set(kind, (keys = new Set()));
          keys.add(key);
          return undefined;
        },
        hasTx(hash: string) {
          const known = presence.get(hash);
          if (known !== undefined) return known;
          txs.add(hash);
          return false;
        },
      };
      let result: { value: T } | undefined;
      try {
        result = { value: await run(peek) };
      } catch (error) {
        // A run over partial state may fail anywhere; what it read so far is still worth loading.
        if (records.size === 0 && txs.size === 0) throw error;
      }
      if (result && records.size === 0 && txs.size === 0) return result.value;
      for (const [kind, keys] of records) await this.loadRecords(kind, [...keys]);
      await this.loadTxPresence([...txs]);
    }
    return run(this);
  }

  /** Called after a block's database transaction committed. */
  applied(changes: readonly StateChange[], txHashes: readonly string[] = []): void {
    this.generation++;
    for (const change of changes) {
      const id = idOf(change.kind, change.key);
      // The database holds it now; a cached "absent" from before the block must go.
      if (WRITE_ONCE.has(change.kind)) this.cache.delete(id);
      else remember(this.cache, id, change.value);
    }
    for (const hash of txHashes) remember(this.txPresence, hash, true);
  }

  private async loadRecords(kind: RecordKind, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH) {
      const chunk = keys.slice(i, i + BATCH);
      const generation = this.generation;
      const rows: { key: string; value: string }[] = await this.db.query(
        `SELECT key, value FROM state_records WHERE kind = ? AND key IN (${placeholders(chunk.length)})`,
        [kind, ...chunk],
      );
      const found = new Map(rows.map((row) => [row.key, JSON.parse(row.value) as Value]));
      for (const key of chunk) {
        // What a block wrote meanwhile is newer than what this read saw; a write-once record it
        // wrote is not cached at all, so this read's "absent" is not kept either (read again).
        if (
          this.generation !== generation &&
          (WRITE_ONCE.has(kind) || this.cache.has(idOf(kind, key)))
        )
          continue;
        remember(this.cache, idOf(kind, key), found.get(key) ?? null);
      }
    }
  }

  private async loadTxPresence(hashes: readonly string[]): Promise<void> {
    for (let i = 0; i < hashes.length; i += BATCH) {
      const chunk = hashes.slice(i, i + BATCH);
      const rows: { hash: string }[] = await this.db.query(
        `SELECT hash FROM transactions WHERE hash IN (${placeholders(chunk.length)}) UNION ALL SELECT hash FROM refusals WHERE hash IN (${placeholders(chunk.length)})`,
        [...chunk, ...chunk],
      );
      const found = new Set(rows.map((row) => row.hash));
      for (const hash of chunk) remember(this.txPresence, hash, found.has(hash));
    }
  }
}

function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** Bounded: when full, the oldest tenth goes (the database stays the truth). */
function remember<V>(map: Map<string, V>, id: string, value: V): void {
  map.delete(id);
  if (map.size >= CACHE_LIMIT) {
    let drop = CACHE_LIMIT / 10;
    for (const key of map.keys()) {
      map.delete(key);
      if (--drop <= 0) break;
    }
  }
  map.set(id, value);
}
