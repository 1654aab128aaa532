/**
 * Recorded refusals: the transactions a block refused, with the state machine's code and message.
 * A separate table, so every query of applied transactions (block pages, an organization's
 * activity, histories) stays as it was, while a refused hash is still "on chain" for duplicate
 * checks (`SqliteState.hasTx` reads both tables).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RecordedRefusals1764500000000 implements MigrationInterface {
  name = 'RecordedRefusals1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "refusals" ("hash" text PRIMARY KEY NOT NULL, "height" integer NOT NULL, "position" integer NOT NULL, "code" text NOT NULL, "message" text NOT NULL, "path" text, "body" text NOT NULL)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_refusals_height_position" ON "refusals" ("height", "position")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "refusals"`);
  }
}
