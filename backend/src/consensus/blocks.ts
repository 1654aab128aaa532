/**
 * Making and checking blocks against the chain's state: the proposer's build, a validator's check
 * of someone else's proposal, and the check of a certified block fetched by sync. All three run the
 * shared state machine on the parent state and keep the result, so a decided block is stored
 * without executing it again.
 */
import {
  blockHash,
  checkBlockLinks,
  proposerFor,
  txRootOf,
  validatorsHash,
  verifyCommitCertificate,
  type Block,
  type BlockHeader,
  type ProposedBlock,
} from '@waybill/shared/block';
import type { AsyncSignatureVerifier, SignatureVerifier } from '@waybill/shared/crypto';
import { isWaybillError } from '@waybill/shared/errors';
import {
  executeTxs,
  isRecordedRefusal,
  MAX_BLOCK_REFUSALS,
  refusalsProblem,
  refusedShapeProblem,
  type BlockExecution,
  type ExecuteOptions,
  withStateRoot,
} from '@waybill/shared/state';
import {
  badSignature,
  decodeTxForChain,
  verifyTxSignature,
  verifyTxSignatureAsync,
  type SignedTx,
} from '@waybill/shared/tx';
import type { ChainService, FinalizedBlock, RecordedRefusal } from '../chain/chain.service.js';
import type { PendingTx, RejectionReason } from '../mempool/mempool.service.js';

/** A block executed on its parent state: everything `ChainService.commit` needs but the certificate. */
export type ExecutedBlock = Omit<FinalizedBlock, 'block'> & { block: ProposedBlock<SignedTx> };

export type BlockCheck = { ok: true; executed: ExecutedBlock } | { ok: false; reason: string };

export interface BuildOptions {
  readonly chain: ChainService;
  readonly pending: readonly PendingTx[];
  readonly proposer: string;
  readonly round: number;
  readonly validators: readonly string[];
  /** This node's clock, ms since the epoch. */
  readonly now: number;
  /** For signatures inside transactions (the votes of evidence); envelopes were checked on admission. */
  readonly verifier: SignatureVerifier;
}

export interface BuiltBlock {
  readonly executed: ExecutedBlock;
  /**
   * Refusals a block does not record (a duplicate, a signer the chain does not know or has
   * revoked): they leave the pool now, with their reason. Refusals the block records take effect
   * only if the block is decided (`executed.refusals`).
   */
  readonly dropped: readonly { hash: string; reason: RejectionReason }[];
}

/**
 * Executes on the chain's state, loading what the block reads in a few batched queries (each
 * round runs the block on the cache; the first that misses nothing is the execution), then adds
 * the state root.
 */
async function execute(
  chain: ChainService,
  txs: readonly SignedTx[],
  options: ExecuteOptions,
): Promise<BlockExecution> {
  const execution = await chain.state.runLoaded((reader) =>
    executeTxs(reader, txs, { ...options, stateRoot: false }),
  );
  return withStateRoot(execution, options.prevStateRoot);
}

/** Strictly increasing timestamps even if the clock steps back. */
export function nextTimestamp(parent: BlockHeader, now: number): string {
  return new Date(Math.max(now, Date.parse(parent.timestamp) + 1)).toISOString();
}

export async function buildBlock(options: BuildOptions): Promise<BuiltBlock> {
  const { chain, pending, validators } = options;
  const parent = chain.headHeader;
  const height = parent.height + 1;
  const timestamp = nextTimestamp(parent, options.now);
  const execution = await execute(
    chain,
    pending.map((p) => p.tx),
    {
      chainId: parent.chainId,
      height,
      timestamp,
      prevStateRoot: parent.stateRoot,
      signaturesVerified: true,
      decoded: true,
      verifier: options.verifier,
      hashes: pending.map((p) => p.hash),
      settleRejected: true,
    },
  );
  // Not applied here: refused (recorded or dropped), or valid only after the block (next block).
  const left = new Set([...execution.rejected.map((r) => r.index), ...execution.deferred]);
  const refusals: RecordedRefusal[] = [];
  const dropped: BuiltBlock['dropped'][number][] = [];
  for (const r of execution.rejected) {
    const entry = pending[r.index];
    if (!entry) continue;
    const reason = {
      code: r.code,
      message: r.message,
      ...(r.path !== undefined && { path: r.path }),
    };
    if (!isRecordedRefusal(r.code)) dropped.push({ hash: entry.hash, reason });
    else if (refusals.length < MAX_BLOCK_REFUSALS)
      refusals.push({ tx: entry.tx, hash: entry.hash, ...reason });
  }
  const included = pending.filter((_, i) => !left.has(i));
  const txHashes = included.map((p) => p.hash);
  const header: BlockHeader = {
    chainId: parent.chainId,
    height,
    round: options.round,
    timestamp,
    prevHash: chain.headHash,
    txRoot: txRootOf(txHashes, refusals),
    stateRoot: execution.stateRoot,
    validatorsHash: validatorsHash(validators),
    proposer: options.proposer,
  };
  return {
    executed: {
      block: {
        header,
        txs: included.map((p) => p.tx),
        ...(refusals.length > 0 && { refused: refusals.map((r) => ({ tx: r.tx, code: r.code })) }),
      },
      hash: blockHash(header),
      txHashes,
      refusals,
      changes: execution.changes,
      leaves: execution.leaves,
      applied: execution.applied,
    },
    dropped,
  };
}

