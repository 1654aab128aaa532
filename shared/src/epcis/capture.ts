/**
 * Signed capture: how an EPCIS document travels to a node's capture endpoint with the Waybill
 * transaction each event became, signed by the capturing party (the node holds no keys).
 *
 * Each event carries its signed transaction under one property, a full IRI so that the document
 * needs no extra context: `"https://waybill.dev/ns/epcis#transaction": { …signed tx… }`. The node
 * takes it out, reads the document as it was before (same `@context`, same events), and accepts
 * the transaction only if it keeps exactly that event and its GS1 event hash: what is recorded is
 * what was posted. `waybill import epcis --sign-only` writes such documents.
 */
import { canonicalize } from '../encoding/index.js';
import type { JsonData, JsonObject } from '../tx/schema.js';
import { readEpcis, type CapturedEvent, type EpcisProblem } from './document.js';
import { epcisEventHash } from './event-hash.js';

/** The property of an event that carries its signed Waybill transaction. */
export const WAYBILL_TRANSACTION = 'https://waybill.dev/ns/epcis#transaction';

export interface SignedCapture {
  /** Each event as it was before signing, with its transaction (undefined when it carries none). */
  events: (CapturedEvent & { tx: unknown })[];
  problems: EpcisProblem[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The events of a signed capture document, each with the transaction it carries. */
export function readSignedCapture(input: unknown): SignedCapture {
  const carried = new Map<number, unknown>();
  const strip = (event: unknown, index: number): unknown => {
    if (!isObject(event) || !(WAYBILL_TRANSACTION in event)) return event;
    const { [WAYBILL_TRANSACTION]: tx, ...rest } = event;
    carried.set(index, tx);
    return rest;
  };
  let unsigned: unknown = input;
  if (Array.isArray(input)) unsigned = input.map(strip);
  else if (isObject(input) && isObject(input.epcisBody)) {
    const body = input.epcisBody;
    if (Array.isArray(body.eventList))
      unsigned = { ...input, epcisBody: { ...body, eventList: body.eventList.map(strip) } };
    const results = isObject(body.queryResults) ? body.queryResults : undefined;
    const resultsBody = results && isObject(results.resultsBody) ? results.resultsBody : undefined;
    if (results && resultsBody && Array.isArray(resultsBody.eventList)) {
      unsigned = {
        ...input,
        epcisBody: {
          ...body,
          queryResults: {
            ...results,
            resultsBody: { ...resultsBody, eventList: resultsBody.eventList.map(strip) },
          },
        },
      };
    }
  } else unsigned = strip(input, 0);
  const { events, problems } = readEpcis(unsigned);
  return { events: events.map((e) => ({ ...e, tx: carried.get(e.index) })), problems };
}

/**
 * Why a transaction may not stand for a captured event, or undefined when it may: it must keep
 * the event exactly, under the event's GS1 event hash.
 */
export function capturedTxProblem(captured: CapturedEvent, tx: unknown): string | undefined {
  if (tx === undefined)
    return `carries no signed Waybill transaction under "${WAYBILL_TRANSACTION}"; sign the document with waybill import epcis --sign-only`;
  const kept = isObject(tx) && isObject(tx.payload) ? tx.payload.epcis : undefined;
  if (!isObject(kept) || !isObject(kept.event) || typeof kept.eventHash !== 'string')
    return 'its transaction keeps no EPCIS event (payload.epcis {eventHash, event})';
  if (canonicalize(kept.event) !== canonicalize(captured.event))
    return 'its transaction keeps another event than the one posted';
  const hash = epcisEventHash(captured.event);
  if (kept.eventHash !== hash)
    return `its transaction names event hash ${kept.eventHash}, but the event's is ${hash}`;
  return undefined;
}

/**
 * The input with each event's signed transaction attached (by event index): an EPCIS document,
 * an array of events or one event, as `readEpcis` reads them.
 */
export function attachTransactions(input: JsonData, txs: ReadonlyMap<number, unknown>): JsonData {
  const attach = (event: JsonData, index: number): JsonData => {
    const tx = txs.get(index);
    return tx === undefined || !isObject(event)
      ? event
      : { ...event, [WAYBILL_TRANSACTION]: tx as JsonObject };
  };
  if (Array.isArray(input)) return input.map(attach);
  if (!isObject(input)) return input;
  const body = input.epcisBody;
  if (!isObject(body)) return attach(input, 0);
  if (Array.isArray(body.eventList))
    return { ...input, epcisBody: { ...body, eventList: body.eventList.map(attach) } };
  const results = isObject(body.queryResults) ? body.queryResults : undefined;
  const resultsBody = results && isObject(results.resultsBody) ? results.resultsBody : undefined;
  if (results && resultsBody && Array.isArray(resultsBody.eventList)) {
    return {
      ...input,
      epcisBody: {
        ...body,
        queryResults: {
          ...results,
          resultsBody: { ...resultsBody, eventList: resultsBody.eventList.map(attach) },
        },
      },
    };
  }
  return input;
}
