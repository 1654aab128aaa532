/**
 * The things Waybill tracks, as GS1 identifiers, and their GS1 Digital Link paths. A GTIN is
 * always held as GTIN-14 so that one product has one spelling; serial, lot and CPV are held
 * decoded (`32a/b`, not `32a%2Fb`).
 */
import { assertCpv, assertLot, assertSerial } from './charset.js';
import { invalidGs1, quote, subPath, typeName, type Gs1PathOptions } from './fail.js';
import { assertGln, assertSscc, normalizeGtin } from './keys.js';
import { percentEncode } from './percent.js';

/** One serialized unit (SGTIN). Its EPC is GTIN + serial; `lot` and `cpv` are informative. */
export interface ItemIdentifier {
  readonly kind: 'item';
  readonly gtin: string;
  readonly serial: string;
  readonly lot?: string;
  readonly cpv?: string;
}

/** A batch (LGTIN). Its EPC is GTIN + lot; `cpv` is informative. */
export interface LotIdentifier {
  readonly kind: 'lot';
  readonly gtin: string;
  readonly lot: string;
  readonly cpv?: string;
}

/** A logistic unit such as a pallet (SSCC). */
export interface UnitIdentifier {
  readonly kind: 'unit';
  readonly sscc: string;
}

/** A product class (GTIN alone). Its EPC is the GTIN; `cpv` is informative. */
export interface ProductIdentifier {
  readonly kind: 'product';
  readonly gtin: string;
  readonly cpv?: string;
}

/** A physical location (GLN). */
export interface LocationIdentifier {
  readonly kind: 'location';
  readonly gln: string;
}

export type Gs1Identifier =
  ItemIdentifier | LotIdentifier | UnitIdentifier | ProductIdentifier | LocationIdentifier;

export type Gs1Kind = Gs1Identifier['kind'];

export const GS1_KINDS: readonly Gs1Kind[] = ['item', 'lot', 'unit', 'product', 'location'];

function optionalCpv(cpv: unknown, path: string | undefined): { cpv?: string } {
  if (cpv === undefined) return {};
  assertCpv(cpv, { path: subPath(path, 'cpv') });
  return { cpv };
}

function optionalLot(lot: unknown, path: string | undefined): { lot?: string } {
  if (lot === undefined) return {};
  assertLot(lot, { path: subPath(path, 'lot') });
  return { lot };
}

/**
 * Checks every field of an identifier (which may come from untrusted JSON) and returns a fresh
 * copy with the GTIN as GTIN-14 and without unknown members. Errors name the member
 * (`{path}.serial`). Throws INVALID_GS1.
 */
export function normalizeIdentifier(
  id: Gs1Identifier,
  options: Gs1PathOptions = {},
): Gs1Identifier {
  const { path } = options;
  const raw: unknown = id;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidGs1(`a GS1 identifier must be an object, got ${typeName(raw)}`, path);
  }
  const kind: unknown = (raw as { kind?: unknown }).kind;
  switch (id.kind) {
    case 'item': {
      const gtin = normalizeGtin(id.gtin, { path: subPath(path, 'gtin') });
      assertSerial(id.serial, { path: subPath(path, 'serial') });
      return {
        kind: 'item',
        gtin,
        serial: id.serial,
        ...optionalLot(id.lot, path),
        ...optionalCpv(id.cpv, path),
      };
    }
    case 'lot': {
      const gtin = normalizeGtin(id.gtin, { path: subPath(path, 'gtin') });
      assertLot(id.lot, { path: subPath(path, 'lot') });
      return { kind: 'lot', gtin, lot: id.lot, ...optionalCpv(id.cpv, path) };
    }
    case 'unit':
      assertSscc(id.sscc, { path: subPath(path, 'sscc') });
      return { kind: 'unit', sscc: id.sscc };
    case 'product': {
      const gtin = normalizeGtin(id.gtin, { path: subPath(path, 'gtin') });
      return { kind: 'product', gtin, ...optionalCpv(id.cpv, path) };
    }
    case 'location':
      assertGln(id.gln, { path: subPath(path, 'gln') });
      return { kind: 'location', gln: id.gln };
    default:
      // Reachable from untrusted JSON only; the types rule it out.
      throw invalidGs1(
        `identifier kind must be one of ${GS1_KINDS.join(', ')}, got ${typeof kind === 'string' ? quote(kind) : typeName(kind)}`,
        subPath(path, 'kind'),
      );
  }
}

/**
 * The Digital Link path of a normalized identifier. The EPC form keeps only what identifies the
 * thing (GTIN + serial for an item, GTIN + lot for a lot, the GTIN for a product); the label form
 * adds the CPV and an item's lot, in the standard's order `/22/`, `/10/`, `/21/`.
 */
export function identifierPath(id: Gs1Identifier, form: 'epc' | 'label'): string {
  const label = form === 'label';
  switch (id.kind) {
    case 'item': {
      const cpv = label && id.cpv !== undefined ? `/22/${percentEncode(id.cpv)}` : '';
      const lot = label && id.lot !== undefined ? `/10/${percentEncode(id.lot)}` : '';
      return `/01/${id.gtin}${cpv}${lot}/21/${percentEncode(id.serial)}`;
    }
    case 'lot': {
      const cpv = label && id.cpv !== undefined ? `/22/${percentEncode(id.cpv)}` : '';
      return `/01/${id.gtin}${cpv}/10/${percentEncode(id.lot)}`;
    }
    case 'product': {
      const cpv = label && id.cpv !== undefined ? `/22/${percentEncode(id.cpv)}` : '';
      return `/01/${id.gtin}${cpv}`;
    }
    case 'unit':
      return `/00/${id.sscc}`;
    case 'location':
      return `/414/${id.gln}`;
  }
}
