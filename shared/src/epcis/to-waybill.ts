/**
 * EPCIS 2.0 events as Waybill transactions (docs/epcis.md has the table). Each event becomes one
 * transaction whose payload says what the event means for the chain's state (who made, holds or
 * packed what) and carries the event itself, whole, with its GS1 event hash. What has no Waybill
 * meaning is refused with the event's index and the field, never dropped in silence.
 *
 * Pure: what only the chain knows (which organization a GLN belongs to, which handover a receipt
 * accepts) comes from a `Directory` the caller backs with a node's API or a test's state.
 */
import { WaybillError } from '../errors.js';
import { parseDigitalLink, toEpc, type Gs1Identifier } from '../gs1/index.js';
import type { JsonData, JsonObject } from '../tx/schema.js';
import type { PayloadOf, TxType } from '../tx/payloads.js';
import type { CapturedEvent, EpcisProblem } from './document.js';
import { normalizeEpcisIdentifier } from './urn.js';

/** What the mapping asks of the chain. */
export interface Directory {
  /** The organization whose GLN (party or location) this is, if any. */
  orgOfGln(gln: string): Promise<string | undefined>;
  /** The pending custody transfer of exactly these EPCs, in any order: its hash and receiver. */
  pendingTransfer(epcs: readonly string[]): Promise<{ hash: string; to: string } | undefined>;
  /** The transaction that carries the EPCIS event with this eventID or event hash, if any. */
  txOfEvent(eventId: string): Promise<string | undefined>;
}

/** A mapped event: the transaction to sign. */
export interface MappedTx<T extends TxType = TxType> {
  type: T;
  payload: PayloadOf<T>;
}

export type MapResult =
  | { ok: true; index: number; tx: MappedTx }
  | { ok: false; index: number; problems: EpcisProblem[] };

/** CBV business steps whose OBSERVE with a possessing party hands custody over or takes it. */
const SHIPPING_STEPS = new Set(['shipping', 'departing']);
const RECEIVING_STEPS = new Set(['receiving', 'arriving', 'accepting']);

/** CBV dispositions of a DELETE, as Waybill's decommission reasons. */
const DECOMMISSION_REASONS: Record<string, PayloadOf<'product.decommission'>['reason']> = {
  retail_sold: 'sold',
  destroyed: 'destroyed',
  disposed: 'destroyed',
  expired: 'expired',
  stolen: 'lost',
  unavailable: 'lost',
};

class Unmappable extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(field: string, message: string): never {
  throw new Unmappable(field, message);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(event: JsonObject, field: string): string | undefined {
  const value = event[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`$.${field}`, 'expected a string');
  return value;
}

function list(event: JsonObject, field: string): JsonData[] {
  const value = event[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`$.${field}`, 'expected an array');
  return value;
}

/** CBV vocabularies: business steps, dispositions, source/destination types, error reasons. */
type CbvVocabulary = 'BizStep' | 'Disp' | 'SDT' | 'ER';

/**
 * A CBV value written as a bare word, a `cbv:` CURIE, an `urn:epcglobal:cbv:` URN or a
 * ref.gs1.org URI: its bare word. Anything else (a private vocabulary's URI) is returned as is.
 */
export function cbvWord(value: string, vocabulary: CbvVocabulary): string {
  const match =
    new RegExp(`^(?:https://ref\\.gs1\\.org/cbv/|cbv:)${vocabulary}-(.+)$`).exec(value) ??
    new RegExp(`^urn:epcglobal:cbv:${vocabulary.toLowerCase()}:(.+)$`).exec(value);
  return match?.[1] ?? value;
}

/** An EPC or class as EPCIS writes it (URN or Digital Link), as Waybill's canonical EPC. */
function thingOf(value: JsonData, field: string): { epc: string; id: Gs1Identifier } {
  if (typeof value !== 'string') fail(field, 'expected an EPC (a URN or a GS1 Digital Link URI)');
  try {
    const { id } = parseDigitalLink(normalizeEpcisIdentifier(value));
    return { epc: toEpc(id), id };
  } catch (error) {
    fail(field, error instanceof WaybillError ? error.message : String(error));
  }
}

/**
 * A GLN named as a location (SGLN, `/414/`) or a party (PGLN, `/417/`). A location's extension
 * (a sub-location such as a dock door) is not a Waybill location: the GLN is recorded, and the
 * extension stays in the kept event.
 */
function glnOf(value: JsonData, field: string): string {
  if (typeof value !== 'string') fail(field, 'expected a GLN URI');
  let uri: string;
  try {
    uri = normalizeEpcisIdentifier(value);
  } catch (error) {
    fail(field, error instanceof WaybillError ? error.message : String(error));
  }
  const match = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})(?:\/254\/[^/]+)?$/.exec(uri);
  if (!match?.[1])
    fail(field, `expected a GLN (urn:epc:id:sgln, urn:epc:id:pgln, /414/ or /417/), got ${value}`);
  return match[1];
}

