/**
 * What a node says when it will not start on its database: the damage SQLite or the chain check
 * found, the verify-chain verdict on the whole file, and what to do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateGenesis } from '@waybill/shared/block';
import type { NodeConfig } from '../config/node-config.js';
import { DATABASE_FILE } from '../storage/storage.module.js';
import { ChainError } from './errors.js';
import { verdictLine, verifyStoredChain } from './verify-stored-chain.js';

/** SQLite's words for a file that is not (or no longer) a well-formed database. */
const SQLITE_DAMAGE = /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database/i;

export function isDamagedDatabase(error: unknown): boolean {
  if (error instanceof ChainError) return error.code === 'CORRUPT_DATABASE';
  return error instanceof Error && SQLITE_DAMAGE.test(error.message);
}

/**
 * The error a node stops with on a damaged database, after running verify-chain over it (progress
 * on `log`, since a long chain takes a while).
 */
export async function damagedDatabaseError(
  error: unknown,
  config: Pick<NodeConfig, 'dataDir' | 'genesisFile'>,
  log: (line: string) => void,
): Promise<ChainError> {
  const file = join(config.dataDir, DATABASE_FILE);
  const found = error instanceof Error ? error.message : String(error);
  log(`the database ${file} is damaged (${found}); running verify-chain over it…`);
  let report: string;
  try {
    const genesis = validateGenesis(JSON.parse(readFileSync(config.genesisFile, 'utf8')));
    const verdict = await verifyStoredChain(config.dataDir, genesis, (height, total) => {
      if (height % 1000 === 0) log(`verify-chain: ${height}/${total} blocks`);
    });
    report = verdictLine(verdict, genesis);
    if (verdict.ok) {
      report +=
        ' (every block replays: the damage is in SQLite pages the chain check does not read, such as indexes)';
    }
  } catch (reportError) {
    report = `could not run: ${reportError instanceof Error ? reportError.message : String(reportError)}`;
  }
  return new ChainError(
    'CORRUPT_DATABASE',
    [
      `CORRUPT_DATABASE: the node will not start on a damaged database (${file}): ${found}`,
      `verify-chain: ${report}`,
      `What to do: restore ${config.dataDir} from a backup, or move it away and start with an empty data directory (same genesis and keys) to sync the chain from peers. ` +
        `\`waybill verify-chain --data-dir ${config.dataDir}\` repeats the check.`,
    ].join('\n'),
  );
}
