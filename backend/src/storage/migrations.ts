/** Schema migrations, in order. Generated contracts: never edit a released one, add the next. */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { QueryIndexes1764200000000 } from './migrations-2.js';
import { ActivityIndexes1764300000000 } from './migrations-3.js';
import { PartialIndexes1764400000000 } from './migrations-4.js';
import { RecordedRefusals1764500000000 } from './migrations-5.js';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "blocks" ("height" integer PRIMARY KEY NOT NULL, "hash" text NOT NULL, "timestamp" text NOT NULL, "proposer" text NOT NULL, "txCount" integer NOT NULL, "header" text NOT NULL, "commit" text NOT NULL)`,
    );
    await q.query(`CREATE UNIQUE INDEX "IDX_blocks_hash" ON "blocks" ("hash")`);
    await q.query(
      `CREATE TABLE "transactions" ("hash" text PRIMARY KEY NOT NULL, "height" integer NOT NULL, "position" integer NOT NULL, "type" text NOT NULL, "signer" text NOT NULL, "body" text NOT NULL)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_transactions_height_position" ON "transactions" ("height", "position")`,
    );
    await q.query(`CREATE INDEX "IDX_transactions_type" ON "transactions" ("type")`);
    await q.query(`CREATE INDEX "IDX_transactions_signer" ON "transactions" ("signer")`);
    await q.query(
      `CREATE TABLE "state_records" ("kind" text NOT NULL, "key" text NOT NULL, "value" text NOT NULL, "height" integer NOT NULL, PRIMARY KEY ("kind", "key"))`,
    );
    await q.query(
      `CREATE TABLE "block_changes" ("height" integer NOT NULL, "position" integer NOT NULL, "kind" text NOT NULL, "key" text NOT NULL, "leaf" text NOT NULL, PRIMARY KEY ("height", "position"))`,
    );
    await q.query(
      `CREATE TABLE "thing_events" ("epc" text NOT NULL, "seq" integer NOT NULL, "txHash" text NOT NULL, "height" integer NOT NULL, PRIMARY KEY ("epc", "seq"))`,
    );
    await q.query(`CREATE INDEX "IDX_thing_events_txHash" ON "thing_events" ("txHash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'thing_events',
      'block_changes',
      'state_records',
      'transactions',
      'blocks',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}

export const MIGRATIONS = [
  Initial1764100000000,
  QueryIndexes1764200000000,
  ActivityIndexes1764300000000,
  PartialIndexes1764400000000,
  RecordedRefusals1764500000000,
];