function locationField(event: JsonObject, field: 'readPoint' | 'bizLocation'): string | undefined {
  const value = event[field];
  if (value === undefined) return undefined;
  if (!isObject(value) || value.id === undefined)
    fail(`$.${field}`, 'expected { "id": <GLN URI> }');
  return glnOf(value.id, `$.${field}.id`);
}

/** The fields every Waybill event carries, from the EPCIS event. */
function commonFields(captured: CapturedEvent, eventHash: string) {
  const { event } = captured;
  const eventTime = text(event, 'eventTime');
  if (eventTime === undefined) fail('$.eventTime', 'is required');
  const readPoint = locationField(event, 'readPoint');
  const bizLocation = locationField(event, 'bizLocation');
  return {
    eventTime,
    ...(readPoint !== undefined && { readPoint }),
    ...(bizLocation !== undefined && { bizLocation }),
    epcis: { eventHash, event },
  };
}

/**
 * The things an event names: EPC lists, and lots from quantity lists. A quantity of a product
 * class (no lot) is no thing Waybill tracks: an observation keeps it in the event only
 * (`classes: 'keep'`); where it would be packed, that is refused.
 */
function thingsOf(
  event: JsonObject,
  epcField: string,
  quantityField?: string,
  classes: 'keep' | 'refuse' = 'refuse',
): string[] {
  const epcs = list(event, epcField).map((v, i) => thingOf(v, `$.${epcField}[${i}]`).epc);
  if (quantityField !== undefined) {
    list(event, quantityField).forEach((entry, i) => {
      const field = `$.${quantityField}[${i}]`;
      if (!isObject(entry)) fail(field, 'expected { epcClass, quantity, uom }');
      const { epc, id } = thingOf(entry.epcClass ?? null, `${field}.epcClass`);
      if (id.kind === 'lot') epcs.push(epc);
      else if (id.kind !== 'product' || classes === 'refuse')
        fail(`${field}.epcClass`, 'Waybill tracks quantities by lot (an LGTIN class)');
    });
  }
  return [...new Set(epcs)];
}

function partiesOf(
  event: JsonObject,
  field: 'sourceList' | 'destinationList',
  type: 'possessing_party' | 'owning_party',
): string | undefined {
  const member = field === 'sourceList' ? 'source' : 'destination';
  const found = list(event, field).flatMap((entry, i) =>
    isObject(entry) && typeof entry.type === 'string' && cbvWord(entry.type, 'SDT') === type
      ? [glnOf(entry[member] ?? null, `$.${field}[${i}].${member}`)]
      : [],
  );
  if (found.length > 1) fail(`$.${field}`, `names more than one ${type}`);
  return found[0];
}

async function orgOf(directory: Directory, gln: string, field: string): Promise<string> {
  const org = await directory.orgOfGln(gln);
  if (org === undefined) fail(field, `no organization on chain has GLN ${gln}: register it first`);
  return org;
}

function decimalOf(value: JsonData, field: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'expected a number');
  // Waybill decimals are strings, so no float reaches a hash; at most 9 places.
  const fixed = Number.isInteger(value) ? String(value) : value.toFixed(9).replace(/0+$/, '');
  if (!/^-?(0|[1-9]\d{0,17})(\.\d{1,9})?$/.test(fixed)) fail(field, `${value} is out of range`);
  return fixed;
}

/** Numeric sensor reports, as Waybill readings; the rest stay in the kept event. */
function sensorReadingsOf(event: JsonObject): PayloadOf<'event.observe'>['sensorReadings'] {
  const readings: NonNullable<PayloadOf<'event.observe'>['sensorReadings']> = [];
  list(event, 'sensorElementList').forEach((element, i) => {
    if (!isObject(element)) fail(`$.sensorElementList[${i}]`, 'expected a sensor element');
    const metadata = isObject(element.sensorMetadata) ? element.sensorMetadata : {};
    const reports = Array.isArray(element.sensorReport) ? element.sensorReport : [];
    reports.forEach((report, j) => {
      const field = `$.sensorElementList[${i}].sensorReport[${j}]`;
      if (!isObject(report) || typeof report.value !== 'number') return;
      if (typeof report.type !== 'string' || typeof report.uom !== 'string') return;
      const time = typeof report.time === 'string' ? report.time : metadata.time;
      readings.push({
        type: report.type.includes(':') ? report.type : `gs1:${report.type}`,
        value: decimalOf(report.value, `${field}.value`),
        uom: report.uom,
        ...(typeof time === 'string' && { time }),
      });
    });
  });
  return readings.length > 0 ? readings : undefined;
}

