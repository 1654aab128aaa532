/**
 * A thing's history as Waybill holds it, as an EPCIS 2.0 JSON-LD `EPCISDocument`: the inverse of
 * `to-waybill.ts`, so that importing the document again gives the same Waybill payloads.
 *
 * - A transaction that was captured from an EPCIS event (`payload.epcis`) gives back that event
 *   as it was captured: only `recordTime` (the block's time) is set, and `eventID` (its GS1 event
 *   hash) is added when it had none; neither is covered by the event hash. The extension prefixes
 *   of its own `@context` move up into the document's when no other event defines them
 *   differently; otherwise the event keeps its `@context` whole.
 * - Every other event transaction is written as the event `to-waybill.ts` maps back to it (the
 *   table below), with its GS1 event hash as `eventID`.
 * - Identifiers are GS1 Digital Link URIs (EPCIS 2.0 accepts them), CBV values bare words,
 *   quantities and readings JSON numbers.
 *
 * | Waybill                | EPCIS                      | bizStep                | disposition        |
 * | ---------------------- | -------------------------- | ---------------------- | ------------------ |
 * | `product.commission`   | ObjectEvent ADD (+ ilmd)   | commissioning          | active             |
 * | `event.observe`        | ObjectEvent OBSERVE        | the payload's          | the payload's      |
 * | `custody.handover`     | ObjectEvent OBSERVE        | shipping               | in_transit         |
 * | `custody.accept`       | ObjectEvent OBSERVE        | receiving              | in_progress        |
 * | `custody.reject`       | ObjectEvent OBSERVE        | receiving              | returned           |
 * | `custody.cancel`       | ObjectEvent OBSERVE        | void_shipping          | in_progress        |
 * | `ownership.transfer`   | ObjectEvent OBSERVE        | —                      | —                  |
 * | `aggregate.pack`       | AggregationEvent ADD       | packing                | —                  |
 * | `aggregate.unpack`     | AggregationEvent DELETE    | unpacking              | —                  |
 * | `transform`            | TransformationEvent        | commissioning          | active             |
 * | `product.decommission` | ObjectEvent DELETE         | by reason (below)      | by reason (below)  |
 * | `event.correct`        | the corrected event again  | (the corrected event's, with `errorDeclaration`) |
 *
 * Decommission reasons (`DECOMMISSIONED`): sold → retail_selling / retail_sold; destroyed →
 * destroying / destroyed; expired → decommissioning / expired; lost → decommissioning /
 * unavailable; consumed and other → decommissioning / inactive.
 *
 * Handover and accept name the custody parties (`possessing_party`) in `sourceList` and
 * `destinationList`, ownership transfer the owners (`owning_party`), as `/417/` party GLNs.
 * Reject and cancel name no party: a `possessing_party` destination with `receiving` is what
 * `to-waybill.ts` reads as an accept, and a re-import must never accept what was refused.
 *
 * Not exported, because they are not EPCIS events: `org.*`, `member.*`, `authority.*`,
 * `product.define`, `location.*` (master data) and `recall.issue` / `recall.close` (a recall
 * names a GTIN and lots or serials, not the things of one history). A correction whose target is
 * not in the history is left out too. A payload's `note`, and an observation's `documents`, have
 * no EPCIS field and are not exported; nor is a party whose organization has no GLN (the event
 * then names one party fewer, and a re-import cannot tell a handover from an observation).
 *
 * An observation's bizStep and disposition are written as recorded, CBV URNs as bare words (the
 * JSON schema refuses `urn:epcglobal:cbv:…`); a word outside the CBV that is not a URI fails the
 * EPCIS schema, as does a kept event that did not pass it when it was captured.
 */
import { WaybillError } from '../errors.js';
import { epcKind, GS1_RESOLVER, itemEpc, locationEpc, lotEpc } from '../gs1/index.js';
import { eventTimeMs, type SignedTx } from '../tx/index.js';
import type { PayloadOf } from '../tx/payloads.js';
import type { JsonData, JsonObject } from '../tx/schema.js';
import { EPCIS_CONTEXT } from './document.js';
import { epcisEventHash } from './event-hash.js';
import { cbvWord } from './to-waybill.js';

