/**
 * The StateReader over a real SQLite file: loading what a block reads in batched queries, the
 * cache of absent records, and the on-chain lookups admission batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateReader } from '@waybill/shared/state';
import { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteState } from '../src/chain/sqlite-state.js';
import { ENTITIES } from '../src/storage/entities.js';
import { MIGRATIONS } from '../src/storage/migrations.js';

let dir: string;
let db: DataSource;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waybill-state-'));
  db = new DataSource({
    type: 'sqlite',
    database: join(dir, 'state.sqlite'),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
  });
  await db.initialize();
  // Organization "a" points at "b", which points at nothing: reading "a" leads to reading "b".
  for (const [key, value] of [
    ['a', { id: 'a', name: 'A', next: 'b' }],
    ['b', { id: 'b', name: 'B' }],
  ] as const) {
    await db.query('INSERT INTO state_records (kind, key, value, height) VALUES (?, ?, ?, 1)', [
      'organization',
      key,
      JSON.stringify(value),
    ]);
  }
  await db.query(
    'INSERT INTO transactions (hash, height, position, type, signer, body) VALUES (?, 1, 0, ?, ?, ?)',
    ['11'.repeat(32), 'org.register', '22'.repeat(32), '{}'],
  );
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A "block" whose reads depend on what earlier reads found, like the state machine's. */
async function block(reader: StateReader): Promise<string[]> {
  const seen: string[] = [];
  for (const key of ['a', 'x']) {
    let org = (await reader.get('organization', key)) as { id: string; next?: string } | undefined;
    while (org) {
      seen.push(org.id);
      org = org.next ? await reader.get('organization', org.next) : undefined;
    }
  }
  await reader.hasTx('11'.repeat(32));
  await reader.hasTx('33'.repeat(32));
  return seen;
}

describe('SqliteState', () => {
  it('loads a block reads in batched queries, following reads that depend on earlier ones, and returns the run that missed nothing', async () => {
    const state = new SqliteState(db);
    const query = vi.spyOn(db, 'query');
    let runs = 0;
    const result = await state.runLoaded(async (reader) => {
      runs++;
      return block(reader);
    });
    // Round 1 loads a and x and both tx hashes; round 2 loads b; round 3 misses nothing and is
    // the result (without reading "b", the earlier runs saw only ['a']).
    expect(result).toEqual(['a', 'b']);
    expect(runs).toBe(3);
    expect(query).toHaveBeenCalledTimes(3);
    query.mockClear();
    await expect(block(state)).resolves.toEqual(['a', 'b']);
    expect(query).not.toHaveBeenCalled();
    await expect(state.hasTx('11'.repeat(32))).resolves.toBe(true);
    await expect(state.hasTx('33'.repeat(32))).resolves.toBe(false);
    expect(query).not.toHaveBeenCalled();
  });

  it('goes on after a run that throws on partial state, and throws what a complete run throws', async () => {
    const state = new SqliteState(db);
    let runs = 0;
    const failing = state.runLoaded(async (reader) => {
      runs++;
      await reader.get('organization', 'a');
      throw new Error('refused on complete state');
    });
    await expect(failing).rejects.toThrow('refused on complete state');
    // The first run missed "a" (its throw is ignored), the second read it from the cache.
    expect(runs).toBe(2);
    const query = vi.spyOn(db, 'query');
    await expect(state.get('organization', 'a')).resolves.toMatchObject({ name: 'A' });
    expect(query).not.toHaveBeenCalled();
  });

  it('learns committed transactions and records from applied()', async () => {
    const state = new SqliteState(db);
    await expect(state.hasTx('33'.repeat(32))).resolves.toBe(false);
    state.applied(
      [{ kind: 'organization', key: 'x', value: { id: 'x' } as never }],
      ['33'.repeat(32)],
    );
    const query = vi.spyOn(db, 'query');
    await expect(state.hasTx('33'.repeat(32))).resolves.toBe(true);
    await expect(state.get('organization', 'x')).resolves.toEqual({ id: 'x' });
    expect(query).not.toHaveBeenCalled();
  });

  describe('write-once records (events) are not cached', () => {
    const hash = '55'.repeat(32);
    const event = { hash, type: 'object.observe', org: 'a', height: 2, epcs: [], corrections: [] };
    const store = () =>
      db.query('INSERT INTO state_records (kind, key, value, height) VALUES (?, ?, ?, 2)', [
        'event',
        hash,
        JSON.stringify(event),
      ]);

    it('drops a cached "absent" when a block writes one, and reads it from the database', async () => {
      const state = new SqliteState(db);
      await expect(state.get('event', hash)).resolves.toBeUndefined();
      await store();
      state.applied([{ kind: 'event', key: hash, value: event as never }]);
      const query = vi.spyOn(db, 'query');
      await expect(state.get('event', hash)).resolves.toEqual(event);
      expect(query).toHaveBeenCalledTimes(1);
    });

    /** Makes the next query see the database before a block that is stored while it runs. */
    function blockStoredDuringNextQuery(state: SqliteState): void {
      const query = db.query.bind(db);
      vi.spyOn(db, 'query').mockImplementationOnce(async (sql: string, parameters?: unknown[]) => {
        const before: unknown = await query(sql, parameters);
        await store();
        state.applied([{ kind: 'event', key: hash, value: event as never }]);
        return before;
      });
    }

    it('does not keep what a read saw before a block stored meanwhile wrote it', async () => {
      const state = new SqliteState(db);
      blockStoredDuringNextQuery(state);
      await expect(state.get('event', hash)).resolves.toEqual(event);
      await expect(state.get('event', hash)).resolves.toEqual(event);
    });

    it('does not keep what a batched load saw before a block stored meanwhile wrote it', async () => {
      const state = new SqliteState(db);
      blockStoredDuringNextQuery(state);
      const found = await state.runLoaded(async (reader) => reader.get('event', hash));
      expect(found).toEqual(event);
      await expect(state.get('event', hash)).resolves.toEqual(event);
    });
  });

  it('answers which of many hashes are on chain', async () => {
    const state = new SqliteState(db);
    const onChain = await state.txsOnChain(['11'.repeat(32), '44'.repeat(32)]);
    expect([...onChain]).toEqual(['11'.repeat(32)]);
  });
});
