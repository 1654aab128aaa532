/**
 * Checking a provenance bundle where the reader is: `verifyBundle` of `shared` with the strict
 * noble verifier (the browser's), counting signatures as it goes so the page can say how far it is.
 */
import { verifyBundle, type BundleVerification } from '@waybill/shared/bundle';
import { verifyStrict, type SignatureVerifier } from '@waybill/shared/crypto';

export interface VerifyOptions {
  /** The EPC the page is about: a bundle about anything else fails. */
  expectedSubject: string;
  /** The genesis the reader trusts; without it, the bundle's own genesis (the node's) is used. */
  expectedGenesisHash?: string;
}

export interface VerifyProgress {
  /** Called with the number of signatures checked so far, every few signatures. */
  onProgress?: (checked: number) => void;
  signal?: AbortSignal;
}

export type BundleVerifier = (
  bundle: unknown,
  options: VerifyOptions,
  progress?: VerifyProgress,
) => Promise<BundleVerification>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * How many signatures checking the bundle takes: one per transaction and one per authority
 * signature of each block's certificate. Never throws on a malformed bundle.
 */
export function countSignatures(bundle: unknown): number {
  if (!isObject(bundle)) return 0;
  const txs = Array.isArray(bundle.txs) ? bundle.txs.length : 0;
  const blocks = Array.isArray(bundle.blocks) ? (bundle.blocks as unknown[]) : [];
  let certificates = 0;
  for (const block of blocks) {
    const commit = isObject(block) ? block.commit : undefined;
    const signatures = isObject(commit) ? commit.signatures : undefined;
    if (Array.isArray(signatures)) certificates += signatures.length;
  }
  return txs + certificates;
}

/** A verifier that counts what it checks, reporting every `every` signatures. */
export function countingVerifier(
  onProgress: ((checked: number) => void) | undefined,
  every = 10,
  base: SignatureVerifier = verifyStrict,
): SignatureVerifier {
  let checked = 0;
  return (signature, message, publicKey) => {
    checked++;
    if (onProgress && checked % every === 0) onProgress(checked);
    return base(signature, message, publicKey);
  };
}

/** Verifies on the calling thread, after yielding once so "Verifying…" can be painted. */
export const verifyInPage: BundleVerifier = async (bundle, options, progress = {}) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (progress.signal?.aborted) throw new DOMException('verification cancelled', 'AbortError');
  return verifyBundle(bundle, {
    expectedSubject: options.expectedSubject,
    ...(options.expectedGenesisHash !== undefined && {
      expectedGenesisHash: options.expectedGenesisHash,
    }),
    verifier: countingVerifier(progress.onProgress),
  });
};
