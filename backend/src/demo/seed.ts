/**
 * The demo data set: a European dairy cold chain as real signed transactions. Five organizations
 * (a dairy cooperative, a reefer carrier, a cold store, a retailer and a food safety authority),
 * their admin and staff keys, locations, products and a week of journeys ending the day before
 * `now`: production and transformation, pallets, transport with temperature logs (one excursion),
 * cross-docking into roll cages, deliveries to two stores, sales, a recall and a shipment still in
 * transit.
 *
 * Everything is deterministic for a given `now` and chain: keys are derived from their names
 * (`testKey("demo:alpen:admin")`, public by construction, never for production), nonces are a
 * counter, and times are computed from `now`. Transactions come in waves: each one depends only on
 * transactions of earlier waves, so a node can submit a wave, wait until it is final, then the next.
 */
import { publicKeyOf } from '@waybill/shared/crypto';
import { bytesToHex, sha256, utf8ToBytes } from '@waybill/shared/encoding';
import { itemEpc, lotEpc, unitEpc } from '@waybill/shared/gs1';
import { testKey, withCheckDigit, type TestKey } from '@waybill/shared/testing';
import {
  createTx,
  eventTimeMs,
  txHash,
  type MemberRole,
  type OrgRole,
  type PayloadOf,
  type SignedTx,
  type TxType,
} from '@waybill/shared/tx';

export interface DemoSeedOptions {
  chainId: string;
  /** The authority key that registers the organizations. */
  authority: { secretKey: Uint8Array; publicKey: string };
  /** Every eventTime falls on the seven days before the local (CET/CEST) day of `now`. */
  now: Date;
}

export type DemoOrgId =
  'alpen-dairy' | 'nordic-reefer' | 'rotterdam-cold-hub' | 'green-basket' | 'fsa-nl';

export interface DemoMemberKey {
  /** The name the key is derived from: `testKey(keyName)`. */
  keyName: string;
  label: string;
  role: MemberRole;
  publicKey: string;
  /** Ed25519 secret key, 64 hex. Demo keys are public by construction. */
  secretKey: string;
}

export interface DemoOrgKeys {
  orgId: DemoOrgId;
  name: string;
  roles: OrgRole[];
  gln: string;
  /** The admin first, then the staff keys. */
  members: DemoMemberKey[];
}

export type DemoKeys = Record<DemoOrgId, DemoOrgKeys>;

export interface DemoSummary {
  transactions: number;
  waves: number;
  byType: Partial<Record<TxType, number>>;
  organizations: number;
  members: number;
  locations: number;
  products: number;
  /** Serialized items commissioned. */
  items: number;
  /** Lots commissioned or produced by transformation. */
  lots: number;
  /** Logistic units (pallets and roll cages). */
  logisticUnits: number;
  sensorReadings: number;
  /** Temperature readings outside 2–6 °C (the storage range of the milk). */
  outOfRangeReadings: number;
  sold: number;
  firstEventTime: string;
  lastEventTime: string;
  /** EPCs (and a few hashes) worth opening in the explorer. */
  featured: {
    /** A bottle of whole milk with the full journey, on the shelf at the Amsterdam store. */
    bottle: string;
    /** A bottle of the same batch, sold at the Amsterdam store. */
    soldBottle: string;
    /** The pallet that carried `bottle`, with the out-of-range reading on the way. */
    pallet: string;
    /** The roll cage that carried `bottle` from the cold store to the store. */
    rollCage: string;
    /** The yoghurt lot recalled by the food safety authority. */
    recalledLot: string;
    recall: string;
    /** The raw milk lot both transformations consumed part of. */
    rawMilkLot: string;
    /** Fresh cheese made from `rawMilkLot`. */
    cheeseLot: string;
    /**
     * A parfait cup made from strawberry yoghurt made from `recalledLot`: two transformations
     * downstream of the recall, which reaches it through the provenance graph.
     */
    parfait: string;
    /** A pallet handed over to the cold store that has not accepted it yet. */
    inTransitPallet: string;
    inTransitHandover: string;
    /** GLN of the Amsterdam store. */
    store: string;
  };
}

export interface DemoSeed {
  waves: SignedTx[][];
  keys: DemoKeys;
  summary: DemoSummary;
}

// ---------------------------------------------------------------------------------------------
// Master data

interface OrgSpec {
  /** Short name in key names: `demo:{slug}:admin`. */
  slug: string;
  name: string;
  roles: OrgRole[];
  /** GS1 company prefix (the 952 range is reserved for demonstrations). */
  prefix: string;
  adminLabel: string;
  staff: readonly (readonly [keySlug: string, label: string])[];
}

const ORGS: Record<DemoOrgId, OrgSpec> = {
  'alpen-dairy': {
    slug: 'alpen',
    name: 'Alpen Dairy Cooperative',
    roles: ['manufacturer'],
    prefix: '9521001',
    adminLabel: 'Katrin Huber (administrator)',
    staff: [
      ['josef-berger', 'Josef Berger (production manager)'],
      ['filling-line-2', 'Filling line 2 scanner'],
    ],
  },
  'nordic-reefer': {
    slug: 'nordic',
    name: 'Nordic Reefer Logistics',
    roles: ['carrier'],
    prefix: '9521002',
    adminLabel: 'Mette Sørensen (operations)',
    staff: [
      ['lars-nielsen', 'Lars Nielsen (driver)'],
      ['trailer-t17', 'Reefer trailer NRL-T17 telematics'],
    ],
  },
  'rotterdam-cold-hub': {
    slug: 'coldhub',
    name: 'Rotterdam Cold Hub',
    roles: ['warehouse'],
    prefix: '9521003',
    adminLabel: 'Erik de Boer (site manager)',
    staff: [
      ['dock-scanner-3', 'Dock scanner 3'],
      ['maria-jansen', 'Maria Jansen (warehouse supervisor)'],
    ],
  },
  'green-basket': {
    slug: 'greenbasket',
    name: 'Green Basket Markets',
    roles: ['retailer'],
    prefix: '9521004',
    adminLabel: 'Sanne de Vries (store manager, Utrecht Centraal)',
    staff: [
      ['daan-visser', 'Daan Visser (store manager, Amsterdam De Pijp)'],
      ['checkout-utrecht-4', 'Self-checkout 4, Utrecht Centraal'],
    ],
  },
  'fsa-nl': {
    slug: 'fsa',
    name: 'Food Safety Authority NL',
    roles: ['inspector'],
    prefix: '9521005',
    adminLabel: 'FSA NL key administrator',
    staff: [
      ['pieter-bakker', 'Inspector Pieter Bakker'],
      ['lims-utrecht', 'Laboratory LIMS, Utrecht'],
    ],
  },
};

