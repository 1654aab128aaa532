/** Failures of the block store; each says what to do about it. */
export type ChainErrorCode =
  | 'NO_GENESIS'
  | 'BAD_GENESIS'
  | 'WRONG_GENESIS'
  | 'CORRUPT_DATABASE'
  | 'OUT_OF_ORDER'
  | 'STORAGE_FAULT';

export class ChainError extends Error {
  override readonly name = 'ChainError';

  constructor(
    readonly code: ChainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
