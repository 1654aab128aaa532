/**
 * The benchmark's workload: a cold chain of pre-signed transactions, as real clients would sign
 * them on their own devices before sending. A journey is eight events on one case of four items:
 *
 *   commission (manufacturer) → observe with sensor readings → pack onto a pallet → hand over to
 *   the carrier → the carrier accepts → observe in transit with readings → hand over to the cold
 *   store → the cold store accepts.
 *
 * Each step depends on the one before it being final, so a client sends a step only once the
 * previous one is final; many journeys run at once, which keeps the offered load steady. The mix
 * is one commission, two observations, one packing, two handovers and two accepts per journey.
 *
 * Signing goes through `Signer` (the bench signs with OpenSSL, the same Ed25519 signatures as
 * noble's; tests may use `sign` of shared/crypto). Everything else is deterministic.
 */
import { bytesToHex, hexToBytes } from '@waybill/shared/encoding';
import { itemEpc, unitEpc } from '@waybill/shared/gs1';
import { PARTICIPANTS, TEST_GTINS, testKey, withCheckDigit } from '@waybill/shared/testing';
import type { TestKey } from '@waybill/shared/testing';
import {
  txHash,
  type PayloadOf,
  type SignedTx,
  type TxType,
  type UnsignedTx,
} from '@waybill/shared/tx';

/** Signs a transaction hash (32 bytes) with a 32-byte Ed25519 secret key. */
export type Signer = (message: Uint8Array, secretKey: Uint8Array) => Uint8Array;

export const JOURNEY_STEPS = 8;
export const BENCH_GTIN = TEST_GTINS.milk;
/** Organizations of the workload, by their role in a journey. */
export const BENCH_ORGS = {
  maker: 'acme',
  carrier: 'swift',
  store: 'cold',
} as const;
type BenchOrg = (typeof BENCH_ORGS)[keyof typeof BENCH_ORGS];
const ORG_IDS = Object.keys(PARTICIPANTS) as (keyof typeof PARTICIPANTS)[];

/** Keys are derived from names; deriving a public key is slow, so each is derived once. */
const keys = new Map<string, TestKey>();
function key(name: string): TestKey {
  let found = keys.get(name);
  if (!found) keys.set(name, (found = testKey(name)));
  return found;
}

/** The authority key registers organizations; admins add the load clients' staff keys. */
export const adminKey = (org: string): TestKey => key(`bench:${org}:admin`);
export const staffKey = (client: number, org: string): TestKey =>
  key(`bench:${org}:staff:${client}`);

export interface TxFactory {
  chainId: string;
  signer: Signer;
  /** Nonces are a counter (unique per factory); `seed` separates factories that share keys. */
  seed: string;
}

/** Builds signed transactions with counter nonces. */
export function txFactory({ chainId, signer, seed }: TxFactory) {
  let counter = 0;
  const prefix = bytesToHex(new TextEncoder().encode(seed)).padEnd(16, '0').slice(0, 16);
  return <T extends TxType>(type: T, payload: PayloadOf<T>, key: TestKey): SignedTx => {
    const nonce = `${prefix}${(counter++).toString(16).padStart(16, '0')}`;
    const unsigned = { chainId, type, signer: key.publicKey, nonce, payload } as UnsignedTx;
    const signature = bytesToHex(signer(hexToBytes(txHash(unsigned)), key.secretKey));
    return { ...unsigned, signature };
  };
}
export type Sign = ReturnType<typeof txFactory>;

/** ISO time with an explicit offset, as eventTime requires. */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/**
 * The set-up, in two waves: the organizations (signed by an authority), then each load client's
 * staff key in every organization and the product (signed by the admins).
 */
export function setupWaves(sign: Sign, authority: TestKey, clients: number): SignedTx[][] {
  const registrations = ORG_IDS.map((org) => {
    const { name, roles, gln } = PARTICIPANTS[org];
    return sign(
      'org.register',
      { orgId: org, name, roles: [...roles], gln, admin: adminKey(org).publicKey },
      authority,
    );
  });
  const members: SignedTx[] = [];
  for (let client = 0; client < clients; client++) {
    for (const org of ORG_IDS) {
      members.push(
        sign(
          'member.add',
          {
            orgId: org,
            publicKey: staffKey(client, org).publicKey,
            role: 'staff',
            label: `load client ${client}`,
          },
          adminKey(org),
        ),
      );
    }
  }
  const product = sign(
    'product.define',
    {
      gtin: BENCH_GTIN,
      name: 'Whole milk 1 l',
      brand: 'Acme',
      conditions: [{ type: 'gs1:Temperature', min: '2', max: '6', uom: 'CEL' }],
    },
    adminKey(BENCH_ORGS.maker),
  );
  return [registrations, [...members, product]];
}

