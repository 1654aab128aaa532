import { describe, expect, it } from 'vitest';
import {
  attachTransactions,
  capturedTxProblem,
  EPCIS_CONTEXT,
  epcisEventHash,
  exactQueryEpcs,
  matchesEventQuery,
  parseEventQuery,
  readEpcis,
  readSignedCapture,
  WAYBILL_TRANSACTION,
} from '../src/epcis/index.js';
import { isWaybillError } from '../src/errors.js';
import type { JsonObject } from '../src/tx/schema.js';

const ITEM = 'https://id.gs1.org/01/10614141073464/21/2017';
const event: JsonObject = {
  type: 'ObjectEvent',
  action: 'OBSERVE',
  eventTime: '2026-11-26T08:00:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
  bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
  disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
  bizLocation: { id: 'urn:epc:id:sgln:0614141.00777.0' },
  quantityList: [
    { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' },
  ],
};

function queryError(params: Record<string, string | string[]>): string {
  try {
    parseEventQuery(params);
  } catch (error) {
    if (isWaybillError(error)) return `${error.code} ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('EPCIS query parameters', () => {
  it('matches CBV values in any spelling, times as instants, EPCs as URNs or Digital Links', () => {
    const matches = (params: Record<string, string | string[]>) =>
      matchesEventQuery(event, parseEventQuery(params));
    expect(matches({ EQ_bizStep: 'shipping' })).toBe(true);
    expect(matches({ EQ_bizStep: 'receiving,cbv:BizStep-shipping' })).toBe(true);
    expect(matches({ EQ_bizStep: ['receiving', 'accepting'] })).toBe(false);
    expect(matches({ EQ_disposition: 'in_transit' })).toBe(true);
    // 08:00+01:00 is 07:00Z.
    expect(matches({ GE_eventTime: '2026-11-26T07:00:00Z' })).toBe(true);
    expect(matches({ GE_eventTime: '2026-11-26T07:00:01Z' })).toBe(false);
    expect(matches({ LT_eventTime: '2026-11-26T07:00:00Z' })).toBe(false);
    expect(matches({ LT_eventTime: '2026-11-26T09:00:01+02:00' })).toBe(true);
    expect(matches({ MATCH_epc: ITEM })).toBe(true);
    expect(matches({ MATCH_epc: 'https://example.com/01/10614141073464/21/2017?x=1' })).toBe(true);
    expect(matches({ MATCH_epc: 'urn:epc:idpat:sgtin:0614141.107346.*' })).toBe(true);
    expect(matches({ MATCH_epc: 'https://id.gs1.org/01/10614141073464/21/2018' })).toBe(false);
    expect(matches({ MATCH_anyEPC: ITEM, EQ_bizStep: 'shipping' })).toBe(true);
    expect(matches({ EQ_bizLocation: 'https://id.gs1.org/414/0614141007776' })).toBe(true);
    expect(matches({ MATCH_epcClass: 'https://id.gs1.org/01/04012345123456/10/998877' })).toBe(
      true,
    );
    expect(matches({ eventType: 'AggregationEvent' })).toBe(false);
  });

  it('reads events from the query index when every EPC filter names single things', () => {
    expect(exactQueryEpcs(parseEventQuery({ MATCH_epc: ITEM }))).toEqual([ITEM]);
    expect(exactQueryEpcs(parseEventQuery({ EQ_bizStep: 'shipping' }))).toBeUndefined();
    expect(
      exactQueryEpcs(parseEventQuery({ MATCH_epc: 'urn:epc:idpat:sgtin:0614141.107346.*' })),
    ).toBeUndefined();
  });

  it('names the parameter at fault', () => {
    expect(queryError({ EQ_bizstep: 'x' })).toMatch(
      /^INVALID_QUERY EQ_bizstep: is not a query parameter/,
    );
    expect(queryError({ GE_eventTime: '2026-11-26T07:00:00' })).toContain('with an offset');
    expect(queryError({ perPage: '0' })).toContain('perPage');
    expect(queryError({ perPage: '1001' })).toContain('from 1 to 1000');
    expect(queryError({ MATCH_epc: 'urn:epc:id:sgtin:0614141.107346' })).toMatch(
      /^INVALID_QUERY MATCH_epc/,
    );
    expect(queryError({ eventType: 'Event' })).toContain('ObjectEvent');
    expect(queryError({ perPage: ['1', '2'] })).toContain('once');
  });
});

describe('signed capture documents', () => {
  const document = {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-11-26T09:00:00.000Z',
    epcisBody: { eventList: [event, { ...event, eventTime: '2026-11-26T09:00:00.000+01:00' }] },
  };
  const [first, second] = readEpcis(document).events;
  const carrying = (captured: NonNullable<typeof first>) => ({
    type: 'event.observe',
    payload: { epcis: { eventHash: epcisEventHash(captured.event), event: captured.event } },
  });

  it('carries each event with its transaction, and reads back the document as it was', () => {
    if (!first || !second) expect.fail('two events');
    const signed = attachTransactions(
      document,
      new Map([
        [0, carrying(first)],
        [1, carrying(second)],
      ]),
    );
    const list = (signed as { epcisBody: { eventList: JsonObject[] } }).epcisBody.eventList;
    expect(list[0]?.[WAYBILL_TRANSACTION]).toEqual(carrying(first));
    const read = readSignedCapture(signed);
    expect(read.problems).toEqual([]);
    expect(read.events.map((e) => e.event)).toEqual([first.event, second.event]);
    for (const e of read.events) expect(capturedTxProblem(e, e.tx)).toBeUndefined();
  });

  it('refuses a transaction that keeps another event, or none', () => {
    if (!first || !second) expect.fail('two events');
    const swapped = readSignedCapture(
      attachTransactions(document, new Map([[0, carrying(second)]])),
    ).events;
    expect(capturedTxProblem(swapped[0] as (typeof swapped)[number], swapped[0]?.tx)).toBe(
      'its transaction keeps another event than the one posted',
    );
    expect(capturedTxProblem(swapped[1] as (typeof swapped)[number], undefined)).toContain(
      'carries no signed Waybill transaction',
    );
    const wrongHash = {
      payload: { epcis: { eventHash: epcisEventHash(second.event), event: first.event } },
    };
    expect(capturedTxProblem(first, wrongHash)).toContain("but the event's is");
  });
});