export interface CheckOptions {
  readonly chain: ChainService;
  readonly block: ProposedBlock;
  readonly validators: readonly string[];
  readonly verifier: SignatureVerifier;
  /**
   * Checks the transactions' signatures off this thread while the block executes (the verdicts
   * are awaited before the block is accepted); without it, `verifier` checks them one by one first.
   */
  readonly verifyAsync?: AsyncSignatureVerifier;
  /**
   * The pending transaction with this signature, decoded, hashed and verified at admission. A
   * proposal's transaction with the same signature is taken as that one without decoding,
   * hashing or verifying it again; if the proposer changed anything else, the hashes differ from
   * the header's txRoot and the block is refused, as it should be. Matching by hash alone would
   * not do: the hash leaves the signature out, so a proposer could pair a pooled transaction
   * with a signature that does not verify.
   */
  readonly pendingBySignature?: (signature: string) => PendingTx | undefined;
  /** This node's clock for the timestamp rule; omitted for certified blocks from sync. */
  readonly now?: number;
  readonly maxClockSkewMs: number;
}

/**
 * Checks a block on top of the current head: links, proposer, transactions (form, chain,
 * signatures), Merkle root, and that executing it yields its state root with no transaction refused
 * (a proposer must leave refused transactions out).
 */
export async function checkBlock(options: CheckOptions): Promise<BlockCheck> {
  const { chain, block, validators, verifier } = options;
  const parent = chain.headHeader;
  const header = block.header;
  if (header.prevHash !== chain.headHash || header.height !== parent.height + 1) {
    return {
      ok: false,
      reason: `block ${header.height} does not extend the head ${parent.height}`,
    };
  }
  if (block.txs.length > 100_000) return { ok: false, reason: 'too many transactions' };
  const shape = refusedShapeProblem(block.refused);
  if (shape !== undefined) return { ok: false, reason: shape };
  const claimed = (block.refused ?? []) as readonly { tx: unknown; code: string }[];
  // Signatures still to verify, each with where it is for the reason of a refusal.
  const unverified: { tx: SignedTx; hash: string; where: string }[] = [];
  const signed = (value: unknown, where: string) => {
    const checked = checkedTx(value, where, parent.chainId, options);
    if (checked.ok && checked.unverified)
      unverified.push({ tx: checked.tx, hash: checked.hash, where });
    return checked;
  };
  const txs: SignedTx[] = [];
  const txHashes: string[] = [];
  for (const [i, value] of block.txs.entries()) {
    const checked = signed(value, `transaction ${i}`);
    if (!checked.ok) return checked;
    txs.push(checked.tx);
    txHashes.push(checked.hash);
  }
  const refusedTxs: SignedTx[] = [];
  const refusedItems: { hash: string; code: string }[] = [];
  const seen = new Set(txHashes);
  for (const [i, entry] of claimed.entries()) {
    const checked = signed(entry.tx, `refusal ${i}`);
    if (!checked.ok) return checked;
    if (seen.has(checked.hash)) {
      return {
        ok: false,
        reason: `refusal ${i}: transaction ${checked.hash} is in the block twice`,
      };
    }
    seen.add(checked.hash);
    refusedTxs.push(checked.tx);
    refusedItems.push({ hash: checked.hash, code: entry.code });
  }
  const links = checkBlockLinks({
    header,
    parent,
    txHashes,
    refusals: refusedItems,
    validators,
    ...(options.now !== undefined && { now: new Date(options.now) }),
    maxClockSkewMs: options.maxClockSkewMs,
  });
  if (!links.ok) return { ok: false, reason: links.reason };
  if (header.proposer !== proposerFor({ validators, height: header.height, round: header.round })) {
    return { ok: false, reason: `proposer ${header.proposer} is not the proposer of its round` };
  }
  // Execution does not depend on the signatures: they are checked meanwhile. (Awaited below;
  // if execution throws first, a rejection of theirs must not go unhandled.)
  const signatures = verifySignatures(unverified, options);
  signatures.catch(() => undefined);
  const execution = await execute(chain, txs, {
    chainId: parent.chainId,
    height: header.height,
    timestamp: header.timestamp,
    prevStateRoot: parent.stateRoot,
    signaturesVerified: true,
    decoded: true,
    verifier,
    hashes: txHashes,
    refused: refusedTxs,
    refusedHashes: refusedItems.map((r) => r.hash),
  });
  const badSignature = await signatures;
  if (badSignature !== undefined) return { ok: false, reason: badSignature };
  const refused = execution.rejected[0];
  if (refused) {
    return {
      ok: false,
      reason: `transaction ${refused.index} is refused by the state machine: ${refused.code}: ${refused.message}`,
    };
  }
  const wrong = refusalsProblem(claimed, execution.refusals);
  if (wrong !== undefined) return { ok: false, reason: wrong };
  const refusals = execution.refusals.flatMap((verdict, i): RecordedRefusal[] =>
    verdict.ok
      ? []
      : [
          {
            tx: refusedTxs[i] as SignedTx,
            hash: verdict.hash,
            code: verdict.code,
            message: verdict.message,
            ...(verdict.path !== undefined && { path: verdict.path }),
          },
        ],
  );
  if (execution.stateRoot !== header.stateRoot) {
    return {
      ok: false,
      reason: `state root ${header.stateRoot} does not match the execution's ${execution.stateRoot}`,
    };
  }
  return {
    ok: true,
    executed: {
      block: {
        header,
        txs,
        ...(refusals.length > 0 && { refused: refusals.map((r) => ({ tx: r.tx, code: r.code })) }),
      },
      hash: blockHash(header),
      txHashes,
      refusals,
      changes: execution.changes,
      leaves: execution.leaves,
      applied: execution.applied,
    },
  };
}

