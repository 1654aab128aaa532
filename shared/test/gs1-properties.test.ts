import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDigitalLink,
  gs1CheckDigit,
  isCanonicalEpc,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
  parseDigitalLink,
  parseEpc,
  toEpc,
  type Gs1Identifier,
} from '../src/gs1/index.js';

// Seeded, so a failure reproduces; fast-check prints the counterexample and its path.
const RUNS = { numRuns: 500, seed: 20261123 };

const CSET82 =
  '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

const digits = (length: number): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.constantFrom(...Array.from('0123456789')),
    minLength: length,
    maxLength: length,
  });

/** A valid key of `length` digits: random body, correct check digit. */
const key = (length: number): fc.Arbitrary<string> =>
  digits(length - 1).map((body) => `${body}${gs1CheckDigit(body)}`);

const anyGtin = fc.constantFrom(8, 12, 13, 14).chain(key);
const gtin14 = key(14);
const value82 = fc.string({
  unit: fc.constantFrom(...Array.from(CSET82)),
  minLength: 1,
  maxLength: 20,
});

const identifier: fc.Arbitrary<Gs1Identifier> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('item' as const),
      gtin: gtin14,
      serial: value82,
      lot: value82,
      cpv: value82,
    },
    { requiredKeys: ['kind', 'gtin', 'serial'], noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('lot' as const), gtin: gtin14, lot: value82, cpv: value82 },
    { requiredKeys: ['kind', 'gtin', 'lot'], noNullPrototype: true },
  ),
  fc.record(
    { kind: fc.constant('product' as const), gtin: gtin14, cpv: value82 },
    { requiredKeys: ['kind', 'gtin'], noNullPrototype: true },
  ),
  fc.record({ kind: fc.constant('unit' as const), sscc: key(18) }, { noNullPrototype: true }),
  fc.record({ kind: fc.constant('location' as const), gln: key(13) }, { noNullPrototype: true }),
);

/** What an EPC keeps of an identifier: GTIN + serial, GTIN + lot, or the key alone. */
function epcPart(id: Gs1Identifier): Gs1Identifier {
  switch (id.kind) {
    case 'item':
      return { kind: 'item', gtin: id.gtin, serial: id.serial };
    case 'lot':
      return { kind: 'lot', gtin: id.gtin, lot: id.lot };
    case 'product':
      return { kind: 'product', gtin: id.gtin };
    case 'unit':
    case 'location':
      return id;
  }
}

describe('GS1 properties', () => {
  it('parseEpc(toEpc(id)) keeps what identifies the thing', () => {
    fc.assert(
      fc.property(identifier, (id) => {
        const epc = toEpc(id);
        expect(parseEpc(epc)).toStrictEqual(epcPart(id));
        expect(isCanonicalEpc(epc)).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseDigitalLink(buildDigitalLink(id)) returns the identifier', () => {
    const attributes = fc.record(
      { '17': fc.constantFrom('261231', '270100', '300615'), '99': value82 },
      { requiredKeys: [], noNullPrototype: true },
    );
    fc.assert(
      fc.property(identifier, attributes, (id, attrs) => {
        expect(parseDigitalLink(buildDigitalLink(id))).toStrictEqual({ id, attributes: {} });
        const uri = buildDigitalLink(id, { base: 'https://example.com/dl', attributes: attrs });
        expect(parseDigitalLink(uri)).toStrictEqual({ id, attributes: attrs });
      }),
      RUNS,
    );
  });

  it('any percent-encoding of a value decodes to it; only the canonical one is an EPC', () => {
    fc.assert(
      fc.property(gtin14, value82, fc.boolean(), (gtin, serial, lower) => {
        // encodeURIComponent leaves ! ' ( ) * raw, which a path segment may carry.
        let encoded = encodeURIComponent(serial);
        if (lower) encoded = encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
        const uri = `https://id.gs1.org/01/${gtin}/21/${encoded}`;
        const { id } = parseDigitalLink(uri);
        expect(id).toStrictEqual({ kind: 'item', gtin, serial });
        expect(isCanonicalEpc(uri)).toBe(uri === toEpc(id));
      }),
      RUNS,
    );
  });

  it('GTIN-8/12/13/14 normalize to a valid GTIN-14 with the same check digit', () => {
    fc.assert(
      fc.property(anyGtin, (gtin) => {
        expect(isValidGtin(gtin)).toBe(true);
        const normalized = normalizeGtin(gtin);
        expect(normalized).toHaveLength(14);
        expect(normalized.endsWith(gtin)).toBe(true);
        expect(isValidGtin(normalized)).toBe(true);
        expect(parseDigitalLink(`/01/${gtin}`).id).toStrictEqual({
          kind: 'product',
          gtin: normalized,
        });
      }),
      RUNS,
    );
  });

  it('any single-digit change fails the check digit', () => {
    const change = (length: number) =>
      fc.tuple(key(length), fc.nat({ max: length - 1 }), fc.integer({ min: 1, max: 9 }));
    const changed = ([valid, at, delta]: [string, number, number]): string =>
      `${valid.slice(0, at)}${(Number(valid[at]) + delta) % 10}${valid.slice(at + 1)}`;
    fc.assert(
      fc.property(fc.constantFrom(8, 12, 13, 14).chain(change), (c) => {
        expect(isValidGtin(changed(c))).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(change(13), (c) => {
        expect(isValidGln(changed(c))).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(change(18), (c) => {
        expect(isValidSscc(changed(c))).toBe(false);
      }),
      RUNS,
    );
  });
});