export interface JourneyId {
  /** 0–9: separates the workloads run against one chain (pre-load, load, ...). */
  tag: number;
  client: number;
  journey: number;
}

/** The serial of item `k` of a journey and its pallet's SSCC: unique per (tag, client, journey). */
export function journeyIds({ tag, client, journey }: JourneyId): {
  serials: string[];
  sscc: string;
} {
  if (tag < 0 || tag > 9 || client < 0 || client > 99 || journey < 0 || journey >= 10_000_000) {
    throw new RangeError(`journey id out of range: ${tag}/${client}/${journey}`);
  }
  const serials = [0, 1, 2, 3].map((k) => `B${tag}C${client}J${journey}S${k}`);
  const reference = `${tag}${String(client).padStart(2, '0')}${String(journey).padStart(7, '0')}`;
  return { serials, sscc: withCheckDigit(`0950600${reference}`) };
}

function readings(
  startMs: number,
  count: number,
  base: number,
): PayloadOf<'event.observe'>['sensorReadings'] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'gs1:Temperature',
    value: (base + ((i * 7) % 10) / 10).toFixed(1),
    uom: 'CEL',
    time: isoTime(startMs + i * 60_000),
  }));
}

/** The eight signed steps of one journey, in order; each needs the one before it to be final. */
export function journey(sign: Sign, id: JourneyId, startMs: number): SignedTx[] {
  const { serials, sscc } = journeyIds(id);
  const maker = staffKey(id.client, BENCH_ORGS.maker);
  const carrier = staffKey(id.client, BENCH_ORGS.carrier);
  const store = staffKey(id.client, BENCH_ORGS.store);
  const gln = (org: BenchOrg) => PARTICIPANTS[org].gln;
  const items = serials.map((s) => itemEpc(BENCH_GTIN, s));
  const pallet = unitEpc(sscc);
  const at = (step: number) => isoTime(startMs + step * 600_000);
  const commission = sign(
    'product.commission',
    {
      gtin: BENCH_GTIN,
      serials,
      lot: `L${id.tag}${id.client}`,
      eventTime: at(0),
      bizLocation: gln('acme'),
    },
    maker,
  );
  const inspected = sign(
    'event.observe',
    {
      epcs: items,
      eventTime: at(1),
      bizLocation: gln('acme'),
      bizStep: 'inspecting',
      sensorReadings: readings(startMs, 4, 3.5),
    },
    maker,
  );
  const packed = sign(
    'aggregate.pack',
    { parent: pallet, children: items, eventTime: at(2), bizLocation: gln('acme') },
    maker,
  );
  const shipped = sign(
    'custody.handover',
    { epcs: [pallet], to: BENCH_ORGS.carrier, eventTime: at(3), bizLocation: gln('acme') },
    maker,
  );
  const picked = sign('custody.accept', { transfer: txHash(shipped), eventTime: at(4) }, carrier);
  const inTransit = sign(
    'event.observe',
    { epcs: [pallet], eventTime: at(5), sensorReadings: readings(startMs + 300_000, 6, 4.0) },
    carrier,
  );
  const delivered = sign(
    'custody.handover',
    { epcs: [pallet], to: BENCH_ORGS.store, eventTime: at(6) },
    carrier,
  );
  const received = sign(
    'custody.accept',
    { transfer: txHash(delivered), eventTime: at(7), bizLocation: gln('cold') },
    store,
  );
  return [commission, inspected, packed, shipped, picked, inTransit, delivered, received];
}

/**
 * An item with a long history for the query benchmark: commissioned, then `observations`
 * inspections by its maker (about 50 events in all).
 */
export function longHistory(
  sign: Sign,
  id: JourneyId,
  startMs: number,
  observations = 49,
): { epc: string; txs: SignedTx[] } {
  const serial = `H${id.tag}C${id.client}J${id.journey}`;
  const epc = itemEpc(BENCH_GTIN, serial);
  const maker = staffKey(id.client, BENCH_ORGS.maker);
  const txs = [
    sign(
      'product.commission',
      { gtin: BENCH_GTIN, serials: [serial], eventTime: isoTime(startMs) },
      maker,
    ),
  ];
  for (let i = 1; i <= observations; i++) {
    txs.push(
      sign(
        'event.observe',
        {
          epcs: [epc],
          eventTime: isoTime(startMs + i * 60_000),
          bizStep: 'inspecting',
          sensorReadings: readings(startMs + i * 60_000, 2, 3.0),
        },
        maker,
      ),
    );
  }
  return { epc, txs };
}
