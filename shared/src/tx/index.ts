/** Transactions: the envelope, every payload schema, sign and verify. */
export {
  badSignature,
  checkTx,
  createTx,
  decodeTx,
  decodeTxForChain,
  decodeTxJson,
  MAX_TX_BYTES,
  randomNonce,
  txHash,
  verifyTxSignature,
  verifyTxSignatureAsync,
  type CheckTxOptions,
  type CreateTxOptions,
  type SignedTx,
  type SignedTxOf,
  type UnsignedTx,
  type UnsignedTxOf,
} from './envelope.js';
export { eventTimeMs, MEMBER_ROLES, ORG_ROLES, type MemberRole, type OrgRole } from './fields.js';
export {
  isTxType,
  payloadSchemas,
  TX_TYPES,
  type AnyPayload,
  type PayloadOf,
  type TxType,
} from './payloads.js';
export type { Infer, JsonData, JsonObject, Schema } from './schema.js';
