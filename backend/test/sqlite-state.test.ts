/**
 * The StateReader over a real SQLite file: prefetching what a block reads in batched queries, the
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
  it('prefetches a block reads, following reads that depend on earlier ones, in batched queries', async () => {
    const state = new SqliteState(db);
    const query = vi.spyOn(db, 'query');
    await state.prefetch(block);
    // Round 1 loads a and x and both tx hashes; round 2 loads b; round 3 misses nothing.
    expect(query).toHaveBeenCalledTimes(3);
    query.mockClear();
    await expect(block(state)).resolves.toEqual(['a', 'b']);
    expect(query).not.toHaveBeenCalled();
    await expect(state.hasTx('11'.repeat(32))).resolves.toBe(true);
    await expect(state.hasTx('33'.repeat(32))).resolves.toBe(false);
    expect(query).not.toHaveBeenCalled();
  });

  it('survives a discovery run that throws, keeping what it read before', async () => {
    const state = new SqliteState(db);
    await state.prefetch(async (reader) => {
      await reader.get('organization', 'a');
      throw new Error('partial state');
    });
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

  it('answers which of many hashes are on chain', async () => {
    const state = new SqliteState(db);
    const onChain = await state.txsOnChain(['11'.repeat(32), '44'.repeat(32)]);
    expect([...onChain]).toEqual(['11'.repeat(32)]);
  });
});