/** Serialized items of one product, or one lot with its quantity: a commission or an output. */
interface Commissioned {
  gtin: string;
  serials?: string[];
  lot?: string;
  quantity?: string;
  unit?: string;
  expiry?: string;
}

/** Lot and expiry from instance/lot master data (`ilmd`), as CBV master data attributes. */
function masterDataOf(event: JsonObject): { lot?: string; expiry?: string } {
  const ilmd = event.ilmd;
  if (ilmd === undefined) return {};
  if (!isObject(ilmd)) fail('$.ilmd', 'expected an object');
  const lot = ilmd['cbvmda:lotNumber'];
  const expiry = ilmd['cbvmda:itemExpirationDate'];
  if (lot !== undefined && typeof lot !== 'string')
    fail('$.ilmd.cbvmda:lotNumber', 'expected a string');
  if (expiry !== undefined && (typeof expiry !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expiry)))
    fail('$.ilmd.cbvmda:itemExpirationDate', 'expected a date as YYYY-MM-DD');
  return { ...(lot !== undefined && { lot }), ...(expiry !== undefined && { expiry }) };
}

function commissionedOf(
  event: JsonObject,
  epcField: string,
  quantityField: string,
): Commissioned[] {
  const { lot: itemLot, expiry } = masterDataOf(event);
  const byGtin = new Map<string, string[]>();
  list(event, epcField).forEach((value, i) => {
    const { id } = thingOf(value, `$.${epcField}[${i}]`);
    if (id.kind !== 'item') fail(`$.${epcField}[${i}]`, 'expected a serialized item (SGTIN)');
    byGtin.set(id.gtin, [...(byGtin.get(id.gtin) ?? []), id.serial]);
  });
  const out: Commissioned[] = [...byGtin].map(([gtin, serials]) => ({
    gtin,
    serials,
    ...(itemLot !== undefined && { lot: itemLot }),
    ...(expiry !== undefined && { expiry }),
  }));
  list(event, quantityField).forEach((entry, i) => {
    const field = `$.${quantityField}[${i}]`;
    if (!isObject(entry)) fail(field, 'expected { epcClass, quantity, uom }');
    const { id } = thingOf(entry.epcClass ?? null, `${field}.epcClass`);
    if (id.kind !== 'lot') fail(`${field}.epcClass`, 'expected a lot (an LGTIN class)');
    const quantity = decimalOf(entry.quantity ?? null, `${field}.quantity`);
    out.push({
      gtin: id.gtin,
      lot: id.lot,
      quantity,
      ...(typeof entry.uom === 'string' && { unit: entry.uom }),
      ...(expiry !== undefined && { expiry }),
    });
  });
  return out;
}

