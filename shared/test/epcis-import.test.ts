/**
 * EPCIS 2.0 in: GS1's own example documents read and mapped to Waybill transactions, and the
 * mapped transactions applied through the real state machine. Expected identifiers are worked out
 * by hand from the URNs (company prefix, indicator digit, check digit), not by the code under test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEpcis, type CapturedEvent } from '../src/epcis/document.js';
import { epcisEventHash } from '../src/epcis/event-hash.js';
import { mapEpcisEvent, type Directory, type MapResult } from '../src/epcis/to-waybill.js';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import { registerParticipants, TestChain } from '../src/testing/index.js';

const EXAMPLES = new URL('../../../shared/data/epcis/examples/', import.meta.url);

function example(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'));
}

const nobody: Directory = {
  orgOfGln: () => Promise.resolve(undefined),
  pendingTransfer: () => Promise.resolve(undefined),
  txOfEvent: () => Promise.resolve(undefined),
};

async function mapAll(document: unknown, directory: Directory = nobody): Promise<MapResult[]> {
  const { events, problems } = readEpcis(document);
  expect(problems).toEqual([]);
  return Promise.all(events.map((e) => mapEpcisEvent(e, epcisEventHash(e.event), directory)));
}

/** The Waybill meaning of a mapped event: its payload without the kept EPCIS event. */
function meaning(result: MapResult): { type: string; payload: Record<string, unknown> } {
  if (!result.ok) throw new Error(`event ${result.index}: ${JSON.stringify(result.problems)}`);
  const { epcis, ...payload } = result.tx.payload as Record<string, unknown>;
  expect(epcis).toMatchObject({ eventHash: expect.stringMatching(/^ni:\/\/\/sha-256;/) });
  return { type: result.tx.type, payload };
}

const item2017 = itemEpc('10614141073464', '2017');
const item2018 = itemEpc('10614141073464', '2018');

describe('reading EPCIS documents', () => {
  it('reads every example document, giving each event the document context', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const file of files) {
      const { events, problems } = readEpcis(example(file));
      expect(problems, file).toEqual([]);
      expect(events.length, file).toBeGreaterThan(0);
      for (const { event, index } of events) {
        expect(typeof index).toBe('number');
        expect(event['@context'] ?? null, file).not.toBeNull();
      }
    }
  });

  it('says what is wrong with input that is not EPCIS, by index and field', () => {
    expect(readEpcis({ hello: 'world' }).problems).toEqual([
      expect.objectContaining({ index: -1, field: '$.type' }),
    ]);
    expect(readEpcis({ type: 'EPCISDocument', epcisBody: {} }).problems).toEqual([
      expect.objectContaining({ index: -1, field: '$.epcisBody.eventList' }),
    ]);
    const mixed = readEpcis({
      type: 'EPCISDocument',
      epcisBody: { eventList: [{ type: 'ObjectEvent' }, 7, { type: 'TeleportEvent' }] },
    });
    expect(mixed.events.map((e) => e.index)).toEqual([0]);
    expect(mixed.problems).toEqual([
      expect.objectContaining({ index: 1, field: '$.epcisBody.eventList[1]' }),
      expect.objectContaining({ index: 2, field: '$.type' }),
    ]);
  });
});

