/**
 * The payload schema of every transaction type (protocol.md, "Transaction types"). The types
 * the state machine, the node and the explorer use are inferred from these schemas.
 */
import {
  chainId,
  date,
  decimal,
  epc,
  eventTime,
  gln,
  gtin,
  hash,
  label,
  memberRole,
  name,
  orgId,
  orgRole,
  positiveDecimal,
  publicKey,
  serialOrLot,
  signature,
  text,
  unitOfMeasure,
} from './fields.js';
import {
  array,
  integer,
  invalid,
  jsonObject,
  literal,
  nullable,
  object,
  optional,
  string,
  type Infer,
  type Schema,
} from './schema.js';

const MAX_THINGS = 1000;
const things = (...kinds: Parameters<typeof epc>) =>
  array(epc(...kinds), { min: 1, max: MAX_THINGS, unique: true });

const roles = array(orgRole, { min: 1, max: 5, unique: true });

const address = object({
  street: optional(name),
  city: name,
  postalCode: optional(string({ max: 20 })),
  region: optional(name),
  country: string({
    min: 2,
    max: 2,
    pattern: /^[A-Z]{2}$/,
    expected: 'an ISO 3166-1 alpha-2 country code such as "NL"',
  }),
});

const coordinates = object(
  {
    latitude: string({
      max: 20,
      pattern: /^-?\d{1,2}(\.\d{1,8})?$/,
      expected: 'a latitude as a decimal string',
    }),
    longitude: string({
      max: 20,
      pattern: /^-?\d{1,3}(\.\d{1,8})?$/,
      expected: 'a longitude as a decimal string',
    }),
  },
  (value, path) => {
    if (Math.abs(Number(value.latitude)) > 90)
      invalid(`${path}.latitude`, 'must be between -90 and 90');
    if (Math.abs(Number(value.longitude)) > 180)
      invalid(`${path}.longitude`, 'must be between -180 and 180');
  },
);

/** An EPCIS sensor reading ("gs1:Temperature", "4.5", "CEL"). */
const sensorReading = object({
  type: string({ max: 100 }),
  value: decimal,
  uom: unitOfMeasure,
  time: optional(eventTime),
});

/** A storage condition of a product class; readings outside it are flagged to consumers. */
const condition = object(
  {
    type: string({ max: 100 }),
    uom: unitOfMeasure,
    min: optional(decimal),
    max: optional(decimal),
  },
  (value, path) => {
    if (value.min === undefined && value.max === undefined) invalid(path, 'give min, max or both');
    if (
      value.min !== undefined &&
      value.max !== undefined &&
      Number(value.min) > Number(value.max)
    ) {
      invalid(`${path}.min`, 'must not be greater than max');
    }
  },
);

const document = object({ type: string({ max: 100 }), hash, uri: optional(string({ max: 500 })) });

/**
 * The EPCIS 2.0 event a transaction was captured from (docs/epcis.md), kept whole so that export
 * gives it back as captured, with its GS1 event hash, which no second transaction may carry.
 */
const epcisEvent = object({
  eventHash: string({
    max: 200,
    pattern: /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/,
    expected: 'a GS1 event hash, "ni:///sha-256;<64 hex>?ver=CBV2.0"',
  }),
  event: jsonObject(),
});

/** Fields every physical event carries (EPCIS "what happened where and when"). */
const eventFields = {
  eventTime,
  bizLocation: optional(gln),
  readPoint: optional(gln),
  note: optional(text),
  epcis: optional(epcisEvent),
};

/** Things to create: serialized items (with an optional lot) or one lot with a quantity. */
const commissioned = {
  gtin,
  serials: optional(array(serialOrLot, { min: 1, max: MAX_THINGS, unique: true })),
  lot: optional(serialOrLot),
  quantity: optional(positiveDecimal),
  unit: optional(unitOfMeasure),
  expiry: optional(date),
};
function checkCommissioned(
  value: { serials?: string[]; lot?: string; quantity?: string; unit?: string },
  path: string,
): void {
  if (value.serials) {
    if (value.quantity !== undefined)
      invalid(`${path}.quantity`, 'applies to a lot only; serialized items count one each');
  } else {
    if (value.lot === undefined) invalid(path, 'give serials (items) or a lot with its quantity');
    if (value.quantity === undefined) invalid(`${path}.quantity`, 'is required for a lot');
  }
}

/**
 * A signed consensus vote, exactly as `SignedVote` of `shared/block` (protocol.md, "Consensus"):
 * its six signed fields and the signature. Heights start at 1 (genesis is not voted on); a
 * `blockHash` of null is a vote for no block. Only the form is checked here; the rule of
 * `authority.evidence` checks the signature and what the two votes say.
 */
