/**
 * Turns what a worker scanned or typed into the canonical EPC of an item, lot or pallet: a
 * canonical EPC, any GS1 Digital Link URL or path of one (GTIN-8/12/13 become GTIN-14, lots
 * and data attributes on an item's label are dropped from its EPC), or a bare 18-digit SSCC.
 * Every GS1 rule, check digits included, is shared's; this only words the outcome for people.
 */
import { isWaybillError } from '@waybill/shared/errors';
import { parseDigitalLink, toEpc, type Gs1Identifier } from '@waybill/shared/gs1';

export type ThingKind = 'item' | 'lot' | 'unit';

export const ALL_THING_KINDS: readonly ThingKind[] = ['item', 'lot', 'unit'];

export type CodeResult =
  { ok: true; epc: string; kind: ThingKind; description: string } | { ok: false; message: string };

const KIND_NAMES: Record<ThingKind, string> = {
  item: 'an item (GTIN + serial)',
  lot: 'a lot (GTIN + lot)',
  unit: 'a pallet or container (SSCC)',
};

/** "an item (GTIN + serial) or a lot (GTIN + lot)". */
export function kindsText(kinds: readonly ThingKind[]): string {
  const names = kinds.map((kind) => KIND_NAMES[kind]);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
}

/** How people read an identifier: "Item 09520123456788 · serial 1001". */
export function describeId(id: Gs1Identifier): string {
  switch (id.kind) {
    case 'item':
      return `Item ${id.gtin} · serial ${id.serial}`;
    case 'lot':
      return `Lot ${id.lot} of ${id.gtin}`;
    case 'unit':
      return `Pallet ${id.sscc}`;
    case 'product':
      return `Product ${id.gtin}`;
    case 'location':
      return `Location ${id.gln}`;
  }
}

/** A canonical EPC as people read it; the EPC itself when it cannot be parsed. */
export function describeEpc(epc: string): string {
  try {
    return describeId(parseDigitalLink(epc).id);
  } catch {
    return epc;
  }
}

/** Adds the scheme a typed "id.example.com/01/…" left out; leaves everything else alone. */
function withScheme(input: string): string {
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?\//.test(input) ? `https://${input}` : input;
}

export function parseThingCode(
  raw: string,
  kinds: readonly ThingKind[] = ALL_THING_KINDS,
): CodeResult {
  const input = raw.trim();
  if (input === '') return { ok: false, message: 'Type or scan a code first.' };
  let id: Gs1Identifier;
  try {
    if (/^\d{18}$/.test(input)) {
      id = parseDigitalLink(`/00/${input}`).id;
    } else if (/^\d{8,14}$/.test(input)) {
      return {
        ok: false,
        message: `${input} is a bare GTIN: it names a product, not one item. Scan the item's own label, or type its Digital Link with the serial (…/01/{gtin}/21/{serial}) or lot (…/10/{lot}).`,
      };
    } else {
      id = parseDigitalLink(withScheme(input)).id;
    }
  } catch (error) {
    const reason = isWaybillError(error) ? error.message : String(error);
    return { ok: false, message: `Not a valid GS1 code: ${reason}.` };
  }
  if (id.kind === 'product') {
    return {
      ok: false,
      message: `This code names the product ${id.gtin}, not one item: scan the item's own label, with its serial (/21/…) or lot (/10/…).`,
    };
  }
  if (id.kind === 'location') {
    return {
      ok: false,
      message: `This code names a location (GLN ${id.gln}), not an item, lot or pallet.`,
    };
  }
  if (!kinds.includes(id.kind)) {
    return {
      ok: false,
      message: `${describeId(id)} cannot be used here: expected ${kindsText(kinds)}.`,
    };
  }
  return { ok: true, epc: toEpc(id), kind: id.kind, description: describeId(id) };
}