describe('mapping EPCIS events to Waybill transactions', () => {
  it('maps the 9.6.1 ObjectEvents to observations, the same from URNs and from Digital Links', async () => {
    const fromUrns = (await mapAll(example('Example_9.6.1-ObjectEvent.jsonld'))).map(meaning);
    expect(fromUrns).toEqual([
      {
        type: 'event.observe',
        payload: {
          epcs: [item2017, item2018],
          bizStep: 'shipping',
          disposition: 'in_transit',
          eventTime: '2005-04-03T20:33:31.116000-06:00',
          readPoint: '0614141073467',
        },
      },
      {
        type: 'event.observe',
        payload: {
          epcs: [item2018],
          bizStep: 'receiving',
          disposition: 'in_progress',
          eventTime: '2005-04-04T20:33:31.116-06:00',
          readPoint: '0012345111112',
          bizLocation: '0012345111112',
        },
      },
    ]);
    // The Digital Link edition names other items (GTIN 70614141123451), mapped the same way.
    const fromLinks = (
      await mapAll(example('Example_9.6.1-ObjectEventWithDigitalLink.jsonld'))
    ).map(meaning);
    expect(fromLinks.map((m) => [m.type, m.payload.bizStep])).toEqual(
      fromUrns.map((m) => [m.type, m.payload.bizStep]),
    );
    expect(fromLinks[0]?.payload.epcs).toEqual([
      itemEpc('70614141123451', '2017'),
      itemEpc('70614141123451', '2018'),
    ]);
  });

  it('maps an AggregationEvent OBSERVE to an observation of the pallet and its contents', async () => {
    const [observed] = (await mapAll(example('Example_9.6.3-AggregationEvent.jsonld'))).map(
      meaning,
    );
    expect(observed?.type).toBe('event.observe');
    // The quantity of a product class (no lot) is kept in the event only: no thing to record.
    expect(observed?.payload.epcs).toEqual([
      unitEpc('106141412345678908'),
      item2017,
      item2018,
      lotEpc('04012345123456', '998877'),
    ]);
  });

  it('maps sensor reports to readings, with the time of their element', async () => {
    const [observed] = (await mapAll(example('SensorDataExample1.jsonld'))).map(meaning);
    expect(observed?.payload).toMatchObject({
      epcs: [itemEpc('04012345111118', '9876')],
      bizStep: 'inspecting',
      readPoint: '4012345000054',
    });
    const readings = observed?.payload.sensorReadings as { type: string; value: string }[];
    expect(readings).toHaveLength(12);
    expect(readings[0]).toEqual({
      type: 'gs1:Temperature',
      value: '26',
      uom: 'CEL',
      time: '2019-04-02T14:05:00.000+01:00',
    });
    expect(readings[1]).toMatchObject({ type: 'gs1:AbsoluteHumidity', value: '12.1', uom: 'A93' });
  });

  it('refuses what Waybill does not track, naming the event and the field', async () => {
    // A product class consumed by quantity (9.6.4): Waybill consumes lots and items.
    const [transformation] = await mapAll(example('Example_9.6.4-TransformationEvent.jsonld'));
    expect(transformation).toEqual({
      ok: false,
      index: 0,
      problems: [
        expect.objectContaining({
          field: '$.inputQuantityList[2].epcClass',
          message: expect.stringContaining('lot'),
        }),
      ],
    });
    // Service relations and assets (GSRN, GIAI) are not things Waybill tracks.
    const transactions = await mapAll(example('Example-TransactionEvents-2020_07_03y.jsonld'));
    expect(transactions.map((r) => (r.ok ? 'ok' : r.problems[0]?.field))).toEqual([
      '$.epcList[0]',
      '$.epcList[0]',
    ]);
  });

  it('maps custody and ownership from possessing and owning parties, through the directory', async () => {
    const directory: Directory = {
      orgOfGln: (gln) =>
        Promise.resolve(
          ({ '4012345000016': 'maker', '0614141000012': 'buyer' } as Record<string, string>)[gln],
        ),
      pendingTransfer: (epcs) =>
        Promise.resolve(epcs.length === 1 ? { hash: 'ab'.repeat(32), to: 'buyer' } : undefined),
      txOfEvent: () => Promise.resolve(undefined),
    };
    const event = (bizStep: string, type: 'possessing_party' | 'owning_party') => ({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTime: '2026-11-20T10:00:00.000Z',
      eventTimeZoneOffset: '+00:00',
      epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
      bizStep,
      sourceList: [{ type, source: 'urn:epc:id:pgln:4012345.00001' }],
      destinationList: [{ type, destination: 'urn:epc:id:pgln:0614141.00001' }],
    });
    const [shipped, received, sold, unknownParty] = await mapAll(
      [
        event('shipping', 'possessing_party'),
        event('receiving', 'possessing_party'),
        event('receiving', 'owning_party'),
        {
          ...event('shipping', 'possessing_party'),
          destinationList: [
            { type: 'possessing_party', destination: 'urn:epc:id:pgln:9999999.00001' },
          ],
        },
      ],
      directory,
    );
    expect(meaning(shipped as MapResult)).toMatchObject({
      type: 'custody.handover',
      payload: { epcs: [item2017], to: 'buyer' },
    });
    expect(meaning(received as MapResult)).toMatchObject({
      type: 'custody.accept',
      payload: { transfer: 'ab'.repeat(32) },
    });
    expect(meaning(sold as MapResult)).toMatchObject({
      type: 'ownership.transfer',
      payload: { epcs: [item2017], to: 'buyer' },
    });
    expect(unknownParty).toMatchObject({
      ok: false,
      index: 3,
      problems: [{ field: '$.destinationList', message: expect.stringContaining('register') }],
    });
  });
});

