/**
 * From a Digital Link path to the EPC the chain keys things by, with GS1's own parser: any GTIN
 * length, the lot and serial qualifiers in the standard's order, percent-encoding. A path that is
 * not a valid identifier comes back with the GS1 reason, for the page to show.
 */
import { isWaybillError } from '@waybill/shared/errors';
import {
  parseDigitalLink,
  parseEpc,
  toEpc,
  type Gs1Identifier,
  type Gs1Kind,
} from '@waybill/shared/gs1';

export type ParsedIdentifier =
  { ok: true; id: Gs1Identifier; epc: string } | { ok: false; input: string; reason: string };

/**
 * Parses `/{ai}/{segments…}` as a Digital Link. `segments` are route parameters, which Next hands
 * over decoded, so each is encoded again before GS1's parser decodes it (a serial may hold `/`).
 */
export function parseDigitalLinkPath(
  ai: '01' | '00',
  segments: readonly string[],
): ParsedIdentifier {
  const input = `/${ai}/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
  return parseIdentifier(input);
}

/** Parses an EPC or any Digital Link URI or path. */
export function parseIdentifier(input: string): ParsedIdentifier {
  try {
    const { id } = parseDigitalLink(input);
    if (id.kind === 'location') {
      return {
        ok: false,
        input,
        reason: 'a location (GLN) has no journey of its own; open an item, lot or pallet',
      };
    }
    return { ok: true, id, epc: toEpc(id) };
  } catch (error) {
    if (isWaybillError(error)) return { ok: false, input, reason: error.message };
    throw error;
  }
}

export const KIND_LABELS: Record<Gs1Kind, string> = {
  item: 'Item',
  lot: 'Lot',
  unit: 'Logistic unit',
  product: 'Product',
  location: 'Location',
};

/** "Item 1001 (GTIN 09520123456788)", "Logistic unit SSCC 3952…"; the EPC itself if unparsable. */
export function epcLabel(epc: string): string {
  let id: Gs1Identifier;
  try {
    id = parseEpc(epc);
  } catch {
    return epc;
  }
  switch (id.kind) {
    case 'item':
      return `Item ${id.serial} (GTIN ${id.gtin})`;
    case 'lot':
      return `Lot ${id.lot} (GTIN ${id.gtin})`;
    case 'unit':
      return `Logistic unit SSCC ${id.sscc}`;
    case 'product':
      return `Product GTIN ${id.gtin}`;
    case 'location':
      return `Location GLN ${id.gln}`;
  }
}

/** The GS1 human-readable interpretation: "(01) 09520123456788 (10) L7 (21) 1001". */
export function elementString(id: Gs1Identifier): string {
  switch (id.kind) {
    case 'item':
      return `(01) ${id.gtin}${id.lot !== undefined ? ` (10) ${id.lot}` : ''} (21) ${id.serial}`;
    case 'lot':
      return `(01) ${id.gtin} (10) ${id.lot}`;
    case 'unit':
      return `(00) ${id.sscc}`;
    case 'product':
      return `(01) ${id.gtin}`;
    case 'location':
      return `(414) ${id.gln}`;
  }
}
