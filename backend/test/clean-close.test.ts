/**
 * The clean-stop marker that lets a restart skip SQLite's full page scan: it holds only for a file
 * nobody touched since the stop, and only once.
 */
import {
  appendFileSync,
  existsSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEAN_CLOSE_FILE, recordCleanClose, takeCleanClose } from '../src/chain/clean-close.js';
import { DATABASE_FILE } from '../src/storage/storage.module.js';
import { cleanUp, tempDataDir } from './harness.js';

afterAll(cleanUp);

function closedDatabase(): string {
  const dir = tempDataDir();
  writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(8192, 1));
  recordCleanClose(dir);
  return dir;
}

describe('the clean-stop marker', () => {
  it('holds for a file untouched since the clean stop, once', () => {
    const dir = closedDatabase();
    expect(existsSync(join(dir, CLEAN_CLOSE_FILE))).toBe(true);
    expect(takeCleanClose(dir)).toBe(true);
    // Consumed: a crash after this start must find no marker at the next one.
    expect(existsSync(join(dir, CLEAN_CLOSE_FILE))).toBe(false);
    expect(takeCleanClose(dir)).toBe(false);
  });

  it('does not hold when the file grew, was rewritten in place, or replaced', () => {
    const grown = closedDatabase();
    appendFileSync(join(grown, DATABASE_FILE), 'x');
    expect(takeCleanClose(grown)).toBe(false);

    const rewritten = closedDatabase();
    // Same size, new content: only the modification time tells.
    const file = join(rewritten, DATABASE_FILE);
    writeFileSync(file, Buffer.alloc(8192, 2));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(takeCleanClose(rewritten)).toBe(false);

    const replaced = closedDatabase();
    const copy = join(replaced, 'copy');
    writeFileSync(copy, Buffer.alloc(8192, 1));
    const before = statSync(join(replaced, DATABASE_FILE));
    // Same size and times, another file (a restored copy): the inode tells.
    utimesSync(copy, before.atime, before.mtime);
    renameSync(copy, join(replaced, DATABASE_FILE));
    expect(takeCleanClose(replaced)).toBe(false);
  });

  it('is not recorded, and does not hold, while a write-ahead log has frames', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(8192, 1));
    writeFileSync(join(dir, `${DATABASE_FILE}-wal`), Buffer.alloc(4096, 1));
    recordCleanClose(dir);
    expect(existsSync(join(dir, CLEAN_CLOSE_FILE))).toBe(false);

    const later = closedDatabase();
    writeFileSync(join(later, `${DATABASE_FILE}-wal`), Buffer.alloc(4096, 1));
    expect(takeCleanClose(later)).toBe(false);
  });

  it('does not hold without a marker, with a damaged marker, or without a database', () => {
    expect(takeCleanClose(tempDataDir())).toBe(false);
    const dir = closedDatabase();
    writeFileSync(join(dir, CLEAN_CLOSE_FILE), '{not json');
    expect(takeCleanClose(dir)).toBe(false);
    const gone = tempDataDir();
    writeFileSync(join(gone, CLEAN_CLOSE_FILE), JSON.stringify({ size: 1, mtimeMs: 1, ino: 1 }));
    expect(takeCleanClose(gone)).toBe(false);
  });
});
