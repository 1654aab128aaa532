/**
 * verify-chain over a node's database file: every block from genesis replayed and checked (hashes,
 * certificates, transactions, state roots). Used by `waybill verify-chain` and by a node that finds
 * its database damaged at start, so both report the same first bad height.
 */
import type { GenesisConfig } from '@waybill/shared/block';
import { verifyChain, type ChainVerdict } from '@waybill/shared/chain';
import { fastVerifier } from '../mempool/fast-verifier.js';
import { ReadOnlyStore } from '../storage/read-only-store.js';

/**
 * The verdict on the chain stored in `dataDir`. A file SQLite cannot read counts as a bad block at
 * the first height it could not read, not as an exception: a damaged file is what this is for.
 */
export async function verifyStoredChain(
  dataDir: string,
  genesis: GenesisConfig,
  onProgress?: (height: number, total: number) => void,
): Promise<ChainVerdict> {
  let verified = 0;
  let store: ReadOnlyStore;
  try {
    store = await ReadOnlyStore.open(dataDir);
  } catch (error) {
    return { ok: false, height: 0, reason: `the database cannot be opened: ${messageOf(error)}` };
  }
  try {
    let total: number;
    try {
      total = await store.height();
    } catch (error) {
      // Not even the list of blocks reads: no height is to blame.
      return { ok: false, height: 0, reason: `the database cannot be read: ${messageOf(error)}` };
    }
    return await verifyChain({
      genesis,
      blocks: store.blocks(),
      verifier: fastVerifier,
      onProgress: (height) => {
        verified = height;
        onProgress?.(height, total);
      },
    });
  } catch (error) {
    return {
      ok: false,
      height: verified + 1,
      reason: `the database cannot be read: ${messageOf(error)}`,
    };
  } finally {
    await store.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The verdict in one line, as `waybill verify-chain` prints it. */
export function verdictLine(verdict: ChainVerdict, genesis: GenesisConfig): string {
  if (verdict.ok)
    return `chain ${genesis.chainId} verified: ${verdict.height} blocks, ${verdict.txs} transactions`;
  return verdict.height === 0
    ? verdict.reason
    : `first bad height: ${verdict.height}: ${verdict.reason}`;
}
