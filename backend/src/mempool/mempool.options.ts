import type { AsyncSignatureVerifier, SignatureVerifier } from '@waybill/shared/crypto';
import type { SignerProblem } from '@waybill/shared/state';

/** Injection token of the {@link MempoolOptions} the app module provides (see MempoolModule). */
export const MEMPOOL_OPTIONS = Symbol('MEMPOOL_OPTIONS');

export interface MempoolOptions {
  /** Transactions for any other chain are refused with WRONG_CHAIN. */
  chainId: string;
  /** Pending transactions held at most; beyond it admission answers MEMPOOL_FULL. */
  maxSize: number;
  /**
   * Canonical bytes a transaction may have, at most. Can only lower the protocol's limit
   * (`MAX_TX_BYTES`, 64 KiB), which `checkTx` always applies.
   */
  maxTxBytes?: number;
  /** Signature verifier used at admission; `fastVerifier` by default. */
  verifier?: SignatureVerifier;
  /**
   * The verifier `admitMany` uses (on the thread pool); `fastVerifierAsync` by default, or
   * `verifier` when only that is given.
   */
  verifyAsync?: AsyncSignatureVerifier;
  /** True when a transaction with this hash is already in a final block (DUPLICATE). */
  isOnChain?: (hash: string) => Promise<boolean>;
  /** The same for many at once (one batched lookup); `admitMany` uses it when given. */
  isOnChainMany?: (hashes: readonly string[]) => Promise<ReadonlySet<string>>;
  /**
   * Why the signer may sign nothing on the current state (UNKNOWN_SIGNER, KEY_REVOKED), or
   * undefined. Given, admission refuses such transactions at once, unless a pending `member.add`
   * in this pool registers the key: keys nobody registered cannot fill the pool.
   */
  signerProblem?: (signer: string) => Promise<SignerProblem | undefined>;
  /** Block-building refusals remembered for `status` (oldest forgotten first); 100,000 by default. */
  maxRejectedReasons?: number;
  /**
   * Where the pool is kept across a clean stop: written at shutdown, admitted again (and removed)
   * at the next start, so a restart loses nothing a client was told is PENDING.
   */
  journalFile?: string;
}
