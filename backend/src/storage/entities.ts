/**
 * What the node keeps in SQLite. Protocol objects are stored as their JSON (the bytes that were
 * hashed can always be recomputed); columns beside them exist only for lookups.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('blocks')
@Index('IDX_blocks_timestamp', ['timestamp', 'txCount'])
export class BlockRow {
  @PrimaryColumn('integer') height!: number;
  @Index({ unique: true }) @Column('text') hash!: string;
  @Column('text') timestamp!: string;
  @Column('text') proposer!: string;
  @Column('integer') txCount!: number;
  /** BlockHeader as JSON. */
  @Column('text') header!: string;
  /** CommitCertificate as JSON. */
  @Column('text') commit!: string;
}

@Entity('transactions')
@Index(['height', 'position'], { unique: true })
@Index('IDX_transactions_org', ['org', 'height', 'position'])
export class TxRow {
  @PrimaryColumn('text') hash!: string;
  @Column('integer') height!: number;
  @Column('integer') position!: number;
  @Index() @Column('text') type!: string;
  @Column('text') signer!: string;
  /** The organization of the member key that signed it; null for authority transactions. */
  @Column('text', { nullable: true }) org!: string | null;
  /** The signed transaction as JSON. */
  @Column('text') body!: string;
}

@Entity('state_records')
export class RecordRow {
  @PrimaryColumn('text') kind!: string;
  @PrimaryColumn('text') key!: string;
  /** The record as JSON. */
  @Column('text') value!: string;
  /** Height of the block that last wrote it. */
  @Column('integer') height!: number;
}

/** The net state changes of each block, in order: what its state root hashes. */
@Entity('block_changes')
export class BlockChangeRow {
  @PrimaryColumn('integer') height!: number;
  @PrimaryColumn('integer') position!: number;
  @Column('text') kind!: string;
  @Column('text') key!: string;
  /** hash("waybill/state/v1", change): the Merkle leaf item. */
  @Column('text') leaf!: string;
}

/** Which events touched which thing, in chain order: histories and bundles read this. */
@Entity('thing_events')
export class ThingEventRow {
  @PrimaryColumn('text') epc!: string;
  @PrimaryColumn('integer') seq!: number;
  @Column('text') txHash!: string;
  @Column('integer') height!: number;
}

/**
 * A transaction a block refused and records: final like an applied one (its hash can never be
 * included later), with the state machine's verdict. `position`: its place among the block's
 * refusals, which follow its transactions in the txRoot.
 */
@Entity('refusals')
@Index(['height', 'position'], { unique: true })
export class RefusalRow {
  @PrimaryColumn('text') hash!: string;
  @Column('integer') height!: number;
  @Column('integer') position!: number;
  @Column('text') code!: string;
  @Column('text') message!: string;
  @Column('text', { nullable: true }) path!: string | null;
  /** The signed transaction as JSON. */
  @Column('text') body!: string;
}

export const ENTITIES = [BlockRow, TxRow, RecordRow, BlockChangeRow, ThingEventRow, RefusalRow];
