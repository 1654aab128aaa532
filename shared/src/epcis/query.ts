/**
 * The EPCIS 2.0 query parameters Waybill answers (the REST binding's `GET /events` with the
 * SimpleEventQuery filters that fit what a ledger holds), read from a URL's query and applied to
 * events as export writes them. One reading of the standard's matching rules, for the node and for
 * tests alike:
 * - `EQ_bizStep`, `EQ_disposition`: any of the values; CBV values in any spelling (bare word,
 *   `cbv:` CURIE, URN, ref.gs1.org URI) are the same value;
 * - `GE_eventTime`, `LT_eventTime`: instants, compared as instants whatever the offsets;
 * - `MATCH_epc` (`epcList`, `childEPCs`), `MATCH_anyEPC` (also `parentID`, `inputEPCList`,
 *   `outputEPCList`): EPC URNs, SGTIN patterns (`urn:epc:idpat:sgtin:CP.IIR.*`) or Digital Links;
 *   a bare GTIN (`/01/{gtin}`, or the pattern) matches every serial of it;
 * - `MATCH_epcClass` (the quantity lists): LGTIN URNs or Digital Links of lots, or product classes;
 * - `EQ_bizLocation`: SGLN URNs or Digital Links;
 * - `eventType`: ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent.
 * Each parameter may be repeated or carry a comma-separated list (the REST binding's form).
 */
import { WaybillError } from '../errors.js';
import type { JsonData, JsonObject } from '../tx/schema.js';
import { EPCIS_EVENT_TYPES } from './document.js';
import { cbvWord } from './to-waybill.js';
import { normalizeEpcisIdentifier } from './urn.js';

export interface EventQuery {
  eventTypes?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  bizLocations?: string[];
  /** Inclusive lower bound, ms since the epoch. */
  fromMs?: number;
  /** Exclusive upper bound, ms since the epoch. */
  toMs?: number;
  /** Canonical Digital Links; a bare GTIN link matches its serials. */
  epcs?: string[];
  anyEpcs?: string[];
  epcClasses?: string[];
  perPage: number;
  nextPageToken?: string;
}

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;

export const EVENT_QUERY_PARAMETERS = [
  'eventType',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_bizLocation',
  'GE_eventTime',
  'LT_eventTime',
  'MATCH_epc',
  'MATCH_anyEPC',
  'MATCH_epcClass',
  'perPage',
  'nextPageToken',
] as const;

type Parameters = Readonly<Record<string, string | readonly string[] | undefined>>;

function queryError(parameter: string, message: string): WaybillError {
  return new WaybillError('INVALID_QUERY', `${parameter}: ${message}`, { path: parameter });
}

/** The values of a parameter: repeated, comma-separated, or both. */
function values(params: Parameters, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const all = (typeof raw === 'string' ? [raw] : raw).flatMap((v) => v.split(','));
  const trimmed = all.map((v) => v.trim()).filter((v) => v !== '');
  if (trimmed.length === 0) throw queryError(name, 'needs a value');
  return trimmed;
}

function single(params: Parameters, name: string): string | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw queryError(name, 'may be given once');
  return raw;
}

function instant(params: Parameters, name: string): number | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  // An offset is required: a time without one means different instants in different places.
  const ms = /(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw queryError(name, `expected an ISO 8601 date-time with an offset, got ${value}`);
  return ms;
}

function identifiers(params: Parameters, name: string): string[] | undefined {
  return values(params, name)?.map((value) => {
    try {
      return normalizeEpcisIdentifier(value);
    } catch (error) {
      throw queryError(name, error instanceof Error ? error.message : String(error));
    }
  });
}