/** One final transaction of the history, with where and when the chain recorded it. */
export interface HistoryStep {
  tx: SignedTx;
  /** The transaction's hash. */
  hash: string;
  /** Height of its block. */
  height: number;
  /** Its block's timestamp: the event's `recordTime`. */
  timestamp: string;
}

/** What the export asks of the chain; the caller answers from its state, synchronously. */
export interface ExportDirectory {
  /** The GLN of an organization, if it registered one. */
  glnOfOrg(orgId: string): string | undefined;
  /** The organization a (member) key signs for. */
  orgOfSigner(publicKey: string): string | undefined;
  /** A custody transfer (the hash of its handover): what it moves, from whom, to whom. */
  transfer(hash: string): { epcs: string[]; from: string; to: string } | undefined;
  /**
   * The unit of measure of a lot (`Thing.unit`), written beside the quantity a transformation
   * consumes of it; without it, that quantity goes out without `uom`.
   */
  lotUnit?(epc: string): string | undefined;
}

export interface ExportOptions {
  /** The document's `creationDate`: an ISO 8601 date-time with an offset (no hidden clock). */
  creationDate: string;
}

export type EpcisDocument = {
  '@context': JsonData[];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: JsonObject[] };
};

/** How each decommission reason is written: the bizStep and the CBV disposition. */
export const DECOMMISSIONED: Record<
  PayloadOf<'product.decommission'>['reason'],
  { bizStep: string; disposition: string }
> = {
  sold: { bizStep: 'retail_selling', disposition: 'retail_sold' },
  destroyed: { bizStep: 'destroying', disposition: 'destroyed' },
  expired: { bizStep: 'decommissioning', disposition: 'expired' },
  // Not "stolen": Waybill does not say why it is gone. to-waybill reads both back as `lost`.
  lost: { bizStep: 'decommissioning', disposition: 'unavailable' },
  // The CBV has no "consumed"; `inactive` is its disposition of a decommissioned thing.
  consumed: { bizStep: 'decommissioning', disposition: 'inactive' },
  other: { bizStep: 'decommissioning', disposition: 'inactive' },
};

/** Prefixes the EPCIS 2.0 context defines (and protects): never redefined by an event. */
const STANDARD_PREFIXES: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};

/** The EPCIS 2.0 measurement types, written bare (`Temperature`); Waybill writes `gs1:Temperature`. */
const MEASUREMENT_TYPES = new Set(
  'AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber'.split(
    ' ',
  ),
);

/** A UN/ECE Recommendation 20 code, the only `uom` a quantity element may carry. */
const REC20_UOM = /^[A-Z0-9]{2,3}$/;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

type EventPayload = { eventTime: string; readPoint?: string; bizLocation?: string };
type Commissioned = Pick<
  PayloadOf<'product.commission'>,
  'gtin' | 'serials' | 'lot' | 'quantity' | 'unit' | 'expiry'
>;
type Party = 'possessing_party' | 'owning_party';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `+01:00` of `2026-11-23T12:00:00.000+01:00`; `Z` is `+00:00`. */
function timeZoneOffset(eventTime: string): string {
  const offset = OFFSET.exec(eventTime)?.[1];
  if (offset === undefined)
    throw new WaybillError('INVALID_PAYLOAD', `eventTime ${eventTime} has no offset`, {
      path: '$.payload.eventTime',
    });
  return offset === 'Z' ? '+00:00' : offset;
}

const partyUri = (gln: string) => `${GS1_RESOLVER}/417/${gln}`;

/** Instances go in `epcList`, lots (classes) in `quantityList`, with no quantity: "some of it". */
function whatList(epcs: readonly string[]): JsonObject {
  const instances = epcs.filter((epc) => !isClass(epc));
  const classes = epcs.filter(isClass).map((epc): JsonObject => ({ epcClass: epc }));
  return {
    ...(instances.length > 0 && { epcList: instances }),
    ...(classes.length > 0 && { quantityList: classes }),
  };
}

function isClass(epc: string): boolean {
  const kind = epcKind(epc);
  return kind === 'lot' || kind === 'product';
}

function quantityElement(epcClass: string, quantity?: string, unit?: string): JsonObject {
  return {
    epcClass,
    ...(quantity !== undefined && { quantity: Number(quantity) }),
    ...(unit !== undefined && REC20_UOM.test(unit) && { uom: unit }),
  };
}

