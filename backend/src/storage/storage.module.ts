/** The TypeORM data source: SQLite in the node's data directory, WAL, migrations, one writer. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import sqlite3 from 'sqlite3';
import { NODE_CONFIG } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
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
        };
      },
    }),
  ],
  providers: [WriteQueue],
  exports: [WriteQueue],
})
export class StorageModule {}
