/**
 * Expression indexes for the registry queries (organization holdings and members, products by
 * GTIN, lot or custodian, recalls, the transfer inbox). They index fields inside the records'
 * JSON; a query uses one only when it spells the expression exactly as here
 * (`json_extract(value, '$.custodian')`), so the queries in `chain/ledger-queries.service.ts` and
 * these indexes change together. Indexes only: no data changes, safe on a running chain's file.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: readonly [name: string, columns: string][] = [
  // Things held by an org, in EPC order (holdings, products(custodian)).
  ['IDX_state_records_custodian', `"kind", json_extract("value", '$.custodian'), "key"`],
  // Things of a GTIN in EPC order, recalls of a GTIN (products(gtin), statusOf, recalls(gtin)).
  ['IDX_state_records_gtin', `"kind", json_extract("value", '$.gtin'), "key"`],
  // Things of a lot number (products(lot), search).
  ['IDX_state_records_lot', `"kind", json_extract("value", '$.lot'), "key"`],
  // Members (and locations) of an org.
  ['IDX_state_records_org', `"kind", json_extract("value", '$.orgId')`],
  // The transfer inbox and outbox: pending transfers to or from an org.
  [
    'IDX_state_records_transfer_to',
    `"kind", json_extract("value", '$.to'), json_extract("value", '$.status')`,
  ],
  [
    'IDX_state_records_transfer_from',
    `"kind", json_extract("value", '$.from'), json_extract("value", '$.status')`,
  ],
];

export class QueryIndexes1764200000000 implements MigrationInterface {
  name = 'QueryIndexes1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, columns] of INDEXES)
      await q.query(`CREATE INDEX "${name}" ON "state_records" (${columns})`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await q.query(`DROP INDEX "${name}"`);
  }
}