/** What a commission or a transformation makes: items by EPC, a lot by class and quantity. */
function madeLists(specs: readonly Commissioned[]): { epcs: string[]; quantities: JsonObject[] } {
  const epcs: string[] = [];
  const quantities: JsonObject[] = [];
  for (const spec of specs) {
    if (spec.serials) epcs.push(...spec.serials.map((serial) => itemEpc(spec.gtin, serial)));
    else if (spec.lot !== undefined)
      quantities.push(quantityElement(lotEpc(spec.gtin, spec.lot), spec.quantity, spec.unit));
  }
  return { epcs, quantities };
}

/** Lot and expiry as CBV master data, when every made thing shares them. */
function ilmdOf(specs: readonly Commissioned[]): JsonObject | undefined {
  const shared = (values: (string | undefined)[]) =>
    values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined;
  const lot = shared(specs.map((s) => s.lot));
  const expiry = shared(specs.map((s) => s.expiry));
  if (lot === undefined && expiry === undefined) return undefined;
  return {
    ...(lot !== undefined && { 'cbvmda:lotNumber': lot }),
    ...(expiry !== undefined && { 'cbvmda:itemExpirationDate': expiry }),
  };
}

type Readings = NonNullable<PayloadOf<'event.observe'>['sensorReadings']>;

/** One sensor element per distinct reading time, in order of first appearance. */
function sensorElements(readings: Readings): JsonObject[] {
  const byTime = new Map<string | undefined, JsonObject[]>();
  for (const reading of readings) {
    const bare = reading.type.startsWith('gs1:') ? reading.type.slice(4) : undefined;
    const report: JsonObject = {
      type: bare !== undefined && MEASUREMENT_TYPES.has(bare) ? bare : reading.type,
      value: Number(reading.value),
      uom: reading.uom,
    };
    byTime.set(reading.time, [...(byTime.get(reading.time) ?? []), report]);
  }
  return [...byTime].map(([time, reports]) => ({
    ...(time !== undefined && { sensorMetadata: { time } }),
    sensorReport: reports,
  }));
}

/** Builds the events of one export; the directory answers what the payloads leave out. */
class Exporter {
  constructor(private readonly directory: ExportDirectory) {}

  private glnUri(orgId: string | undefined): string | undefined {
    const gln = orgId === undefined ? undefined : this.directory.glnOfOrg(orgId);
    return gln === undefined ? undefined : partyUri(gln);
  }

  private parties(type: Party, from: string | undefined, to: string | undefined): JsonObject {
    const source = this.glnUri(from);
    const destination = this.glnUri(to);
    return {
      ...(source !== undefined && { sourceList: [{ type, source }] }),
      ...(destination !== undefined && { destinationList: [{ type, destination }] }),
    };
  }

  private transfer(hash: string): { epcs: string[]; from: string; to: string } {
    const transfer = this.directory.transfer(hash);
    if (transfer === undefined)
      throw new WaybillError('NOT_FOUND', `the directory knows no transfer ${hash}`, {
        path: '$.payload.transfer',
      });
    return transfer;
  }