/**
 * A block's transaction: decoded, on this chain, hashed once, and whether its signature is still
 * to be verified (once per node: one from our own pool, signature and all, was checked on
 * admission and is taken as it is).
 */
function checkedTx(
  value: unknown,
  where: string,
  chainId: string,
  options: Pick<CheckOptions, 'pendingBySignature'>,
): { ok: true; tx: SignedTx; hash: string; unverified: boolean } | { ok: false; reason: string } {
  const signature = (value as { signature?: unknown } | null)?.signature;
  const known = typeof signature === 'string' ? options.pendingBySignature?.(signature) : undefined;
  if (known) return { ok: true, tx: known.tx, hash: known.hash, unverified: false };
  try {
    const { tx, hash } = decodeTxForChain(value, chainId);
    return { ok: true, tx, hash, unverified: true };
  } catch (error) {
    return { ok: false, reason: `${where}: ${describe(error)}` };
  }
}

/** The reason to refuse the block for the first signature that does not verify, if any. */
async function verifySignatures(
  unverified: readonly { tx: SignedTx; hash: string; where: string }[],
  options: Pick<CheckOptions, 'verifier' | 'verifyAsync'>,
): Promise<string | undefined> {
  const { verifyAsync, verifier } = options;
  const verdicts = verifyAsync
    ? await Promise.all(unverified.map((u) => verifyTxSignatureAsync(u.tx, u.hash, verifyAsync)))
    : unverified.map((u) => verifyTxSignature(u.tx, verifier, u.hash));
  const first = verdicts.indexOf(false);
  const bad = unverified[first];
  return bad && `${bad.where}: ${describe(badSignature())}`;
}

function describe(error: unknown): string {
  return isWaybillError(error) ? `${error.code}: ${error.message}` : String(error);
}

/** A certified block from a peer: its certificate by the current set, then everything else. */
export async function checkCertifiedBlock(
  options: Omit<CheckOptions, 'block' | 'now'> & { block: Block },
): Promise<{ ok: true; finalized: FinalizedBlock } | { ok: false; reason: string }> {
  const { block, validators, chain, verifier } = options;
  const certificate = verifyCommitCertificate({
    certificate: block.commit,
    chainId: chain.genesis.chainId,
    validators,
    header: block.header,
    verifier,
  });
  if (!certificate.ok) return { ok: false, reason: certificate.reason };
  const checked = await checkBlock({ ...options, block });
  if (!checked.ok) return checked;
  return {
    ok: true,
    finalized: { ...checked.executed, block: { ...checked.executed.block, commit: block.commit } },
  };
}