const ORG_IDS = Object.keys(ORGS) as DemoOrgId[];

/** GLN: company prefix + 5-digit location reference + check digit. */
const glnOf = (org: DemoOrgId, ref: number) =>
  withCheckDigit(`${ORGS[org].prefix}${String(ref).padStart(5, '0')}`);
/** GTIN-14: indicator 0 + company prefix + 5-digit item reference + check digit. */
const gtinOf = (org: DemoOrgId, ref: number) =>
  `0${withCheckDigit(`${ORGS[org].prefix}${String(ref).padStart(5, '0')}`)}`;
/** SSCC: extension digit 3 + company prefix + 9-digit serial reference + check digit. */
const ssccOf = (org: DemoOrgId, ref: number) =>
  withCheckDigit(`3${ORGS[org].prefix}${String(ref).padStart(9, '0')}`);

type Address = PayloadOf<'location.define'>['address'];

interface LocationSpec {
  org: DemoOrgId;
  ref: number;
  name: string;
  address: Address;
  coordinates: { latitude: string; longitude: string };
}

const KEMPTEN: Address = {
  street: 'Illerstraße 12',
  city: 'Kempten (Allgäu)',
  postalCode: '87435',
  region: 'Bavaria',
  country: 'DE',
};
const ROTTERDAM: Address = {
  street: 'Reeweg 30',
  city: 'Rotterdam',
  postalCode: '3089 KB',
  region: 'South Holland',
  country: 'NL',
};

const LOCATIONS = {
  plant: {
    org: 'alpen-dairy',
    ref: 10,
    name: 'Alpen Dairy Cooperative, Kempten plant',
    address: KEMPTEN,
    coordinates: { latitude: '47.7285', longitude: '10.3158' },
  },
  plantDock: {
    org: 'alpen-dairy',
    ref: 11,
    name: 'Alpen Dairy Cooperative, Kempten plant, dispatch dock 2',
    address: KEMPTEN,
    coordinates: { latitude: '47.72838', longitude: '10.31652' },
  },
  padborg: {
    org: 'nordic-reefer',
    ref: 10,
    name: 'Nordic Reefer Logistics, Padborg terminal',
    address: { street: 'Transitvej 5', city: 'Padborg', postalCode: '6330', country: 'DK' },
    coordinates: { latitude: '54.8262', longitude: '9.3577' },
  },
  venlo: {
    org: 'nordic-reefer',
    ref: 20,
    name: 'Nordic Reefer Logistics, Venlo cross-dock',
    address: {
      street: 'Celsiusweg 20',
      city: 'Venlo',
      postalCode: '5928 PR',
      region: 'Limburg',
      country: 'NL',
    },
    coordinates: { latitude: '51.3935', longitude: '6.156' },
  },
  dock4: {
    org: 'rotterdam-cold-hub',
    ref: 14,
    name: 'Rotterdam Cold Hub, dock 4',
    address: ROTTERDAM,
    coordinates: { latitude: '51.8892', longitude: '4.4236' },
  },
  chamberC2: {
    org: 'rotterdam-cold-hub',
    ref: 22,
    name: 'Rotterdam Cold Hub, chamber C2 (2–4 °C)',
    address: ROTTERDAM,
    coordinates: { latitude: '51.88951', longitude: '4.42415' },
  },
  quarantine: {
    org: 'rotterdam-cold-hub',
    ref: 91,
    name: 'Rotterdam Cold Hub, quarantine cell Q1',
    address: ROTTERDAM,
    coordinates: { latitude: '51.88968', longitude: '4.42447' },
  },
  amsterdam: {
    org: 'green-basket',
    ref: 101,
    name: 'Green Basket Amsterdam De Pijp',
    address: {
      street: 'Ferdinand Bolstraat 101',
      city: 'Amsterdam',
      postalCode: '1072 LK',
      region: 'North Holland',
      country: 'NL',
    },
    coordinates: { latitude: '52.3551', longitude: '4.8915' },
  },
  utrecht: {
    org: 'green-basket',
    ref: 102,
    name: 'Green Basket Utrecht Centraal',
    address: {
      street: 'Stationsplein 12',
      city: 'Utrecht',
      postalCode: '3511 ED',
      region: 'Utrecht',
      country: 'NL',
    },
    coordinates: { latitude: '52.0894', longitude: '5.1103' },
  },
  lab: {
    org: 'fsa-nl',
    ref: 10,
    name: 'Food Safety Authority NL, Utrecht laboratory',
    address: {
      street: 'Catharijnesingel 80',
      city: 'Utrecht',
      postalCode: '3511 GM',
      region: 'Utrecht',
      country: 'NL',
    },
    coordinates: { latitude: '52.0865', longitude: '5.114' },
  },
} satisfies Record<string, LocationSpec>;

type ProductSpec = Omit<PayloadOf<'product.define'>, 'gtin'> & { ref: number };

const temperature = (min: string, max: string) => [
  { type: 'gs1:Temperature', uom: 'CEL', min, max },
];

