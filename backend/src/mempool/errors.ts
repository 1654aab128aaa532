/**
 * Mempool refusals that are not protocol rejections. `WaybillError`'s code union is the protocol's
 * (shared/errors); a full pool is a property of one node at one moment, so it lives here, shaped
 * like a `WaybillError` (`code`, `message`, `details`, `path`) so the API maps both the same way.
 */
import type { RejectionCode } from '@waybill/shared/errors';

export type MempoolErrorCode = 'MEMPOOL_FULL';

/** Every code a transaction can be refused with by the mempool (admission or block building). */
export type MempoolRejectionCode = RejectionCode | MempoolErrorCode;

export interface MempoolErrorDetails {
  readonly path?: string;
  /** The pool's capacity, for MEMPOOL_FULL. */
  readonly maxSize?: number;
  /** Hash of the refused transaction. */
  readonly hash?: string;
  /** The client may submit the same transaction again later. */
  readonly retryable?: boolean;
}

export class MempoolError extends Error {
  override readonly name = 'MempoolError';
  readonly code: MempoolErrorCode;
  readonly details: MempoolErrorDetails;

  constructor(code: MempoolErrorCode, message: string, details: MempoolErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get path(): string | undefined {
    return this.details.path;
  }
}

export function isMempoolError(value: unknown): value is MempoolError {
  return value instanceof MempoolError;
}

export function mempoolFull(maxSize: number, hash?: string): MempoolError {
  return new MempoolError(
    'MEMPOOL_FULL',
    `the mempool is full (${maxSize} pending transactions); retry later`,
    { maxSize, retryable: true, ...(hash !== undefined && { hash }) },
  );
}