async function mapObjectEvent(
  captured: CapturedEvent,
  common: ReturnType<typeof commonFields>,
  directory: Directory,
): Promise<MappedTx> {
  const { event } = captured;
  const action = text(event, 'action');
  if (action === 'ADD') {
    const [made, ...more] = commissionedOf(event, 'epcList', 'quantityList');
    if (made === undefined) fail('$.epcList', 'an ADD must name what it commissions');
    if (more.length > 0) {
      fail(
        '$.quantityList',
        'commissions more than one product or lot; Waybill commissions one per transaction: split the event',
      );
    }
    return { type: 'product.commission', payload: { ...made, ...common } };
  }
  const epcs = thingsOf(event, 'epcList', 'quantityList', action === 'OBSERVE' ? 'keep' : 'refuse');
  if (epcs.length === 0) fail('$.epcList', 'names no thing Waybill tracks');
  if (action === 'DELETE') {
    const disposition = cbvWord(text(event, 'disposition') ?? '', 'Disp');
    return {
      type: 'product.decommission',
      payload: { epcs, reason: DECOMMISSION_REASONS[disposition] ?? 'other', ...common },
    };
  }
  if (action !== 'OBSERVE') fail('$.action', 'expected ADD, OBSERVE or DELETE');
  const bizStep = text(event, 'bizStep');
  const step = bizStep === undefined ? undefined : cbvWord(bizStep, 'BizStep');
  const disposition = cbvWord(text(event, 'disposition') ?? '', 'Disp');
  // A receiver sending things back, and a shipper calling a shipment off.
  if ((step === 'receiving' && disposition === 'returned') || step === 'void_shipping') {
    const transfer = await directory.pendingTransfer(epcs);
    if (transfer === undefined)
      fail(
        '$.epcList',
        'no handover of exactly these things is pending: nothing to refuse or call off',
      );
    return step === 'void_shipping'
      ? { type: 'custody.cancel', payload: { transfer: transfer.hash, ...common } }
      : { type: 'custody.reject', payload: { transfer: transfer.hash, ...common } };
  }
  // Parties change hands only at a hand-over step; elsewhere (an inspection) they are context,
  // kept in the event.
  const handsOver = step === undefined || SHIPPING_STEPS.has(step) || RECEIVING_STEPS.has(step);
  if (!handsOver) return observation(event, epcs, common);
  const holder = partiesOf(event, 'destinationList', 'possessing_party');
  const owner = partiesOf(event, 'destinationList', 'owning_party');
  if (holder !== undefined && owner !== undefined)
    fail(
      '$.destinationList',
      'changes possession and ownership at once; Waybill records them as two events: split it',
    );
  if (step !== undefined && RECEIVING_STEPS.has(step) && holder !== undefined) {
    const to = await orgOf(directory, holder, '$.destinationList');
    const transfer = await directory.pendingTransfer(epcs);
    if (transfer?.to !== to)
      fail(
        '$.epcList',
        `no handover of exactly these things to ${to} is pending: nothing to accept`,
      );
    return { type: 'custody.accept', payload: { transfer: transfer.hash, ...common } };
  }
  if (holder !== undefined) {
    const to = await orgOf(directory, holder, '$.destinationList');
    return { type: 'custody.handover', payload: { epcs, to, ...common } };
  }
  if (owner !== undefined) {
    const to = await orgOf(directory, owner, '$.destinationList');
    return { type: 'ownership.transfer', payload: { epcs, to, ...common } };
  }
  return observation(event, epcs, common);
}

function observation(
  event: JsonObject,
  epcs: string[],
  common: ReturnType<typeof commonFields>,
): MappedTx<'event.observe'> {
  const bizStep = text(event, 'bizStep');
  const disposition = text(event, 'disposition');
  const sensorReadings = sensorReadingsOf(event);
  return {
    type: 'event.observe',
    payload: {
      epcs,
      ...(bizStep !== undefined && { bizStep: cbvWord(bizStep, 'BizStep') }),
      ...(disposition !== undefined && { disposition: cbvWord(disposition, 'Disp') }),
      ...(sensorReadings && { sensorReadings }),
      ...common,
    },
  };
}

function mapAggregationEvent(
  captured: CapturedEvent,
  common: ReturnType<typeof commonFields>,
): MappedTx {
  const { event } = captured;
  const action = text(event, 'action');
  const parentId = event.parentID;
  const parent = parentId === undefined ? undefined : thingOf(parentId, '$.parentID');
  if (parent !== undefined && parent.id.kind !== 'unit')
    fail('$.parentID', 'expected a logistic unit (SSCC)');
  const children = thingsOf(
    event,
    'childEPCs',
    'childQuantityList',
    action === 'OBSERVE' ? 'keep' : 'refuse',
  );
  if (action === 'OBSERVE')
    return observation(event, parent ? [parent.epc, ...children] : children, common);
  if (parent === undefined) fail('$.parentID', `is required for ${String(action)}`);
  if (action === 'ADD') {
    if (children.length === 0) fail('$.childEPCs', 'an ADD must name what it packs');
    return { type: 'aggregate.pack', payload: { parent: parent.epc, children, ...common } };
  }
  if (action === 'DELETE') {
    return {
      type: 'aggregate.unpack',
      payload: { parent: parent.epc, ...(children.length > 0 && { children }), ...common },
    };
  }
  fail('$.action', 'expected ADD, OBSERVE or DELETE');
}

