/**
 * A small cold chain built with `shared`'s real protocol code (TestChain, the participants
 * fixture), for the product slice's tests: raw milk made into a cheese lot, the lot packed on a
 * pallet, carried (with one temperature reading out of range) and delivered to a cold store.
 * The bundles it yields are real: signed, certified, proven.
 */
import { buildBundle, type ProvenanceBundle } from '@waybill/shared/bundle';
import { lotEpc, unitEpc } from '@waybill/shared/gs1';
import {
  registerParticipants,
  TEST_GTINS,
  TestChain,
  withCheckDigit,
  type Participants,
  type SubmitResult,
} from '@waybill/shared/testing';
import type { Condition } from '../types';

export const { milk, cheese } = TEST_GTINS;
export const rawLot = lotEpc(milk, 'RM1');
export const cheeseLot = lotEpc(cheese, 'C1');
export const pallet = unitEpc(withCheckDigit('10950600000000001'));
export const plant = withCheckDigit('950600000201');
export const dock = withCheckDigit('950600000101');

/** The cheese's storage condition, as the node's `product(gtin).conditions` returns it. */
export const CHEESE_CONDITIONS_JSON = [{ type: 'gs1:Temperature', uom: 'CEL', min: '2', max: '6' }];
export const CHEESE_CONDITIONS: Condition[] = [
  { type: 'gs1:Temperature', uom: 'CEL', min: 2, max: 6 },
];

export interface ColdChain {
  chain: TestChain;
  keys: Participants;
  bundle: ProvenanceBundle;
}

function ok(result: SubmitResult): string {
  if (!result.ok) throw new Error(`fixture: ${result.code}: ${result.message}`);
  return result.hash;
}

/** Builds the chain; `authorities` changes the authority set (and so the genesis). */
export async function buildColdChain(options: { authorities?: number } = {}): Promise<ColdChain> {
  const chain = new TestChain({ authorities: options.authorities ?? 4 });
  const p = await registerParticipants(chain);
  const at = () => chain.nextTimestamp();
  ok(
    await chain.submit(
      'location.define',
      { gln: plant, name: 'Acme Dairy plant', address: { city: 'Kempten', country: 'DE' } },
      p.admin.acme,
    ),
  );
  ok(
    await chain.submit(
      'location.define',
      {
        gln: dock,
        name: 'Rotterdam cold store, dock 4',
        address: { city: 'Rotterdam', country: 'NL' },
      },
      p.admin.cold,
    ),
  );
  ok(
    await chain.submit(
      'product.define',
      {
        gtin: milk,
        name: 'Raw milk',
        conditions: [{ type: 'gs1:Temperature', uom: 'CEL', min: '1', max: '4' }],
      },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'product.define',
      {
        gtin: cheese,
        name: 'Fresh cheese 200 g',
        brand: 'Acme',
        conditions: [{ type: 'gs1:Temperature', uom: 'CEL', min: '2', max: '6' }],
      },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'product.commission',
      {
        gtin: milk,
        lot: 'RM1',
        quantity: '1000',
        unit: 'LTR',
        eventTime: at(),
        bizLocation: plant,
      },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'transform',
      {
        inputs: [{ epc: rawLot, quantity: '400' }],
        outputs: [{ gtin: cheese, lot: 'C1', quantity: '100', unit: 'EA' }],
        eventTime: at(),
        bizLocation: plant,
      },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'aggregate.pack',
      { parent: pallet, children: [cheeseLot], eventTime: at(), bizLocation: plant },
      p.staff.acme,
    ),
  );
  const toCarrier = ok(
    await chain.submit(
      'custody.handover',
      { epcs: [pallet], to: 'swift', eventTime: at() },
      p.staff.acme,
    ),
  );
  ok(await chain.submit('custody.accept', { transfer: toCarrier, eventTime: at() }, p.staff.swift));
  ok(
    await chain.submit(
      'event.observe',
      {
        epcs: [pallet],
        bizStep: 'transporting',
        sensorReadings: [
          { type: 'gs1:Temperature', value: '4.5', uom: 'CEL' },
          { type: 'gs1:Temperature', value: '9.1', uom: 'CEL' },
          { type: 'gs1:Temperature', value: '5.0', uom: 'CEL' },
        ],
        eventTime: at(),
      },
      p.staff.swift,
    ),
  );
  const toStore = ok(
    await chain.submit(
      'custody.handover',
      { epcs: [pallet], to: 'cold', eventTime: at() },
      p.staff.swift,
    ),
  );
  ok(
    await chain.submit(
      'custody.accept',
      { transfer: toStore, bizLocation: dock, eventTime: at() },
      p.staff.cold,
    ),
  );
  ok(
    await chain.submit(
      'aggregate.unpack',
      { parent: pallet, eventTime: at(), bizLocation: dock },
      p.staff.cold,
    ),
  );
  ok(
    await chain.submit(
      'event.observe',
      {
        epcs: [cheeseLot],
        sensorReadings: [{ type: 'gs1:Temperature', value: '3.8', uom: 'CEL' }],
        eventTime: at(),
        bizLocation: dock,
      },
      p.staff.cold,
    ),
  );
  const bundle = await buildBundle(chain.bundleSource(), cheeseLot);
  if (!bundle) throw new Error('fixture: no bundle for the cheese lot');
  return { chain, keys: p, bundle };
}

/** The bundle as it arrives over the network: JSON, a fresh copy each time. */
export function overTheWire(bundle: ProvenanceBundle): ProvenanceBundle {
  return JSON.parse(JSON.stringify(bundle)) as ProvenanceBundle;
}