  /** The event a transaction is written as, without eventID and recordTime; undefined: none. */
  generate(tx: SignedTx): JsonObject | undefined {
    switch (tx.type) {
      case 'product.commission': {
        const { epcs, quantities } = madeLists([tx.payload]);
        const ilmd = ilmdOf([tx.payload]);
        return objectEvent(tx.payload, 'ADD', {
          ...(epcs.length > 0 && { epcList: epcs }),
          ...(quantities.length > 0 && { quantityList: quantities }),
          bizStep: 'commissioning',
          disposition: 'active',
          ...(ilmd && { ilmd }),
        });
      }
      case 'event.observe': {
        const { bizStep, disposition, sensorReadings } = tx.payload;
        return objectEvent(tx.payload, 'OBSERVE', {
          ...whatList(tx.payload.epcs),
          ...(bizStep !== undefined && { bizStep: cbvWord(bizStep, 'BizStep') }),
          ...(disposition !== undefined && { disposition: cbvWord(disposition, 'Disp') }),
          ...(sensorReadings &&
            sensorReadings.length > 0 && { sensorElementList: sensorElements(sensorReadings) }),
        });
      }
      case 'custody.handover':
        return objectEvent(tx.payload, 'OBSERVE', {
          ...whatList(tx.payload.epcs),
          bizStep: 'shipping',
          disposition: 'in_transit',
          ...this.parties('possessing_party', this.directory.orgOfSigner(tx.signer), tx.payload.to),
        });
      case 'custody.accept': {
        const { epcs, from, to } = this.transfer(tx.payload.transfer);
        return objectEvent(tx.payload, 'OBSERVE', {
          ...whatList(epcs),
          bizStep: 'receiving',
          disposition: 'in_progress',
          ...this.parties('possessing_party', from, to),
        });
      }
      case 'custody.reject':
      case 'custody.cancel': {
        const { epcs } = this.transfer(tx.payload.transfer);
        const rejected = tx.type === 'custody.reject';
        return objectEvent(tx.payload, 'OBSERVE', {
          ...whatList(epcs),
          bizStep: rejected ? 'receiving' : 'void_shipping',
          disposition: rejected ? 'returned' : 'in_progress',
        });
      }
      case 'ownership.transfer':
        return objectEvent(tx.payload, 'OBSERVE', {
          ...whatList(tx.payload.epcs),
          ...this.parties('owning_party', this.directory.orgOfSigner(tx.signer), tx.payload.to),
        });
      case 'aggregate.pack':
      case 'aggregate.unpack': {
        const pack = tx.type === 'aggregate.pack';
        const children = tx.payload.children ?? [];
        const instances = children.filter((epc) => !isClass(epc));
        const classes = children.filter(isClass).map((epc): JsonObject => ({ epcClass: epc }));
        return {
          type: 'AggregationEvent',
          ...when(tx.payload),
          action: pack ? 'ADD' : 'DELETE',
          parentID: tx.payload.parent,
          ...(instances.length > 0 && { childEPCs: instances }),
          ...(classes.length > 0 && { childQuantityList: classes }),
          bizStep: pack ? 'packing' : 'unpacking',
          ...where(tx.payload),
        };
      }
      case 'transform': {
        const items = tx.payload.inputs.filter((input) => !isClass(input.epc));
        const lots = tx.payload.inputs.filter((input) => isClass(input.epc));
        const { epcs, quantities } = madeLists(tx.payload.outputs);
        const ilmd = ilmdOf(tx.payload.outputs);
        return {
          type: 'TransformationEvent',
          ...when(tx.payload),
          ...(items.length > 0 && { inputEPCList: items.map((input) => input.epc) }),
          ...(lots.length > 0 && {
            inputQuantityList: lots.map((input) =>
              quantityElement(input.epc, input.quantity, this.directory.lotUnit?.(input.epc)),
            ),
          }),
          ...(epcs.length > 0 && { outputEPCList: epcs }),
          ...(quantities.length > 0 && { outputQuantityList: quantities }),
          bizStep: 'commissioning',
          disposition: 'active',
          ...where(tx.payload),
          ...(ilmd && { ilmd }),
        };
      }
      case 'product.decommission':
        return objectEvent(tx.payload, 'DELETE', {
          ...whatList(tx.payload.epcs),
          ...DECOMMISSIONED[tx.payload.reason],
        });
      default:
        // Registry, master data, recalls and corrections are not EPCIS events (see above);
        // corrections become error declarations in `waybillToEpcis`.
        return undefined;
    }
  }
}

function when(payload: EventPayload): JsonObject {
  return { eventTime: payload.eventTime, eventTimeZoneOffset: timeZoneOffset(payload.eventTime) };
}

function where(payload: EventPayload): JsonObject {
  return {
    ...(payload.readPoint !== undefined && { readPoint: { id: locationEpc(payload.readPoint) } }),
    ...(payload.bizLocation !== undefined && {
      bizLocation: { id: locationEpc(payload.bizLocation) },
    }),
  };
}

function objectEvent(
  payload: EventPayload,
  action: 'ADD' | 'OBSERVE' | 'DELETE',
  fields: JsonObject,
): JsonObject {
  const { ilmd, sourceList, destinationList, sensorElementList, ...what } = fields;
  return {
    type: 'ObjectEvent',
    ...when(payload),
    action,
    ...what,
    ...where(payload),
    ...(sourceList !== undefined && { sourceList }),
    ...(destinationList !== undefined && { destinationList }),
    ...(sensorElementList !== undefined && { sensorElementList }),
    ...(ilmd !== undefined && { ilmd }),
  };
}

