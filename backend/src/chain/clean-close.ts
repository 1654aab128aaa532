/**
 * Whether the database file is exactly as this node left it at its last clean stop.
 *
 * SQLite's `PRAGMA integrity_check` reads every page: on a chain of a few hundred megabytes it
 * takes seconds per node, and a restart of every node at once on a small machine pays it for each.
 * A file that was closed cleanly and has not been touched since cannot have been damaged by a crash
 * or a half-written block, so start-up skips the page scan for it and keeps the head checks. After a
 * crash (no marker), or when anything changed the file since (size, modification time or inode
 * differ), the full check runs as before.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../storage/storage.module.js';

export const CLEAN_CLOSE_FILE = 'clean-close.json';

interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

function identityOf(file: string): FileIdentity | undefined {
  try {
    const stat = statSync(file);
    return { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
  } catch {
    return undefined;
  }
}

/** A write-ahead log with frames in it: the file alone is not the whole database. */
function hasWriteAheadLog(dataDir: string): boolean {
  return (identityOf(join(dataDir, `${DATABASE_FILE}-wal`))?.size ?? 0) > 0;
}

/**
 * Called once the database is closed at a clean stop: records what the file looks like now.
 * Nothing is recorded while a write-ahead log holds frames (SQLite checkpoints it on close).
 */
export function recordCleanClose(dataDir: string): void {
  const identity = identityOf(join(dataDir, DATABASE_FILE));
  if (identity === undefined || hasWriteAheadLog(dataDir)) return;
  writeFileSync(join(dataDir, CLEAN_CLOSE_FILE), `${JSON.stringify(identity)}\n`);
}

/**
 * True when the last stop was clean and the file is untouched since. The marker is consumed: a
 * node that crashes after this start finds none at its next one and checks the whole file.
 */
export function takeCleanClose(dataDir: string): boolean {
  const markerFile = join(dataDir, CLEAN_CLOSE_FILE);
  let recorded: FileIdentity;
  try {
    recorded = JSON.parse(readFileSync(markerFile, 'utf8')) as FileIdentity;
  } catch {
    return false;
  } finally {
    rmSync(markerFile, { force: true });
  }
  const now = identityOf(join(dataDir, DATABASE_FILE));
  return (
    now !== undefined &&
    !hasWriteAheadLog(dataDir) &&
    now.size === recorded.size &&
    now.mtimeMs === recorded.mtimeMs &&
    now.ino === recorded.ino
  );
}
