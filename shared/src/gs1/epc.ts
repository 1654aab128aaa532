/**
 * EPCs: the canonical GS1 Digital Link URI of a tracked thing on https://id.gs1.org, which EPCIS
 * 2.0 accepts as an EPC. Waybill keys its state by this string, so exactly one spelling of each
 * thing is accepted: GTIN-14, only the identifying qualifier (serial for an item, lot for a lot),
 * no query, fragment or trailing slash, and percent-encoding of exactly the characters outside the
 * unreserved set, in uppercase hex.
 */
import { GS1_RESOLVER, parseDigitalLink } from './digital-link.js';
import { invalidGs1, quote, typeName, type Gs1PathOptions } from './fail.js';
import {
  identifierPath,
  normalizeIdentifier,
  type Gs1Identifier,
  type Gs1Kind,
} from './identifier.js';

/**
 * The canonical EPC of an identifier; an item's lot and any CPV are not part of it. Accepts any
 * GTIN length. Throws INVALID_GS1, with `path` extended by the offending member.
 */
export function toEpc(id: Gs1Identifier, options: Gs1PathOptions = {}): string {
  return GS1_RESOLVER + identifierPath(normalizeIdentifier(id, options), 'epc');
}

/**
 * Parses a canonical EPC, the only form {@link toEpc} produces; any other spelling of the same
 * thing is refused with the canonical form in the message. Throws INVALID_GS1.
 */
export function parseEpc(epc: unknown, options: Gs1PathOptions = {}): Gs1Identifier {
  const { path } = options;
  if (typeof epc !== 'string')
    throw invalidGs1(`an EPC must be a string, got ${typeName(epc)}`, path);
  if (!epc.startsWith(`${GS1_RESOLVER}/`)) {
    throw invalidGs1(
      `EPC ${quote(epc)} must start with ${GS1_RESOLVER}/, as in ${GS1_RESOLVER}/01/09506000134352/21/12345`,
      path,
    );
  }
  const { id } = parseDigitalLink(epc, options);
  const canonical = toEpc(id);
  if (canonical !== epc) {
    throw invalidGs1(
      `EPC ${quote(epc)} is not canonical; the EPC of that thing is ${canonical}`,
      path,
    );
  }
  return id;
}

/** True when `value` is a canonical EPC. Never throws. */
export function isCanonicalEpc(value: unknown): boolean {
  try {
    parseEpc(value);
    return true;
  } catch {
    return false;
  }
}

/** The kind of thing a canonical EPC names. Throws INVALID_GS1 on anything else. */
export function epcKind(epc: unknown, options: Gs1PathOptions = {}): Gs1Kind {
  return parseEpc(epc, options).kind;
}

/** EPC of one serialized item (SGTIN); any GTIN length. Throws INVALID_GS1. */
export function itemEpc(gtin: string, serial: string): string {
  return toEpc({ kind: 'item', gtin, serial });
}

/** EPC of a lot (LGTIN); any GTIN length. Throws INVALID_GS1. */
export function lotEpc(gtin: string, lot: string): string {
  return toEpc({ kind: 'lot', gtin, lot });
}

/** EPC of a logistic unit (SSCC). Throws INVALID_GS1. */
export function unitEpc(sscc: string): string {
  return toEpc({ kind: 'unit', sscc });
}

/** EPC of a product class (GTIN); any GTIN length. Throws INVALID_GS1. */
export function productEpc(gtin: string): string {
  return toEpc({ kind: 'product', gtin });
}

/** EPC of a location (GLN). Throws INVALID_GS1. */
export function locationEpc(gln: string): string {
  return toEpc({ kind: 'location', gln });
}
