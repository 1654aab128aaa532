/** The TypeORM data source: SQLite in the node's data directory, WAL, migrations, one writer. */
import { join } from 'node:path';
import { appendFileSync, mkdirSync as mkdirSync } from 'node:fs';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import sqlite3 from 'sqlite3';
import { NODE_CONFIG } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
import { testControlsEnabled } from '../config/test-controls.js';
import { StorageControlController } from './control.controller.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations.js';
import { WriteQueue } from './write-queue.js';

export const DATABASE_FILE = 'waybill.sqlite';

/**
 * The sqlite3 driver as TypeORM gets it. TypeORM calls `verbose()` on it, which wraps every
 * database call to capture a stack trace (a measurable share of the block path); here `verbose()`
 * hands back the plain driver.
 */
const quietSqlite3: typeof sqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, {
  verbose: () => sqlite3,
});

/**
 * Name of the read-only connection. The sqlite driver holds one connection per data source, and a
 * read on the writer's connection would see a block that is still being written; reads go through
 * this second connection, which in WAL mode sees only committed blocks.
 */
export const READER = 'reader';

/** Page cache per connection (KiB): a block's writes touch many index pages; the default is 2 MB. */
const WRITER_CACHE_KIB = 32 * 1024;
const READER_CACHE_KIB = 16 * 1024;

/**
 * Per-connection settings TypeORM has no option for. `WAYBILL_SQL_TRACE=FILE` appends every
 * statement both connections run to FILE (for finding slow or unindexed queries; the storage plan
 * test reads it).
 */
@Injectable()
export class DatabaseSettings implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly writer: DataSource,
    @InjectDataSource(READER) private readonly reader: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.writer.query(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`);
    await this.reader.query(`PRAGMA cache_size = -${READER_CACHE_KIB}`);
    const trace = process.env.WAYBILL_SQL_TRACE;
    if (!trace) return;
    for (const source of [this.writer, this.reader]) {
      const connection = (source.driver as unknown as { databaseConnection: sqlite3.Database })
        .databaseConnection;
      connection.on('trace', (sql: string) => {
        appendFileSync(trace, `${sql.replace(/\s+/g, ' ')}\n`);
      });
    }
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: READER,
      inject: [NODE_CONFIG],
      useFactory: (config: NodeConfig) => ({
        type: 'sqlite' as const,
        name: READER,
        database: join(config.dataDir, DATABASE_FILE),
        driver: quietSqlite3,
        entities: ENTITIES,
        synchronize: false,
        migrationsRun: false,
        enableWAL: true,
        busyErrorRetry: 50,
        logging: false,
        // Opening a new file, the two connections race to switch it to WAL; the loser retries.
        retryDelay: 100,
      }),
    }),
    TypeOrmModule.forRootAsync({
      inject: [NODE_CONFIG],
      useFactory: (config: NodeConfig) => {
        mkdirSync(config.dataDir, { recursive: true });
        return {
          type: 'sqlite' as const,
          database: join(config.dataDir, DATABASE_FILE),
          driver: quietSqlite3,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          migrationsRun: true,
          synchronize: false,
          enableWAL: true,
          busyErrorRetry: 50,
          logging: false,
          retryDelay: 100,
        };
      },
    }),
  ],
  controllers: testControlsEnabled() ? [StorageControlController] : [],
  providers: [WriteQueue, DatabaseSettings],
  exports: [WriteQueue],
})
export class StorageModule {}
