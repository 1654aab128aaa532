/**
 * Re-verifying a chain from genesis: every block's links, certificate (against the authority set
 * of its height, replayed), transaction root, and state root (by re-executing every transaction
 * with the state machine). Used by `waybill verify-chain` and by nodes that sync from peers.
 */
import {
  blockHash,
  checkBlockLinks,
  createGenesisHeader,
  verifyCommitCertificate,
  type BlockHeader,
  type CommitCertificate,
  type GenesisConfig,
} from '../block/index.js';
import type { SignatureVerifier } from '../crypto/index.js';
import { isWaybillError } from '../errors.js';
import {
  executeTxs,
  genesisChanges,
  InMemoryState,
  refusalsProblem,
  refusedShapeProblem,
} from '../state/index.js';
import { decodeTx, txHash, type SignedTx } from '../tx/index.js';

export interface ChainBlock {
  header: BlockHeader;
  commit: CommitCertificate;
  txs: unknown[];
  /** The hash the store recorded for the block, when it records one. */
  hash?: string;
  /** The tx hashes the store recorded, index-aligned, when it records them. */
  txHashes?: string[];
  /** The refusals the block records (protocol.md, "Blocks"), absent when none. */
  refused?: unknown;
  /** The refused transactions' hashes the store recorded, index-aligned. */
  refusedHashes?: string[];
}

export type ChainVerdict =
  { ok: true; height: number; txs: number } | { ok: false; height: number; reason: string };

export interface VerifyChainOptions {
  genesis: GenesisConfig;
  /** Blocks from height 1 upwards, in order. */
  blocks: AsyncIterable<ChainBlock> | Iterable<ChainBlock>;
  verifier?: SignatureVerifier;
  onProgress?: (height: number) => void;
}

/** Replays the chain; stops at the first bad block and says what is wrong with it. */
export async function verifyChain(options: VerifyChainOptions): Promise<ChainVerdict> {
  const { genesis, verifier } = options;
  const state = new InMemoryState();
  state.commit(genesisChanges(genesis.authorities), []);
  let parent = createGenesisHeader(genesis);
  let count = 0;
  for await (const block of options.blocks) {
    const { header } = block;
    const height = typeof header.height === 'number' ? header.height : parent.height + 1;
    const fail = (reason: string): ChainVerdict => ({ ok: false, height, reason });
    const hash = blockHash(header);
    if (block.hash !== undefined && block.hash !== hash)
      return fail(`the header does not hash to the recorded hash ${block.hash}`);
    const shape = refusedShapeProblem(block.refused);
    if (shape !== undefined) return fail(shape);
    const claimed = (block.refused ?? []) as { tx: unknown; code: string }[];
    let txs: SignedTx[];
    let hashes: string[];
    let refused: SignedTx[];
    let refusedHashes: string[];
    try {
      txs = block.txs.map((tx) => decodeTx(tx));
      hashes = txs.map(txHash);
      refused = claimed.map((r) => decodeTx(r.tx));
      refusedHashes = refused.map(txHash);
    } catch (error) {
      return fail(
        `a transaction does not decode: ${isWaybillError(error) ? error.message : String(error)}`,
      );
    }
    const recorded = block.txHashes;
    if (recorded && recorded.some((h, i) => h !== hashes[i]))
      return fail('a transaction does not hash to its recorded hash: its content was altered');
    if (block.refusedHashes?.some((h, i) => h !== refusedHashes[i]))
      return fail(
        'a refused transaction does not hash to its recorded hash: its content was altered',
      );
    const validators = (state.get('authorities', 'current')?.authorities ?? []).map(
      (a) => a.publicKey,
    );
    const links = checkBlockLinks({
      header,
      parent,
      txHashes: hashes,
      refusals: refusedHashes.map((hash, i) => ({ hash, code: claimed[i]?.code ?? '' })),
      validators,
      maxClockSkewMs: Number.MAX_SAFE_INTEGER,
    });
    if (!links.ok) return fail(links.reason);
    const certificate = verifyCommitCertificate({
      certificate: block.commit,
      chainId: genesis.chainId,
      validators,
      header,
      ...(verifier && { verifier }),
    });
    if (!certificate.ok)
      return fail(`its commit certificate does not verify: ${certificate.reason}`);
    const execution = await executeTxs(state, txs, {
      chainId: genesis.chainId,
      height: header.height,
      timestamp: header.timestamp,
      prevStateRoot: parent.stateRoot,
      hashes,
      refused,
      refusedHashes,
      ...(verifier && { verifier }),
    });
    const rejected = execution.rejected[0];
    if (rejected)
      return fail(
        `transaction ${rejected.index} (${rejected.hash}) is invalid: ${rejected.code} ${rejected.message}`,
      );
    if (execution.stateRoot !== header.stateRoot)
      return fail(
        `re-executing its transactions gives state root ${execution.stateRoot}, the header says ${header.stateRoot}`,
      );
    const refusals = refusalsProblem(claimed, execution.refusals);
    if (refusals !== undefined) return fail(refusals);
    state.commit(execution.changes, [...hashes, ...refusedHashes]);
    parent = header;
    count += txs.length;
    options.onProgress?.(header.height);
  }
  return { ok: true, height: parent.height, txs: count };
}
