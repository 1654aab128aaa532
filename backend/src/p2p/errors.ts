/** Failures of the libp2p host; each code says which part failed, tests match on it. */
export type P2pErrorCode =
  | 'BAD_PEER_KEY'
  | 'NOT_STARTED'
  | 'LISTEN_FAILED'
  | 'UNKNOWN_TOPIC'
  | 'HANDLER_EXISTS'
  | 'PEER_PENALIZED'
  | 'PEER_REFUSED'
  | 'TIMEOUT'
  | 'REQUEST_FAILED'
  | 'PUBLISH_FAILED'
  | 'TOO_LARGE'
  | 'BAD_REQUEST'
  | 'BAD_RESPONSE'
  | 'REMOTE_ERROR';

export class P2pError extends Error {
  override readonly name = 'P2pError';

  constructor(
    readonly code: P2pErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