/**
 * The prefixes of a kept event's own `@context`, when it holds nothing else (the EPCIS context
 * and plain `prefix: IRI` maps) and none of them clashes with the EPCIS context's or with
 * `hoisted`; undefined when the event must keep its `@context`.
 */
function hoistablePrefixes(
  context: JsonData,
  hoisted: ReadonlyMap<string, string>,
): Map<string, string> | undefined {
  const prefixes = new Map<string, string>();
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (entry === EPCIS_CONTEXT) continue;
    if (!isObject(entry)) return undefined;
    for (const [prefix, iri] of Object.entries(entry)) {
      if (typeof iri !== 'string' || prefix.startsWith('@') || prefix.includes(':'))
        return undefined;
      const known = STANDARD_PREFIXES[prefix] ?? hoisted.get(prefix) ?? prefixes.get(prefix);
      if (known !== undefined && known !== iri) return undefined;
      if (STANDARD_PREFIXES[prefix] === undefined) prefixes.set(prefix, iri);
    }
  }
  return prefixes;
}

/** Everything an exported event needs besides its body. */
interface Exported {
  step: HistoryStep;
  event: JsonObject;
  eventID: string;
}

/**
 * The EPCIS 2.0 document of a history: one event per event transaction in `steps` (in order),
 * and an error declaration for each correction of an event among them.
 */
export function waybillToEpcis(
  steps: readonly HistoryStep[],
  directory: ExportDirectory,
  options: ExportOptions,
): EpcisDocument {
  if (eventTimeMs(options.creationDate) === undefined) {
    throw new WaybillError(
      'INVALID_PAYLOAD',
      `creationDate ${options.creationDate} is not an ISO 8601 date-time with an offset`,
      { path: '$.creationDate' },
    );
  }
  const exporter = new Exporter(directory);
  const hoisted = new Map<string, string>();
  const exported = new Map<string, Exported>();
  const order: (Exported | HistoryStep)[] = [];

  for (const step of steps) {
    const { tx } = step;
    if (tx.type === 'event.correct') {
      order.push(step);
      continue;
    }
    const kept = (tx.payload as { epcis?: { eventHash: string; event: JsonObject } }).epcis;
    let entry: Exported;
    if (kept !== undefined) {
      const { '@context': context, ...body } = kept.event;
      const prefixes = context === undefined ? undefined : hoistablePrefixes(context, hoisted);
      prefixes?.forEach((iri, prefix) => hoisted.set(prefix, iri));
      const ownContext = context !== undefined && prefixes === undefined;
      const eventID = typeof body.eventID === 'string' ? body.eventID : kept.eventHash;
      entry = {
        step,
        event: {
          ...(ownContext && { '@context': context }),
          ...(body.eventID === undefined && { eventID }),
          ...body,
        },
        eventID,
      };
    } else {
      const body = exporter.generate(tx);
      if (body === undefined) continue;
      // The hash is of the event as a reader sees it: with the EPCIS context.
      const eventID = epcisEventHash({ '@context': EPCIS_CONTEXT, ...body });
      entry = { step, event: { ...body, eventID }, eventID };
    }
    exported.set(step.hash, entry);
    order.push(entry);
  }

  const eventList: JsonObject[] = [];
  for (const item of order) {
    if ('event' in item) {
      eventList.push({ ...item.event, recordTime: item.step.timestamp });
      continue;
    }
    if (item.tx.type !== 'event.correct') continue;
    const { target, reason, correctiveTxs, eventTime } = item.tx.payload;
    const original = exported.get(target);
    if (original === undefined) continue;
    const corrective = (correctiveTxs ?? []).flatMap((hash) => {
      const found = exported.get(hash);
      return found ? [found.eventID] : [];
    });
    // EPCIS 2.0: the declaration is the erroneous event again, as recorded now, with
    // `errorDeclaration` (which the event hash does not cover, so the eventID stays).
    eventList.push({
      ...original.event,
      recordTime: item.timestamp,
      errorDeclaration: {
        declarationTime: eventTime,
        reason,
        ...(corrective.length > 0 && { correctiveEventIDs: corrective }),
      },
    });
  }

  return {
    '@context': [EPCIS_CONTEXT, ...(hoisted.size > 0 ? [Object.fromEntries(hoisted)] : [])],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: options.creationDate,
    epcisBody: { eventList },
  };
}
