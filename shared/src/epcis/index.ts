/**
 * EPCIS 2.0 (docs/epcis.md): reading documents, EPC URNs and GS1 Digital Links in the canonical
 * form Waybill stores, the GS1 CBV 2.0 event hash, events mapped to Waybill transactions and
 * Waybill histories exported as EPCIS documents. Every failure is a WaybillError with a code
 * (INVALID_GS1, INVALID_PAYLOAD) or, for mapping, a problem naming the event and the field.
 */
export {
  attachTransactions,
  capturedTxProblem,
  readSignedCapture,
  WAYBILL_TRANSACTION,
  type SignedCapture,
} from './capture.js';
export {
  EPCIS_CONTEXT,
  EPCIS_EVENT_TYPES,
  readEpcis,
  type CapturedEvent,
  type EpcisEventType,
  type EpcisProblem,
  type ReadDocument,
} from './document.js';
export {
  epcisDocumentEventHashes,
  epcisDocumentPreHashes,
  epcisEventHash,
  preHashString,
} from './event-hash.js';
export {
  DECOMMISSIONED,
  waybillToEpcis,
  type EpcisDocument,
  type ExportDirectory,
  type ExportOptions,
  type HistoryStep,
} from './from-waybill.js';
export {
  DEFAULT_PER_PAGE,
  EVENT_QUERY_PARAMETERS,
  exactQueryEpcs,
  matchesEventQuery,
  MAX_PER_PAGE,
  parseEventQuery,
  type EventQuery,
} from './query.js';
export {
  cbvWord,
  mapEpcisEvent,
  type Directory,
  type MappedTx,
  type MapResult,
} from './to-waybill.js';
export { digitalLinkToUrn, isEpcUrn, normalizeEpcisIdentifier, urnToDigitalLink } from './urn.js';