const PRODUCTS = {
  rawMilk: {
    ref: 100,
    name: "Raw cow's milk, chilled bulk",
    brand: 'Alpen Dairy Cooperative',
    description:
      'Raw milk from the member farms of the cooperative in the Allgäu, collected daily by ' +
      'tanker and held in silo at the Kempten plant until processing.',
    conditions: temperature('1', '4'),
  },
  wholeMilk: {
    ref: 210,
    name: 'Fresh whole milk 3.8% fat, 1 L',
    brand: 'Alpen Frisch',
    description:
      'Pasteurised, non-homogenised whole milk from grass-fed cows, in a returnable 1 L glass ' +
      'bottle. Keep refrigerated; use within 3 days of opening.',
    conditions: temperature('2', '6'),
  },
  semiSkimmed: {
    ref: 220,
    name: 'Organic semi-skimmed milk 1.5% fat, 1 L',
    brand: 'Alpen Bio',
    description:
      'EU organic pasteurised semi-skimmed milk in a recyclable 1 L bottle. Keep refrigerated.',
    conditions: temperature('2', '6'),
  },
  yoghurt: {
    ref: 310,
    name: 'Natural yoghurt 3.5% fat, 500 g',
    brand: 'Alpen Frisch',
    description: 'Set natural yoghurt with live cultures, in a 500 g glass jar.',
    conditions: temperature('2', '7'),
  },
  fruitYoghurt: {
    ref: 320,
    name: 'Strawberry yoghurt, 150 g',
    brand: 'Alpen Frisch',
    description: 'Natural yoghurt with 12% strawberry preparation, in a 150 g cup.',
    conditions: temperature('2', '7'),
  },
  parfait: {
    ref: 330,
    name: 'Strawberry yoghurt parfait with granola, 200 g',
    brand: 'Alpen Frisch',
    description: 'Strawberry yoghurt layered with oat granola, in a 200 g cup with a spoon.',
    conditions: temperature('2', '7'),
  },
  freshCheese: {
    ref: 410,
    name: 'Allgäu fresh cheese with herbs, 200 g',
    brand: 'Alpen Käserei',
    description: 'Soft fresh cheese with garden herbs, made from pasteurised milk. 200 g tub.',
    conditions: temperature('2', '7'),
  },
  butter: {
    ref: 510,
    name: 'Mountain butter, 250 g',
    brand: 'Alpen Frisch',
    description: 'Sweet cream butter, 82% fat, from summer pasture milk. 250 g block in foil.',
    conditions: temperature('2', '8'),
  },
} satisfies Record<string, ProductSpec>;

const MILK_MIN = 2;
const MILK_MAX = 6;

