/**
 * Coded errors. Every failure the protocol can report carries a stable `code` (tests and
 * clients match on it, never on the message) and, where it helps, the JSON path of what was wrong.
 */

/** Rejection codes of transactions and blocks (protocol.md, "Transaction types"). */
export const REJECTION_CODES = [
  'BAD_ENCODING',
  'BAD_SIGNATURE',
  'WRONG_CHAIN',
  'DUPLICATE',
  'UNKNOWN_SIGNER',
  'KEY_REVOKED',
  'NOT_AUTHORIZED',
  'NOT_CUSTODIAN',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'TRANSFER_PENDING',
  'INVALID_PAYLOAD',
  'INVALID_GS1',
  'TOO_LARGE',
  'INVALID_EVIDENCE',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Codes of failures outside transaction admission (keys, keystores, blocks, bundles). */
export type ErrorCode =
  | RejectionCode
  | 'INVALID_KEY'
  | 'KEYSTORE_INVALID'
  | 'KEYSTORE_WRONG_PASSPHRASE'
  | 'INVALID_BLOCK'
  | 'INVALID_CERTIFICATE'
  | 'INVALID_PROOF'
  | 'INVALID_BUNDLE'
  | 'INVALID_QUERY';

export interface ErrorDetails {
  /** JSON path of the offending value, such as `$.payload.items[2].serial`. */
  readonly path?: string;
  readonly [key: string]: unknown;
}

export class WaybillError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'WaybillError';
  readonly code: C;
  readonly details: ErrorDetails;

  constructor(code: C, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get path(): string | undefined {
    return this.details.path;
  }
}

export function isWaybillError(value: unknown): value is WaybillError {
  return value instanceof WaybillError;
}
