/**
 * Indexes for the explorer's activity views.
 *
 * - `blocks (timestamp, txCount)`: blocks and transactions per minute (`activity`) and the
 *   throughput window are one range scan of this covering index, never a read of the blocks'
 *   header and certificate text.
 * - `transactions.org`: the organization of the member key that signed the transaction (null for
 *   authority transactions), so an organization's activity, newest first, is a walk of the index
 *   `(org, height, position)`. A member key belongs to one organization for ever (keys are never
 *   reused and member records never deleted), so the column is filled once per transaction: here
 *   for the transactions already stored, by ChainService for each new block.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ActivityIndexes1764300000000 implements MigrationInterface {
  name = 'ActivityIndexes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_blocks_timestamp" ON "blocks" ("timestamp", "txCount")`);
    await q.query(`ALTER TABLE "transactions" ADD COLUMN "org" text`);
    await q.query(
      `UPDATE "transactions" SET "org" = (SELECT json_extract(r."value", '$.orgId') FROM "state_records" r WHERE r."kind" = 'member' AND r."key" = "transactions"."signer")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transactions_org" ON "transactions" ("org", "height", "position")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_transactions_org"`);
    await q.query(`ALTER TABLE "transactions" DROP COLUMN "org"`);
    await q.query(`DROP INDEX "IDX_blocks_timestamp"`);
  }
}