// ---------------------------------------------------------------------------------------------
// Time: local times in Central Europe, written with their offset

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 01:00 UTC on the last Sunday of a month: when EU summer time starts (March) or ends (October). */
function lastSundayChange(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Minutes Central European time is ahead of UTC at `ms` (CET +60, CEST +120). */
function cetOffsetMinutes(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayChange(year, 2) && ms < lastSundayChange(year, 9) ? 120 : 60;
}

/** ISO 8601 with the Central European offset of that instant: "2026-11-23T07:15:00+01:00". */
function isoCet(ms: number): string {
  const offset = cetOffsetMinutes(ms);
  const local = new Date(ms + offset * MINUTE).toISOString().slice(0, 19);
  return `${local}+${String(offset / 60).padStart(2, '0')}:00`;
}

// ---------------------------------------------------------------------------------------------
// Building

interface Step {
  readonly hash: string;
  readonly wave: number;
}

interface Signer {
  readonly secretKey: Uint8Array;
}

/** Signs transactions with counter nonces and places each one wave after its last dependency. */
class WaveBuilder {
  /** No transaction goes before this wave (set once the master data is in place). */
  minWave = 0;
  readonly entries: { tx: SignedTx; wave: number }[] = [];
  firstEvent = Number.POSITIVE_INFINITY;
  lastEvent = Number.NEGATIVE_INFINITY;
  private counter = 0;

  constructor(private readonly chainId: string) {}

  add<T extends TxType>(
    type: T,
    payload: PayloadOf<T>,
    signer: Signer,
    after: readonly Step[] = [],
  ): Step {
    const nonce = (this.counter++).toString(16).padStart(32, '0');
    const tx = createTx({
      chainId: this.chainId,
      type,
      payload,
      secretKey: signer.secretKey,
      nonce,
    }) as SignedTx;
    const wave = Math.max(this.minWave, ...after.map((step) => step.wave + 1));
    this.entries.push({ tx, wave });
    const eventTime = (payload as { eventTime?: string }).eventTime;
    if (eventTime !== undefined) {
      const ms = eventTimeMs(eventTime) ?? Number.NaN;
      this.firstEvent = Math.min(this.firstEvent, ms);
      this.lastEvent = Math.max(this.lastEvent, ms);
    }
    return { hash: txHash(tx), wave };
  }

  waves(): SignedTx[][] {
    const waves: SignedTx[][] = [];
    for (const { tx, wave } of this.entries) {
      let list = waves[wave];
      if (!list) {
        list = [];
        waves[wave] = list;
      }
      list.push(tx);
    }
    return waves.filter((wave) => wave.length > 0);
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const documentHash = (text: string) => bytesToHex(sha256(utf8ToBytes(text)));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * The demo organizations and their member keys (admin first, then staff): the same for every
 * chain and every `now`, as `buildDemoSeed` registers them.
 */
export function demoKeys(): DemoKeys {
  const keys = {} as DemoKeys;
  for (const orgId of ORG_IDS) {
    const spec = ORGS[orgId];
    const members = [
      ['admin', spec.adminLabel, 'admin'] as const,
      ...spec.staff.map(([slug, label]) => [slug, label, 'staff'] as const),
    ].map(([slug, label, role]): DemoMemberKey => {
      const key = testKey(`demo:${spec.slug}:${slug}`);
      return {
        keyName: key.name,
        label,
        role,
        publicKey: key.publicKey,
        secretKey: bytesToHex(key.secretKey),
      };
    });
    keys[orgId] = {
      orgId,
      name: spec.name,
      roles: [...spec.roles],
      gln: glnOf(orgId, 1),
      members,
    };
  }
  return keys;
}

/** Builds the demo data set; see the module comment. */
export function buildDemoSeed(options: DemoSeedOptions): DemoSeed {
  const { chainId, authority, now } = options;
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('buildDemoSeed: `now` is not a valid date');
  if (bytesToHex(publicKeyOf(authority.secretKey)) !== authority.publicKey) {
    throw new RangeError('buildDemoSeed: the authority public key does not match its secret key');
  }

  // Day 0 is seven days before the local day of `now`; day 6 is the day before it. Every event
  // lies before local midnight of `now`'s day, so never after `now`.
  const nowOffset = cetOffsetMinutes(nowMs) * MINUTE;
  const localMidnight = Math.floor((nowMs + nowOffset) / DAY) * DAY - nowOffset;
  const base = localMidnight - 7 * DAY;
  const at = (day: number, hour: number, minute = 0) =>
    base + day * DAY + hour * HOUR + minute * MINUTE;
  const t = (day: number, hour: number, minute = 0) => isoCet(at(day, hour, minute));
  /** Calendar date of a day: "2026-11-17". */
  const dateOf = (day: number) => isoCet(at(day, 12)).slice(0, 10);
  /** Compact date for lot codes: "261117". */
  const ymd = (day: number) => dateOf(day).replaceAll('-', '').slice(2);

  const random = randomSource(0x5eed2026);
  const decimal1 = (min: number, max: number) => (min + random() * (max - min)).toFixed(1);

  const b = new WaveBuilder(chainId);
  const counts = {
    items: 0,
    lots: 0,
    units: 0,
    readings: 0,
    outOfRange: 0,
    sold: 0,
  };

  // --- Keys ------------------------------------------------------------------------------------

  const keys = demoKeys();
  const keyOf: Record<string, TestKey> = {};
  for (const org of Object.values(keys))
    for (const member of org.members) keyOf[member.keyName] = testKey(member.keyName);
  const key = (name: string): TestKey => {
    const found = keyOf[`demo:${name}`];
    if (!found) throw new Error(`demo key ${name} is not defined`);
    return found;
  };
  const alpenAdmin = key('alpen:admin');
  const josef = key('alpen:josef-berger');
  const line2 = key('alpen:filling-line-2');
  const lars = key('nordic:lars-nielsen');
  const trailer = key('nordic:trailer-t17');
  const dock3 = key('coldhub:dock-scanner-3');
  const maria = key('coldhub:maria-jansen');
  const sanne = key('greenbasket:admin');
  const daan = key('greenbasket:daan-visser');
  const checkout = key('greenbasket:checkout-utrecht-4');
  const pieter = key('fsa:pieter-bakker');
  const lims = key('fsa:lims-utrecht');

  // --- Organizations, members, locations, products -------------------------------------------

  const registered = {} as Record<DemoOrgId, Step>;
  for (const orgId of ORG_IDS) {
    const spec = ORGS[orgId];
    const admin = key(`${spec.slug}:admin`);
    registered[orgId] = b.add(
      'org.register',
      {
        orgId,
        name: spec.name,
        roles: [...spec.roles],
        gln: glnOf(orgId, 1),
        admin: admin.publicKey,
        adminLabel: spec.adminLabel,
      },
      authority,
    );
  }
  for (const orgId of ORG_IDS) {
    const spec = ORGS[orgId];
    const admin = key(`${spec.slug}:admin`);
    for (const [slug, label] of spec.staff) {
      b.add(
        'member.add',
        { orgId, publicKey: key(`${spec.slug}:${slug}`).publicKey, role: 'staff', label },
        admin,
        [registered[orgId]],
      );
    }
  }
  const gln = {} as Record<keyof typeof LOCATIONS, string>;
  for (const [id, spec] of Object.entries(LOCATIONS) as [keyof typeof LOCATIONS, LocationSpec][]) {
    gln[id] = glnOf(spec.org, spec.ref);
    b.add(
      'location.define',
      {
        gln: gln[id],
        name: spec.name,
        address: spec.address,
        coordinates: spec.coordinates,
      },
      key(`${ORGS[spec.org].slug}:admin`),
      [registered[spec.org]],
    );
  }
  const gtin = {} as Record<keyof typeof PRODUCTS, string>;
  for (const [id, spec] of Object.entries(PRODUCTS) as [keyof typeof PRODUCTS, ProductSpec][]) {
    const { ref, ...product } = spec;
    gtin[id] = gtinOf('alpen-dairy', ref);
    b.add('product.define', { gtin: gtin[id], ...product }, alpenAdmin, [
      registered['alpen-dairy'],
    ]);
  }
  // Every event below needs some of the keys, locations and products above.
  b.minWave = Math.max(...b.entries.map((e) => e.wave)) + 1;

  // --- Helpers for the journeys ----------------------------------------------------------------

  const bottles = (product: string, lot: string, count: number) =>
    range(1, count).map((n) => ({
      serial: `${lot}-${String(n).padStart(4, '0')}`,
      epc: itemEpc(product, `${lot}-${String(n).padStart(4, '0')}`),
    }));

  function commissionItems(
    product: string,
    lot: string,
    count: number,
    expiryDay: number,
    when: string,
    signer: Signer,
  ) {
    const made = bottles(product, lot, count);
    counts.items += count;
    const step = b.add(
      'product.commission',
      {
        gtin: product,
        serials: made.map((m) => m.serial),
        lot,
        expiry: dateOf(expiryDay),
        eventTime: when,
        bizLocation: gln.plant,
        readPoint: gln.plant,
      },
      signer,
    );
    return { step, epcs: made.map((m) => m.epc) };
  }

  type Reading = { type: string; value: string; uom: string; time: string };
  function reading(ms: number, value: string): Reading {
    counts.readings++;
    if (Number(value) < MILK_MIN || Number(value) > MILK_MAX) counts.outOfRange++;
    return { type: 'gs1:Temperature', value, uom: 'CEL', time: isoCet(ms) };
  }

  /** A single probe or sensor reading taken at `ms`. */
  function probe(
    epcs: string[],
    ms: number,
    value: string,
    signer: Signer,
    after: Step[],
    extra: Omit<PayloadOf<'event.observe'>, 'epcs' | 'eventTime' | 'sensorReadings'>,
  ): Step {
    return b.add(
      'event.observe',
      { epcs, eventTime: isoCet(ms), sensorReadings: [reading(ms, value)], ...extra },
      signer,
      after,
    );
  }

  /**
   * The reefer trailer's telematics: an upload every two hours with the four readings taken every
   * 30 minutes since the last one. `excursion` replaces one reading (upload index, reading index).
   */
  function transitLog(
    epcs: string[],
    firstUpload: number,
    uploads: number,
    after: Step[],
    stops: Record<number, { bizLocation: string; note: string }> = {},
    excursion?: { upload: number; reading: number; value: string },
  ): Step[] {
    return range(0, uploads).map((u) => {
      const uploadMs = firstUpload + u * 2 * HOUR;
      const readings = range(0, 4).map((r) => {
        const ms = uploadMs - (3 - r) * 30 * MINUTE;
        const spike = excursion && excursion.upload === u && excursion.reading === r;
        return reading(ms, spike ? excursion.value : decimal1(3.2, 4.6));
      });
      const stop = stops[u];
      return b.add(
        'event.observe',
        {
          epcs,
          eventTime: isoCet(uploadMs),
          bizStep: 'transporting',
          disposition: 'in_transit',
          sensorReadings: readings,
          ...(stop && {
            bizLocation: stop.bizLocation,
            readPoint: stop.bizLocation,
            note: stop.note,
          }),
        },
        trailer,
        after,
      );
    });
  }

  /** Hands things over and has the receiver accept them; returns both steps. */
  function deliver(
    epcs: string[],
    to: DemoOrgId,
    sender: Signer,
    receiver: Signer,
    handedOver: { when: string; bizLocation: string; note?: string },
    accepted: { when: string; bizLocation: string },
    after: Step[],
  ) {
    const handover = b.add(
      'custody.handover',
      {
        epcs,
        to,
        eventTime: handedOver.when,
        bizLocation: handedOver.bizLocation,
        ...(handedOver.note !== undefined && { note: handedOver.note }),
      },
      sender,
      after,
    );
    const accept = b.add(
      'custody.accept',
      {
        transfer: handover.hash,
        eventTime: accepted.when,
        bizLocation: accepted.bizLocation,
        readPoint: accepted.bizLocation,
      },
      receiver,
      [handover],
    );
    return { handover, accept };
  }

  function pack(
    parent: string,
    children: string[],
    when: string,
    where: string,
    by: Signer,
    after: Step[],
  ) {
    counts.units++;
    return b.add(
      'aggregate.pack',
      { parent, children, eventTime: when, bizLocation: where, readPoint: where },
      by,
      after,
    );
  }

  function unpack(parent: string, when: string, where: string, by: Signer, after: Step[]) {
    return b.add(
      'aggregate.unpack',
      { parent, eventTime: when, bizLocation: where, readPoint: where },
      by,
      after,
    );
  }

  /** Quality release at the plant, with the certificate of analysis. */
  function release(epcs: string[], day: number, batch: string, after: Step[]) {
    return b.add(
      'event.observe',
      {
        epcs,
        eventTime: t(day, 16, 30),
        bizStep: 'inspecting',
        disposition: 'conformant',
        bizLocation: gln.plant,
        readPoint: gln.plant,
        note: 'Released after microbiology, fat and protein checks',
        documents: [
          {
            type: 'Certificate of analysis',
            hash: documentHash(`Alpen Dairy Cooperative certificate of analysis ${batch}`),
          },
        ],
      },
      josef,
      after,
    );
  }

  // --- Shipment 1: day 0 production → pallets → Rotterdam → two stores -------------------------

  const rawLot = `RM${ymd(0)}01`;
  const rawMilkLot = lotEpc(gtin.rawMilk, rawLot);
  counts.lots++;
  const rawCommission = b.add(
    'product.commission',
    {
      gtin: gtin.rawMilk,
      lot: rawLot,
      quantity: '24000',
      unit: 'LTR',
      eventTime: t(0, 5, 40),
      bizLocation: gln.plant,
      readPoint: gln.plant,
      note: 'Morning collection, tankers 3 and 7, silo 2',
    },
    josef,
  );

  const whole1 = commissionItems(gtin.wholeMilk, `L${ymd(0)}A`, 36, 12, t(0, 7, 15), line2);
  const semi1 = commissionItems(gtin.semiSkimmed, `B${ymd(0)}A`, 24, 12, t(0, 7, 50), line2);

  const butterLot1 = lotEpc(gtin.butter, `BT${ymd(0)}`);
  counts.lots++;
  const butterCommission1 = b.add(
    'product.commission',
    {
      gtin: gtin.butter,
      lot: `BT${ymd(0)}`,
      quantity: '400',
      unit: 'EA',
      expiry: dateOf(60),
      eventTime: t(0, 6, 10),
      bizLocation: gln.plant,
      readPoint: gln.plant,
    },
    josef,
  );

  const yoghurtLot = lotEpc(gtin.yoghurt, `Y${ymd(0)}B`);
  counts.lots++;
  const yoghurtMade = b.add(
    'transform',
    {
      inputs: [{ epc: rawMilkLot, quantity: '1200' }],
      outputs: [
        {
          gtin: gtin.yoghurt,
          lot: `Y${ymd(0)}B`,
          quantity: '2200',
          unit: 'EA',
          expiry: dateOf(24),
        },
      ],
      eventTime: t(0, 9, 30),
      bizLocation: gln.plant,
      readPoint: gln.plant,
      note: 'Yoghurt line: 1,200 L of raw milk into 2,200 jars of 500 g',
    },
    josef,
    [rawCommission],
  );

  const cheeseLot = lotEpc(gtin.freshCheese, `FC${ymd(0)}`);
  counts.lots++;
  const cheeseMade = b.add(
    'transform',
    {
      inputs: [{ epc: rawMilkLot, quantity: '8000' }],
      outputs: [
        {
          gtin: gtin.freshCheese,
          lot: `FC${ymd(0)}`,
          quantity: '3600',
          unit: 'EA',
          expiry: dateOf(30),
        },
      ],
      eventTime: t(0, 14, 0),
      bizLocation: gln.plant,
      readPoint: gln.plant,
      note: 'Cheese vat 1: 8,000 L of raw milk into 3,600 tubs of 200 g',
    },
    josef,
    [yoghurtMade],
  );

  // Two transformations downstream of the yoghurt lot: the lot's recall (day 3) reaches the
  // parfait cups through the provenance graph, not only the jars it names.
  const fruitLot = lotEpc(gtin.fruitYoghurt, `FY${ymd(0)}`);
  counts.lots++;
  const fruitMade = b.add(
    'transform',
    {
      inputs: [{ epc: yoghurtLot, quantity: '300' }],
      outputs: [
        {
          gtin: gtin.fruitYoghurt,
          lot: `FY${ymd(0)}`,
          quantity: '900',
          unit: 'EA',
          expiry: dateOf(21),
        },
      ],
      eventTime: t(0, 11, 0),
      bizLocation: gln.plant,
      readPoint: gln.plant,
      note: 'Fruit line: 300 jars of natural yoghurt with strawberry preparation into 900 cups',
    },
    josef,
    [yoghurtMade],
  );
  const parfaitSerials = Array.from(
    { length: 6 },
    (_, i) => `PF${ymd(0)}${String(i + 1).padStart(3, '0')}`,
  );
  counts.items += parfaitSerials.length;
  const parfaitMade = b.add(
    'transform',
    {
      inputs: [{ epc: fruitLot, quantity: '6' }],
      outputs: [
        { gtin: gtin.parfait, lot: `PF${ymd(0)}`, serials: parfaitSerials, expiry: dateOf(5) },
      ],
      eventTime: t(0, 12, 15),
      bizLocation: gln.plant,
      readPoint: gln.plant,
      note: 'Test kitchen: six parfait cups layered from strawberry yoghurt and granola',
    },
    josef,
    [fruitMade],
  );

  const released1 = release([...whole1.epcs, ...semi1.epcs, yoghurtLot, butterLot1], 0, ymd(0), [
    whole1.step,
    semi1.step,
    butterCommission1,
    yoghurtMade,
    parfaitMade,
  ]);

  const pallet1 = unitEpc(ssccOf('alpen-dairy', 1));
  const pallet2 = unitEpc(ssccOf('alpen-dairy', 2));
  const packed1 = pack(
    pallet1,
    [...whole1.epcs, ...semi1.epcs],
    t(1, 4, 30),
    gln.plantDock,
    line2,
    [released1],
  );
  const packed2 = pack(pallet2, [yoghurtLot, butterLot1], t(1, 4, 35), gln.plantDock, line2, [
    released1,
  ]);
  const dispatch1 = probe([pallet1, pallet2], at(1, 4, 50), '3.6', josef, [packed1, packed2], {
    bizStep: 'inspecting',
    disposition: 'conformant',
    readPoint: gln.plantDock,
    note: 'Pre-loading probe check; trailer NRL-T17 pre-cooled to 3 °C',
  });
  const toCarrier1 = deliver(
    [pallet1, pallet2],
    'nordic-reefer',
    josef,
    lars,
    {
      when: t(1, 5, 20),
      bizLocation: gln.plantDock,
      note: `Order GB-PO-${ymd(0)}-118 for Green Basket Markets via Rotterdam Cold Hub`,
    },
    { when: t(1, 5, 35), bizLocation: gln.plantDock },
    [dispatch1],
  );
  const transit1 = transitLog(
    [pallet1, pallet2],
    at(1, 7, 30),
    6,
    [toCarrier1.accept],
    {
      4: {
        bizLocation: gln.venlo,
        note:
          'Doors open 14 minutes at the Venlo cross-dock for consolidation; ' +
          'one reading above the 6 °C limit',
      },
    },
    { upload: 4, reading: 2, value: '8.4' },
  );
  const toColdHub1 = deliver(
    [pallet1, pallet2],
    'rotterdam-cold-hub',
    lars,
    dock3,
    { when: t(1, 18, 40), bizLocation: gln.dock4 },
    { when: t(1, 18, 55), bizLocation: gln.dock4 },
    [toCarrier1.accept, ...transit1],
  );
  const received1 = probe([pallet1, pallet2], at(1, 19, 5), '4.7', maria, [toColdHub1.accept], {
    bizStep: 'inspecting',
    disposition: 'conformant',
    readPoint: gln.dock4,
    note: 'Probe check on receipt; Venlo excursion reviewed with Alpen QA, product accepted',
  });
  const unpacked1 = unpack(pallet1, t(1, 19, 40), gln.chamberC2, dock3, [received1]);
  const unpacked2 = unpack(pallet2, t(1, 19, 45), gln.chamberC2, dock3, [received1]);
  const stock1 = [...whole1.epcs, ...semi1.epcs, yoghurtLot, butterLot1];
  const stored1 = [at(1, 22), at(2, 2)].map((ms) =>
    probe(stock1, ms, decimal1(3.0, 3.9), maria, [unpacked1, unpacked2], {
      bizStep: 'storing',
      disposition: 'sellable_not_accessible',
      bizLocation: gln.chamberC2,
      readPoint: gln.chamberC2,
    }),
  );

  // The food safety authority samples the yoghurt in the cold store; the lab finds Listeria.
  const sampleId = `NL-${ymd(2)}-0417`;
  const sampled = b.add(
    'event.observe',
    {
      epcs: [yoghurtLot],
      eventTime: t(2, 9, 30),
      bizStep: 'inspecting',
      bizLocation: gln.chamberC2,
      readPoint: gln.chamberC2,
      note: `Routine sampling: 6 jars taken for Listeria monocytogenes and Salmonella (sample ${sampleId})`,
      documents: [
        { type: 'Sampling report', hash: documentHash(`FSA NL sampling report ${sampleId}`) },
      ],
    },
    pieter,
    [unpacked2],
  );
  const labResult = b.add(
    'event.observe',
    {
      epcs: [yoghurtLot],
      eventTime: t(3, 14, 20),
      bizStep: 'inspecting',
      disposition: 'non_conformant',
      bizLocation: gln.lab,
      readPoint: gln.lab,
      note: `Listeria monocytogenes detected (present in 25 g) in sample ${sampleId}`,
      documents: [
        { type: 'Laboratory test report', hash: documentHash(`FSA NL lab report ${sampleId}`) },
      ],
    },
    lims,
    [sampled],
  );
  const recall = b.add(
    'recall.issue',
    {
      gtin: gtin.yoghurt,
      lots: [`Y${ymd(0)}B`],
      reason:
        `Listeria monocytogenes found in official sample ${sampleId}. Do not eat; ` +
        'return the jar to the store for a full refund.',
      eventTime: t(3, 15, 10),
      bizLocation: gln.lab,
    },
    pieter,
    [labResult],
  );
  b.add(
    'event.observe',
    {
      epcs: [yoghurtLot],
      eventTime: t(3, 15, 55),
      bizStep: 'holding',
      disposition: 'recalled',
      bizLocation: gln.quarantine,
      readPoint: gln.quarantine,
      note: 'Moved to quarantine cell Q1, awaiting return or destruction instructions from Alpen Dairy',
    },
    maria,
    [recall, ...stored1],
  );

  // Cross-docking: roll cages for the two stores.
  const cage1 = unitEpc(ssccOf('rotterdam-cold-hub', 1));
  const cage2 = unitEpc(ssccOf('rotterdam-cold-hub', 2));
  const amsterdam1 = [...whole1.epcs.slice(0, 18), ...semi1.epcs.slice(0, 12)];
  const utrecht1 = [...whole1.epcs.slice(18), ...semi1.epcs.slice(12)];
  const caged1 = pack(cage1, amsterdam1, t(2, 4, 0), gln.dock4, dock3, stored1);
  const caged2 = pack(cage2, [...utrecht1, butterLot1], t(2, 4, 15), gln.dock4, dock3, stored1);
  const toAmsterdam1 = deliver(
    [cage1],
    'green-basket',
    maria,
    daan,
    { when: t(2, 5, 10), bizLocation: gln.dock4 },
    { when: t(2, 7, 30), bizLocation: gln.amsterdam },
    [caged1],
  );
  const toUtrecht1 = deliver(
    [cage2],
    'green-basket',
    maria,
    sanne,
    { when: t(2, 5, 15), bizLocation: gln.dock4 },
    { when: t(2, 7, 50), bizLocation: gln.utrecht },
    [caged2],
  );
  const invoice = (epcs: string[], when: string, number: string, after: Step) =>
    b.add(
      'ownership.transfer',
      { epcs, to: 'green-basket', eventTime: when, note: `Invoice AD-${number}, paid on delivery` },
      alpenAdmin,
      [after],
    );
  const shelved = {
    amsterdam1: [
      unpack(cage1, t(2, 7, 45), gln.amsterdam, daan, [toAmsterdam1.accept]),
      invoice(amsterdam1, t(2, 7, 32), `${ymd(2)}-0311`, toAmsterdam1.accept),
    ],
    utrecht1: [
      unpack(cage2, t(2, 8, 5), gln.utrecht, sanne, [toUtrecht1.accept]),
      invoice([...utrecht1, butterLot1], t(2, 7, 52), `${ymd(2)}-0312`, toUtrecht1.accept),
    ],
  };

  // --- Shipment 2: day 3 bottling and the fresh cheese → Rotterdam → two stores ----------------

  const whole2 = commissionItems(gtin.wholeMilk, `L${ymd(3)}A`, 48, 15, t(3, 7, 10), line2);
  const released2 = release([...whole2.epcs, cheeseLot], 3, ymd(3), [whole2.step, cheeseMade]);
  const pallet3 = unitEpc(ssccOf('alpen-dairy', 3));
  const packed3 = pack(pallet3, [...whole2.epcs, cheeseLot], t(4, 4, 20), gln.plantDock, line2, [
    released2,
  ]);
  const dispatch3 = probe([pallet3], at(4, 4, 40), '3.4', josef, [packed3], {
    bizStep: 'inspecting',
    disposition: 'conformant',
    readPoint: gln.plantDock,
    note: 'Pre-loading probe check',
  });
  const toCarrier3 = deliver(
    [pallet3],
    'nordic-reefer',
    josef,
    lars,
    {
      when: t(4, 5, 0),
      bizLocation: gln.plantDock,
      note: `Order GB-PO-${ymd(3)}-131 for Green Basket Markets via Rotterdam Cold Hub`,
    },
    { when: t(4, 5, 10), bizLocation: gln.plantDock },
    [dispatch3],
  );
  const transit3 = transitLog([pallet3], at(4, 7), 5, [toCarrier3.accept], {
    3: { bizLocation: gln.venlo, note: 'Driver break at the Venlo cross-dock; doors closed' },
  });
  const toColdHub3 = deliver(
    [pallet3],
    'rotterdam-cold-hub',
    lars,
    dock3,
    { when: t(4, 16, 50), bizLocation: gln.dock4 },
    { when: t(4, 17, 5), bizLocation: gln.dock4 },
    [toCarrier3.accept, ...transit3],
  );
  const unpacked3 = unpack(pallet3, t(4, 17, 40), gln.chamberC2, dock3, [toColdHub3.accept]);
  const stored3 = [at(4, 22), at(5, 2)].map((ms) =>
    probe([...whole2.epcs, cheeseLot], ms, decimal1(3.0, 3.9), maria, [unpacked3], {
      bizStep: 'storing',
      disposition: 'sellable_not_accessible',
      bizLocation: gln.chamberC2,
      readPoint: gln.chamberC2,
    }),
  );
  const cage3 = unitEpc(ssccOf('rotterdam-cold-hub', 3));
  const cage4 = unitEpc(ssccOf('rotterdam-cold-hub', 4));
  const amsterdam2 = whole2.epcs.slice(0, 24);
  const utrecht2 = whole2.epcs.slice(24);
  const caged3 = pack(cage3, [...amsterdam2, cheeseLot], t(5, 4, 30), gln.dock4, dock3, stored3);
  const caged4 = pack(cage4, utrecht2, t(5, 4, 40), gln.dock4, dock3, stored3);
  const toAmsterdam2 = deliver(
    [cage3],
    'green-basket',
    maria,
    daan,
    { when: t(5, 5, 0), bizLocation: gln.dock4 },
    { when: t(5, 7, 20), bizLocation: gln.amsterdam },
    [caged3],
  );
  const toUtrecht2 = deliver(
    [cage4],
    'green-basket',
    maria,
    sanne,
    { when: t(5, 5, 5), bizLocation: gln.dock4 },
    { when: t(5, 7, 40), bizLocation: gln.utrecht },
    [caged4],
  );
  const shelved2 = {
    amsterdam: [
      unpack(cage3, t(5, 7, 35), gln.amsterdam, daan, [toAmsterdam2.accept]),
      invoice([...amsterdam2, cheeseLot], t(5, 7, 22), `${ymd(5)}-0342`, toAmsterdam2.accept),
    ],
    utrecht: [
      unpack(cage4, t(5, 7, 55), gln.utrecht, sanne, [toUtrecht2.accept]),
      invoice(utrecht2, t(5, 7, 42), `${ymd(5)}-0343`, toUtrecht2.accept),
    ],
  };

  // --- Shipment 3: on the road to Rotterdam, handed over but not yet accepted -----------------

  const semi2 = commissionItems(gtin.semiSkimmed, `B${ymd(5)}A`, 36, 17, t(5, 7, 30), line2);
  const butterLot2 = lotEpc(gtin.butter, `BT${ymd(5)}`);
  counts.lots++;
  const butterCommission2 = b.add(
    'product.commission',
    {
      gtin: gtin.butter,
      lot: `BT${ymd(5)}`,
      quantity: '300',
      unit: 'EA',
      expiry: dateOf(65),
      eventTime: t(5, 6, 0),
      bizLocation: gln.plant,
      readPoint: gln.plant,
    },
    josef,
  );
  const released3 = release([...semi2.epcs, butterLot2], 5, ymd(5), [
    semi2.step,
    butterCommission2,
  ]);
  const pallet4 = unitEpc(ssccOf('alpen-dairy', 4));
  const packed4 = pack(pallet4, [...semi2.epcs, butterLot2], t(6, 4, 10), gln.plantDock, line2, [
    released3,
  ]);
  const dispatch4 = probe([pallet4], at(6, 4, 30), '3.5', josef, [packed4], {
    bizStep: 'inspecting',
    disposition: 'conformant',
    readPoint: gln.plantDock,
    note: 'Pre-loading probe check',
  });
  const toCarrier4 = deliver(
    [pallet4],
    'nordic-reefer',
    josef,
    lars,
    {
      when: t(6, 5, 0),
      bizLocation: gln.plantDock,
      note: `Order GB-PO-${ymd(5)}-140 for Green Basket Markets via Rotterdam Cold Hub`,
    },
    { when: t(6, 5, 15), bizLocation: gln.plantDock },
    [dispatch4],
  );
  const transit4 = transitLog([pallet4], at(6, 7), 7, [toCarrier4.accept], {
    4: { bizLocation: gln.venlo, note: 'Driver break at the Venlo cross-dock; doors closed' },
  });
  const inTransit = b.add(
    'custody.handover',
    {
      epcs: [pallet4],
      to: 'rotterdam-cold-hub',
      eventTime: t(6, 21, 30),
      bizLocation: gln.dock4,
      note: 'Arrived at dock 4 after hours; awaiting the receiving scan',
    },
    lars,
    [toCarrier4.accept, ...transit4],
  );

  // --- The stores: chiller checks every morning, sales at the tills ----------------------------

  const featuredBottle = whole1.epcs[6] as string;
  const brokenBottle = utrecht1[utrecht1.length - 1] as string;
  interface Sale {
    epc: string;
    ms: number;
    reason: 'sold' | 'destroyed';
    note?: string;
  }
  /** Sells `count` of `epcs` at random times from `fromMs` to the evening of day 6. */
  function sales(epcs: string[], count: number, fromMs: number): Sale[] {
    const pool = epcs.filter((epc) => epc !== featuredBottle && epc !== brokenBottle);
    const fromDay = Math.floor((fromMs - base) / DAY);
    return range(0, Math.min(count, pool.length)).map(() => {
      const [epc] = pool.splice(Math.floor(random() * pool.length), 1) as [string];
      const day = fromDay + Math.floor(random() * (7 - fromDay));
      const ms = Math.max(fromMs, at(day, 8)) + Math.floor(random() * 12 * 60) * MINUTE;
      return { epc, ms, reason: 'sold' as const };
    });
  }

  const stores = [
    {
      gln: gln.amsterdam,
      staff: daan,
      till: daan,
      deliveries: [
        { fromMs: at(2, 8), epcs: amsterdam1, after: shelved.amsterdam1 },
        { fromMs: at(5, 8), epcs: [...amsterdam2, cheeseLot], after: shelved2.amsterdam },
      ],
      sales: [...sales(amsterdam1, 16, at(2, 8)), ...sales(amsterdam2, 10, at(5, 8))],
    },
    {
      gln: gln.utrecht,
      staff: sanne,
      till: checkout,
      deliveries: [
        { fromMs: at(2, 8, 10), epcs: [...utrecht1, butterLot1], after: shelved.utrecht1 },
        { fromMs: at(5, 8, 10), epcs: utrecht2, after: shelved2.utrecht },
      ],
      sales: [
        ...sales(utrecht1, 14, at(2, 8, 10)),
        ...sales(utrecht2, 8, at(5, 8, 10)),
        {
          epc: brokenBottle,
          ms: at(2, 8, 40),
          reason: 'destroyed' as const,
          note: 'Bottle broken while filling the chiller',
        },
      ],
    },
  ];
  let soldBottle: string | undefined;
  for (const store of stores) {
    const storeSales = store.sales.sort((x, y) => x.ms - y.ms);
    for (let day = 2; day <= 6; day++) {
      const ms = at(day, 8, 30);
      const present = store.deliveries.filter((d) => d.fromMs <= ms);
      const gone = new Set(storeSales.filter((s) => s.ms < ms).map((s) => s.epc));
      const epcs = present.flatMap((d) => d.epcs).filter((epc) => !gone.has(epc));
      if (epcs.length === 0) continue;
      probe(
        epcs,
        ms,
        decimal1(3.8, 5.2),
        store.staff,
        present.flatMap((d) => d.after),
        {
          bizStep: 'sensor_reporting',
          disposition: 'sellable_accessible',
          bizLocation: store.gln,
          readPoint: store.gln,
          note: 'Morning chiller check',
        },
      );
    }
    for (const sale of storeSales) {
      const delivery = store.deliveries.find((d) => d.epcs.includes(sale.epc));
      if (!delivery) throw new Error(`demo seed: ${sale.epc} was not delivered to ${store.gln}`);
      if (sale.reason === 'sold') {
        counts.sold++;
        if (store.gln === gln.amsterdam) soldBottle ??= sale.epc;
      }
      b.add(
        'product.decommission',
        {
          epcs: [sale.epc],
          reason: sale.reason,
          eventTime: isoCet(sale.ms),
          bizLocation: store.gln,
          readPoint: store.gln,
          ...(sale.note !== undefined && { note: sale.note }),
        },
        sale.reason === 'sold' ? store.till : store.staff,
        delivery.after,
      );
    }
  }

  // --- Result ----------------------------------------------------------------------------------

  const waves = b.waves();
  const byType: Partial<Record<TxType, number>> = {};
  for (const { tx } of b.entries) byType[tx.type] = (byType[tx.type] ?? 0) + 1;
  const summary: DemoSummary = {
    transactions: b.entries.length,
    waves: waves.length,
    byType,
    organizations: ORG_IDS.length,
    members: ORG_IDS.reduce((n, id) => n + keys[id].members.length, 0),
    locations: Object.keys(LOCATIONS).length,
    products: Object.keys(PRODUCTS).length,
    items: counts.items,
    lots: counts.lots,
    logisticUnits: counts.units,
    sensorReadings: counts.readings,
    outOfRangeReadings: counts.outOfRange,
    sold: counts.sold,
    firstEventTime: isoCet(b.firstEvent),
    lastEventTime: isoCet(b.lastEvent),
    featured: {
      bottle: featuredBottle,
      soldBottle: soldBottle ?? '',
      pallet: pallet1,
      rollCage: cage1,
      recalledLot: yoghurtLot,
      recall: recall.hash,
      rawMilkLot,
      cheeseLot,
      parfait: itemEpc(gtin.parfait, parfaitSerials[0] as string),
      inTransitPallet: pallet4,
      inTransitHandover: inTransit.hash,
      store: gln.amsterdam,
    },
  };
  return { waves, keys, summary };
}
