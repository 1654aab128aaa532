/**
 * Partial indexes, one per kind of record that is looked up by a field.
 *
 * The expression indexes of migration 2 covered every row of `state_records`, so every write of
 * any record (most are events, which no query looks up by field) parsed its JSON six times and
 * touched six B-trees: ten times the cost of the row itself, most of a block's write time. A
 * partial index (`WHERE kind = '...'`) is maintained only for its kind. A query uses one when its
 * WHERE clause has the same `kind = '<literal>'` term and spells the expression exactly as here;
 * `test/queries.integration.test.ts` checks each query of `chain/ledger-queries.service.ts`
 * against these with EXPLAIN QUERY PLAN.
 *
 * Also dropped: `thing_events.txHash` and `transactions.signer`, which no query reads.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD: readonly [name: string, table: string, columns: string][] = [
  [
    'IDX_state_records_custodian',
    'state_records',
    `"kind", json_extract("value", '$.custodian'), "key"`,
  ],
  ['IDX_state_records_gtin', 'state_records', `"kind", json_extract("value", '$.gtin'), "key"`],
  ['IDX_state_records_lot', 'state_records', `"kind", json_extract("value", '$.lot'), "key"`],
  ['IDX_state_records_org', 'state_records', `"kind", json_extract("value", '$.orgId')`],
  [
    'IDX_state_records_transfer_to',
    'state_records',
    `"kind", json_extract("value", '$.to'), json_extract("value", '$.status')`,
  ],
  [
    'IDX_state_records_transfer_from',
    'state_records',
    `"kind", json_extract("value", '$.from'), json_extract("value", '$.status')`,
  ],
  ['IDX_thing_events_txHash', 'thing_events', `"txHash"`],
  ['IDX_transactions_signer', 'transactions', `"signer"`],
];

/** name, kind, columns: `CREATE INDEX name ON state_records (columns) WHERE kind = 'kind'`. */
export const PARTIAL_INDEXES: readonly [name: string, kind: string, columns: string][] = [
  // Things held by an org, of a GTIN, of a lot, in EPC order (holdings, products, search).
  ['IDX_thing_custodian', 'thing', `json_extract("value", '$.custodian'), "key"`],
  ['IDX_thing_gtin', 'thing', `json_extract("value", '$.gtin'), "key"`],
  ['IDX_thing_lot', 'thing', `json_extract("value", '$.lot'), "key"`],
  // Recalls of a GTIN (statusOf, recalls(gtin), the recalled filter).
  ['IDX_recall_gtin', 'recall', `json_extract("value", '$.gtin')`],
  // Members and locations of an org.
  ['IDX_member_org', 'member', `json_extract("value", '$.orgId')`],
  ['IDX_location_org', 'location', `json_extract("value", '$.orgId'), "key"`],
  // The transfer inbox and outbox: pending transfers to or from an org.
  [
    'IDX_transfer_to',
    'transfer',
    `json_extract("value", '$.to'), json_extract("value", '$.status')`,
  ],
  [
    'IDX_transfer_from',
    'transfer',
    `json_extract("value", '$.from'), json_extract("value", '$.status')`,
  ],
];

export class PartialIndexes1764400000000 implements MigrationInterface {
  name = 'PartialIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name] of OLD) await q.query(`DROP INDEX "${name}"`);
    for (const [name, kind, columns] of PARTIAL_INDEXES)
      await q.query(
        `CREATE INDEX "${name}" ON "state_records" (${columns}) WHERE "kind" = '${kind}'`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of PARTIAL_INDEXES) await q.query(`DROP INDEX "${name}"`);
    for (const [name, table, columns] of OLD)
      await q.query(`CREATE INDEX "${name}" ON "${table}" (${columns})`);
  }
}
