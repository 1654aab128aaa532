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
  DEFAULT_KEY_CACHE_SIZE,
  ed25519KeyObject,
  fastVerifier,
  type FastVerifierOptions,
} from './fast-verifier.js';
export { MEMPOOL_OPTIONS, MempoolModule, type MempoolModuleOptions } from './mempool.module.js';
export type { MempoolOptions } from './mempool.options.js';
export {
  DEFAULT_MAX_REJECTED_REASONS,
  MempoolService,
  type AdmitManyResult,
  type AdmitResult,
  type AdmittedListener,
  type PendingTx,
  type RejectionReason,
  type TxStatus,
} from './mempool.service.js';