/** Reads a query string's parameters; throws INVALID_QUERY naming the parameter at fault. */
export function parseEventQuery(params: Parameters): EventQuery {
  for (const name of Object.keys(params)) {
    if (!(EVENT_QUERY_PARAMETERS as readonly string[]).includes(name)) {
      throw queryError(
        name,
        `is not a query parameter Waybill answers; use ${EVENT_QUERY_PARAMETERS.join(', ')}`,
      );
    }
  }
  const query: EventQuery = { perPage: DEFAULT_PER_PAGE };
  const eventTypes = values(params, 'eventType');
  for (const type of eventTypes ?? []) {
    if (!(EPCIS_EVENT_TYPES as readonly string[]).includes(type))
      throw queryError('eventType', `expected one of ${EPCIS_EVENT_TYPES.join(', ')}, got ${type}`);
  }
  if (eventTypes) query.eventTypes = eventTypes;
  const bizSteps = values(params, 'EQ_bizStep')?.map((v) => cbvWord(v, 'BizStep'));
  if (bizSteps) query.bizSteps = bizSteps;
  const dispositions = values(params, 'EQ_disposition')?.map((v) => cbvWord(v, 'Disp'));
  if (dispositions) query.dispositions = dispositions;
  const bizLocations = identifiers(params, 'EQ_bizLocation');
  if (bizLocations) query.bizLocations = bizLocations;
  const fromMs = instant(params, 'GE_eventTime');
  if (fromMs !== undefined) query.fromMs = fromMs;
  const toMs = instant(params, 'LT_eventTime');
  if (toMs !== undefined) query.toMs = toMs;
  const epcs = identifiers(params, 'MATCH_epc');
  if (epcs) query.epcs = epcs;
  const anyEpcs = identifiers(params, 'MATCH_anyEPC');
  if (anyEpcs) query.anyEpcs = anyEpcs;
  const epcClasses = identifiers(params, 'MATCH_epcClass');
  if (epcClasses) query.epcClasses = epcClasses;
  const perPage = single(params, 'perPage');
  if (perPage !== undefined) {
    const n = /^\d{1,7}$/.test(perPage) ? Number(perPage) : NaN;
    if (!(n >= 1 && n <= MAX_PER_PAGE))
      throw queryError(
        'perPage',
        `expected a whole number from 1 to ${MAX_PER_PAGE}, got ${perPage}`,
      );
    query.perPage = n;
  }
  const token = single(params, 'nextPageToken');
  if (token !== undefined) query.nextPageToken = token;
  return query;
}

/**
 * The exact EPCs a query is limited to, when it is (every EPC filter lists single things, no
 * GTIN patterns): the node then reads those things' events instead of scanning the chain.
 */
export function exactQueryEpcs(query: EventQuery): string[] | undefined {
  const lists = [query.epcs, query.anyEpcs, query.epcClasses].filter(
    (l): l is string[] => l !== undefined,
  );
  if (lists.length === 0) return undefined;
  // Both filters must match, so the narrower list bounds the candidates.
  const narrowest = lists.reduce((a, b) => (b.length < a.length ? b : a));
  return narrowest.some(isProductLink) ? undefined : narrowest;
}

function isProductLink(link: string): boolean {
  return /^https:\/\/id\.gs1\.org\/01\/\d{14}$/.test(link);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonical(value: JsonData | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return normalizeEpcisIdentifier(value);
  } catch {
    return value;
  }
}

function strings(event: JsonObject, ...fields: string[]): string[] {
  const out: string[] = [];
  for (const field of fields) {
    const value = event[field];
    if (typeof value === 'string') out.push(value);
    if (Array.isArray(value))
      for (const entry of value) if (typeof entry === 'string') out.push(entry);
  }
  return out.flatMap((v) => canonical(v) ?? []);
}

function matchesAny(epcs: readonly string[], wanted: readonly string[]): boolean {
  return epcs.some((epc) =>
    wanted.some((w) => epc === w || (isProductLink(w) && epc.startsWith(`${w}/21/`))),
  );
}

/** True when an EPCIS event (as export writes it, or as captured) passes every filter. */
export function matchesEventQuery(event: JsonObject, query: EventQuery): boolean {
  if (
    query.eventTypes &&
    (typeof event.type !== 'string' || !query.eventTypes.includes(event.type))
  )
    return false;
  if (query.bizSteps) {
    const step = typeof event.bizStep === 'string' ? cbvWord(event.bizStep, 'BizStep') : undefined;
    if (step === undefined || !query.bizSteps.includes(step)) return false;
  }
  if (query.dispositions) {
    const disposition =
      typeof event.disposition === 'string' ? cbvWord(event.disposition, 'Disp') : undefined;
    if (disposition === undefined || !query.dispositions.includes(disposition)) return false;
  }
  if (query.bizLocations) {
    const location = isObject(event.bizLocation) ? canonical(event.bizLocation.id) : undefined;
    if (location === undefined || !query.bizLocations.includes(location)) return false;
  }
  if (query.fromMs !== undefined || query.toMs !== undefined) {
    const ms = typeof event.eventTime === 'string' ? Date.parse(event.eventTime) : NaN;
    if (Number.isNaN(ms)) return false;
    if (query.fromMs !== undefined && ms < query.fromMs) return false;
    if (query.toMs !== undefined && ms >= query.toMs) return false;
  }
  if (query.epcs && !matchesAny(strings(event, 'epcList', 'childEPCs'), query.epcs)) return false;
  if (
    query.anyEpcs &&
    !matchesAny(
      strings(event, 'epcList', 'childEPCs', 'parentID', 'inputEPCList', 'outputEPCList'),
      query.anyEpcs,
    )
  )
    return false;
  if (query.epcClasses) {
    const classes = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']
      .flatMap((field) => (Array.isArray(event[field]) ? event[field] : []))
      .flatMap((entry) => (isObject(entry) ? [canonical(entry.epcClass)] : []))
      .filter((c): c is string => c !== undefined);
    if (!classes.some((c) => query.epcClasses?.includes(c))) return false;
  }
  return true;
}