function mapTransformationEvent(
  captured: CapturedEvent,
  common: ReturnType<typeof commonFields>,
): MappedTx {
  const { event } = captured;
  const inputs: PayloadOf<'transform'>['inputs'] = list(event, 'inputEPCList').map((v, i) => {
    const { epc, id } = thingOf(v, `$.inputEPCList[${i}]`);
    if (id.kind !== 'item' && id.kind !== 'lot')
      fail(`$.inputEPCList[${i}]`, 'expected an item or a lot');
    return { epc };
  });
  list(event, 'inputQuantityList').forEach((entry, i) => {
    const field = `$.inputQuantityList[${i}]`;
    if (!isObject(entry)) fail(field, 'expected { epcClass, quantity, uom }');
    const { epc, id } = thingOf(entry.epcClass ?? null, `${field}.epcClass`);
    if (id.kind !== 'lot')
      fail(
        `${field}.epcClass`,
        'Waybill consumes quantities of a lot (an LGTIN class), not of a product class',
      );
    inputs.push({
      epc,
      ...(entry.quantity !== undefined && {
        quantity: decimalOf(entry.quantity, `${field}.quantity`),
      }),
    });
  });
  if (inputs.length === 0) fail('$.inputEPCList', 'a transformation needs inputs');
  const outputs = commissionedOf(event, 'outputEPCList', 'outputQuantityList');
  if (outputs.length === 0) fail('$.outputEPCList', 'a transformation needs outputs');
  return { type: 'transform', payload: { inputs, outputs, ...common } };
}

/**
 * An event captured again with an `errorDeclaration`: a correction of the transaction that carries
 * it. The event hash does not cover the declaration, so the correction cannot carry the event
 * (its hash is on chain already); its reason, time and corrective events are what it records.
 */
async function correction(
  captured: CapturedEvent,
  eventHash: string,
  directory: Directory,
): Promise<MappedTx<'event.correct'>> {
  const { event } = captured;
  const declaration = event.errorDeclaration;
  if (!isObject(declaration)) fail('$.errorDeclaration', 'expected an object');
  const id = typeof event.eventID === 'string' ? event.eventID : eventHash;
  const target = (await directory.txOfEvent(id)) ?? (await directory.txOfEvent(eventHash));
  if (target === undefined)
    fail('$.eventID', `declares an error in event ${id}, which is not on chain`);
  const reason = cbvWord(typeof declaration.reason === 'string' ? declaration.reason : '', 'ER');
  if (reason !== 'did_not_occur' && reason !== 'incorrect_data')
    fail('$.errorDeclaration.reason', 'expected did_not_occur or incorrect_data');
  const declared = declaration.declarationTime;
  if (typeof declared !== 'string') fail('$.errorDeclaration.declarationTime', 'is required');
  const corrective = Array.isArray(declaration.correctiveEventIDs)
    ? declaration.correctiveEventIDs
    : [];
  const correctiveTxs: string[] = [];
  for (const [i, value] of corrective.entries()) {
    const field = `$.errorDeclaration.correctiveEventIDs[${i}]`;
    if (typeof value !== 'string') fail(field, 'expected an event ID');
    const tx = await directory.txOfEvent(value);
    if (tx === undefined) fail(field, `corrective event ${value} is not on chain: import it first`);
    correctiveTxs.push(tx);
  }
  return {
    type: 'event.correct',
    payload: {
      target,
      reason,
      ...(correctiveTxs.length > 0 && { correctiveTxs }),
      eventTime: declared,
    },
  };
}

/**
 * The transaction an event becomes, or every problem found with it. `eventHash` is the event's
 * GS1 event hash (`epcisEventHash`), kept with it.
 */
export async function mapEpcisEvent(
  captured: CapturedEvent,
  eventHash: string,
  directory: Directory,
): Promise<MapResult> {
  const { index } = captured;
  try {
    if (captured.event.errorDeclaration !== undefined)
      return { ok: true, index, tx: await correction(captured, eventHash, directory) };
    const common = commonFields(captured, eventHash);
    const { event } = captured;
    let tx: MappedTx;
    switch (captured.type) {
      case 'ObjectEvent':
        tx = await mapObjectEvent(captured, common, directory);
        break;
      case 'AggregationEvent':
        tx = mapAggregationEvent(captured, common);
        break;
      case 'TransformationEvent':
        tx = mapTransformationEvent(captured, common);
        break;
      case 'TransactionEvent': {
        // Business transactions stay in the kept event; the chain records the observation.
        const parent =
          event.parentID === undefined ? [] : [thingOf(event.parentID, '$.parentID').epc];
        const epcs = [...parent, ...thingsOf(event, 'epcList', 'quantityList', 'keep')];
        if (epcs.length === 0) fail('$.epcList', 'names no thing');
        tx = observation(event, epcs, common);
        break;
      }
      case 'AssociationEvent':
        fail(
          '$.type',
          'Waybill does not record AssociationEvents (sensors and assets attached to things)',
        );
    }
    return { ok: true, index, tx };
  } catch (error) {
    if (error instanceof Unmappable)
      return {
        ok: false,
        index,
        problems: [{ index, field: error.field, message: error.message }],
      };
    throw error;
  }
}
