/**
 * Reading EPCIS 2.0 JSON/JSON-LD input: an `EPCISDocument` (or an `EPCISQueryDocument`, as an
 * export or a query answers) with its `eventList`, a single event, or an array of events. Each
 * event comes out self-contained, carrying the document's `@context`, so that its extensions keep
 * their namespaces wherever it is stored, hashed or exported.
 */
import type { JsonData, JsonObject } from '../tx/schema.js';

export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransformationEvent',
  'TransactionEvent',
  'AssociationEvent',
] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** The EPCIS 2.0 JSON-LD context every document names first. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** Something in the input that cannot be read or mapped: which event (or -1: the document) and field. */
export interface EpcisProblem {
  /** Position in the document's eventList; -1 for the document itself. */
  index: number;
  /** JSON path within the event (or document), such as `$.epcList[2]`. */
  field: string;
  message: string;
}

export interface CapturedEvent {
  /** Position in the document's eventList. */
  index: number;
  type: EpcisEventType;
  /** The event as captured, with the document's `@context` (unless it has its own). */
  event: JsonObject;
}

export interface ReadDocument {
  events: CapturedEvent[];
  problems: EpcisProblem[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEventType(value: unknown): value is EpcisEventType {
  return typeof value === 'string' && (EPCIS_EVENT_TYPES as readonly string[]).includes(value);
}

/** The event list of a document, wherever its kind keeps it. */
function eventListOf(document: JsonObject): { list: JsonData; field: string } | undefined {
  const body = document.epcisBody;
  if (!isObject(body)) return undefined;
  if (Array.isArray(body.eventList))
    return { list: body.eventList, field: '$.epcisBody.eventList' };
  const results = isObject(body.queryResults) ? body.queryResults.resultsBody : undefined;
  if (isObject(results) && Array.isArray(results.eventList))
    return { list: results.eventList, field: '$.epcisBody.queryResults.resultsBody.eventList' };
  return undefined;
}

/**
 * The events of parsed EPCIS JSON, each with its index, and a problem for every entry that is not
 * an event this reads (the rest are still returned, so a dry run can report them all).
 */
export function readEpcis(input: unknown): ReadDocument {
  const problems: EpcisProblem[] = [];
  let entries: readonly JsonData[];
  let context: JsonData | undefined;
  let listField = '$';
  if (Array.isArray(input)) {
    entries = input as JsonData[];
  } else if (isObject(input) && isEventType(input.type)) {
    entries = [input];
  } else if (
    isObject(input) &&
    (input.type === 'EPCISDocument' || input.type === 'EPCISQueryDocument')
  ) {
    context = input['@context'];
    const found = eventListOf(input);
    if (!found) {
      problems.push({
        index: -1,
        field: '$.epcisBody.eventList',
        message: `an ${input.type} needs epcisBody.eventList (an array of events)`,
      });
      return { events: [], problems };
    }
    listField = found.field;
    entries = found.list as JsonData[];
  } else {
    problems.push({
      index: -1,
      field: '$.type',
      message:
        'expected an EPCISDocument, an EPCISQueryDocument, one EPCIS event or an array of events',
    });
    return { events: [], problems };
  }
  const events: CapturedEvent[] = [];
  entries.forEach((entry, index) => {
    if (!isObject(entry)) {
      problems.push({ index, field: `${listField}[${index}]`, message: 'is not an object' });
      return;
    }
    if (!isEventType(entry.type)) {
      problems.push({
        index,
        field: '$.type',
        message: `expected one of ${EPCIS_EVENT_TYPES.join(', ')}, got ${JSON.stringify(entry.type ?? null)}`,
      });
      return;
    }
    const event =
      context !== undefined && entry['@context'] === undefined
        ? { '@context': context, ...entry }
        : entry;
    events.push({ index, type: entry.type, event });
  });
  return { events, problems };
}