describe('imported events on chain', () => {
  /** A chain where acme owns GTIN 10614141073464 and has commissioned items 2017 and 2018. */
  async function chainWithItems() {
    const chain = new TestChain();
    const keys = await registerParticipants(chain);
    const acme = keys.staff.acme;
    const define = chain.sign(
      'product.define',
      { gtin: '10614141073464', name: 'Example product' },
      keys.admin.acme,
    );
    const commission = chain.sign(
      'product.commission',
      { gtin: '10614141073464', serials: ['2017', '2018'], eventTime: '2005-04-01T00:00:00.000Z' },
      acme,
    );
    const { execution } = await chain.commit([define, commission]);
    expect(execution.rejected).toEqual([]);
    return { chain, acme };
  }

  function signMapped(
    chain: TestChain,
    results: MapResult[],
    key: Parameters<TestChain['sign']>[2],
  ) {
    return results.map((r) => {
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return chain.sign(r.tx.type, r.tx.payload, key);
    });
  }

  it('applies imported events, records each event hash once, and refuses it a second time', async () => {
    const { chain, acme } = await chainWithItems();
    const mapped = await mapAll(example('Example_9.6.1-ObjectEvent.jsonld'));
    const txs = signMapped(chain, mapped, acme);
    const { execution } = await chain.commit(txs);
    expect(execution.rejected).toEqual([]);
    const hashes = mapped.map((r) =>
      r.ok ? (r.tx.payload as { epcis: { eventHash: string } }).epcis.eventHash : '',
    );
    for (const [i, eventHash] of hashes.entries()) {
      expect(chain.state.get('epcisEvent', eventHash)).toMatchObject({
        tx: execution.applied[i]?.hash,
        height: chain.height,
      });
    }
    // The same events again, in new transactions (a re-run import): refused, nothing changes.
    const again = signMapped(chain, mapped, acme);
    const { execution: second } = await chain.commit(again);
    expect(second.applied).toEqual([]);
    expect(second.rejected.map((r) => r.code)).toEqual(['ALREADY_EXISTS', 'ALREADY_EXISTS']);
    expect(second.rejected[0]?.message).toContain(hashes[0]);
  });

  it('keeps the event whole in the signed payload', async () => {
    const { chain, acme } = await chainWithItems();
    const { events } = readEpcis(example('Example_9.6.1-ObjectEvent.jsonld'));
    const first = events[0] as CapturedEvent;
    const result = await mapEpcisEvent(first, epcisEventHash(first.event), nobody);
    const [tx] = signMapped(chain, [result], acme);
    const kept = (tx?.payload as { epcis: { event: Record<string, unknown> } }).epcis.event;
    expect(kept).toEqual(first.event);
    expect(kept['@context']).toEqual([
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'http://ns.example.com/epcis/' },
    ]);
    expect(kept.bizTransactionList).toEqual([
      { type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' },
    ]);
    const second = events[1] as CapturedEvent;
    expect(second.event['example:myField']).toBe('Example of a vendor/user extension');
  });
});