const signedVote = object({
  type: literal('prevote', 'precommit'),
  chainId,
  height: integer({ min: 1 }),
  round: integer(),
  blockHash: nullable(hash),
  validator: publicKey,
  signature,
});

export const payloadSchemas = {
  'org.register': object({
    orgId,
    name,
    roles,
    gln: optional(gln),
    admin: publicKey,
    adminLabel: optional(label),
  }),
  'org.update': object(
    { orgId, name: optional(name), roles: optional(roles), gln: optional(gln) },
    (value, path) => {
      if (value.name === undefined && value.roles === undefined && value.gln === undefined) {
        invalid(path, 'change at least one of name, roles, gln');
      }
    },
  ),
  'member.add': object({ orgId, publicKey, role: memberRole, label: optional(label) }),
  'member.revoke': object({ orgId, publicKey, reason: optional(text) }),
  'authority.vote': object({
    action: literal('add', 'remove'),
    authority: publicKey,
    name: optional(name),
  }),
  /** Two conflicting votes of one authority for the same height, round and type. */
  'authority.evidence': object({ first: signedVote, second: signedVote }),
  'product.define': object({
    gtin,
    name,
    description: optional(text),
    brand: optional(name),
    imageHash: optional(hash),
    imageUrl: optional(string({ max: 500, pattern: /^https:\/\//, expected: 'an https:// URL' })),
    conditions: optional(array(condition, { max: 10 })),
  }),
  'product.commission': object({ ...commissioned, ...eventFields }, checkCommissioned),
  'event.observe': object({
    epcs: things(),
    ...eventFields,
    bizStep: optional(string({ max: 100 })),
    disposition: optional(string({ max: 100 })),
    sensorReadings: optional(array(sensorReading, { max: 500 })),
    documents: optional(array(document, { max: 20 })),
  }),
  'custody.handover': object({ epcs: things(), to: orgId, ...eventFields }),
  'custody.accept': object({ transfer: hash, ...eventFields }),
  'custody.reject': object({ transfer: hash, reason: optional(text), ...eventFields }),
  'custody.cancel': object({ transfer: hash, reason: optional(text), ...eventFields }),
  'ownership.transfer': object({ epcs: things(), to: orgId, ...eventFields }),
  'aggregate.pack': object({
    parent: epc('unit'),
    children: things('item', 'lot', 'unit'),
    ...eventFields,
  }),
  'aggregate.unpack': object({
    parent: epc('unit'),
    children: optional(things('item', 'lot', 'unit')),
    ...eventFields,
  }),
  transform: object({
    inputs: array(object({ epc: epc('item', 'lot'), quantity: optional(positiveDecimal) }), {
      min: 1,
      max: 100,
      unique: true,
    }),
    outputs: array(object(commissioned, checkCommissioned), { min: 1, max: 20 }),
    ...eventFields,
  }),
  'recall.issue': object({
    gtin,
    lots: optional(array(serialOrLot, { min: 1, max: MAX_THINGS, unique: true })),
    serials: optional(array(serialOrLot, { min: 1, max: MAX_THINGS, unique: true })),
    reason: text,
    ...eventFields,
  }),
  'recall.close': object({ recall: hash, ...eventFields }),
  'product.decommission': object({
    epcs: things('item', 'lot'),
    reason: literal('sold', 'destroyed', 'expired', 'consumed', 'lost', 'other'),
    ...eventFields,
  }),
  'location.define': object({ gln, name, address, coordinates: optional(coordinates) }),
  'location.update': object(
    { gln, name: optional(name), address: optional(address), coordinates: optional(coordinates) },
    (value, path) => {
      if (
        value.name === undefined &&
        value.address === undefined &&
        value.coordinates === undefined
      ) {
        invalid(path, 'change at least one of name, address, coordinates');
      }
    },
  ),
  'event.correct': object({
    target: hash,
    reason: literal('did_not_occur', 'incorrect_data'),
    correctiveTxs: optional(array(hash, { min: 1, max: 20, unique: true })),
    ...eventFields,
  }),
} satisfies Record<string, Schema<unknown>>;

export type TxType = keyof typeof payloadSchemas;
export const TX_TYPES = Object.keys(payloadSchemas) as TxType[];
export type PayloadOf<T extends TxType> = Infer<(typeof payloadSchemas)[T]>;
export type AnyPayload = { [T in TxType]: PayloadOf<T> }[TxType];

export function isTxType(value: unknown): value is TxType {
  return typeof value === 'string' && Object.hasOwn(payloadSchemas, value);
}
