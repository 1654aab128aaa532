export {
  isMempoolError,
  mempoolFull,
  MempoolError,
  type MempoolErrorCode,
  type MempoolErrorDetails,
  type MempoolRejectionCode,
} from './errors.js';
export {
  createFastVerifier,
  createFastVerifiers,
  DEFAULT_KEY_CACHE_SIZE,
  ed25519KeyObject,
  fastVerifier,
  fastVerifierAsync,
  type FastVerifierOptions,
  type FastVerifiers,
} from './fast-verifier.js';
export { MEMPOOL_OPTIONS, MempoolModule, type MempoolModuleOptions } from './mempool.module.js';
export type { MempoolOptions } from './mempool.options.js';
export {
  DEFAULT_MAX_REJECTED_REASONS,
  MAX_AWAITING_SIGNER,
  MempoolService,
  type AdmissionOrigin,
  type AdmitManyResult,
  type AdmitResult,
  type AdmittedListener,
  type PendingTx,
  type RejectionReason,
  type TxStatus,
} from './mempool.service.js';
