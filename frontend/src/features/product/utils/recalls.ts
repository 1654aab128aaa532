/**
 * Which recalls concern a thing: its own (by `shared`'s rule) and those that reach it through the
 * provenance graph, said in words; and the GTIN to ask about.
 */
import { parseEpc, type Gs1Identifier } from '@waybill/shared/gs1';
import { isCoveredBy, type Thing } from '@waybill/shared/state';
import type { AffectLink, RecallReasonView, RecallView, ThingView } from '../types';

/** The GTIN to look the product up by, for identifiers that have one. */
export function gtinOf(id: Gs1Identifier): string | undefined {
  return 'gtin' in id ? id.gtin : undefined;
}

/** The GTIN an EPC names, as a list of none or one (for flatMap). */
export function gtinOfEpc(epc: string): string[] {
  try {
    const gtin = gtinOf(parseEpc(epc));
    return gtin === undefined ? [] : [gtin];
  } catch {
    return [];
  }
}

/** Open recalls that cover this thing (all of its GTIN, or its lot or serial). */
export function recallsCovering(thing: ThingView, recalls: readonly RecallView[]): RecallView[] {
  return recalls.filter((r) =>
    isCoveredBy(
      {
        gtin: thing.gtin ?? undefined,
        lot: thing.lot ?? undefined,
        serial: thing.serial ?? undefined,
      } as Thing,
      {
        gtin: r.gtin,
        open: r.open,
        ...(r.lots && { lots: r.lots }),
        ...(r.serials && { serials: r.serials }),
      },
    ),
  );
}

/**
 * The recalls that reach the thing from elsewhere in the provenance graph (what it was made from,
 * what it is packed with), leaving out those that cover it directly (`recallsCovering`).
 */
export function upstreamRecalls(
  thing: ThingView,
  direct: readonly RecallView[],
): RecallReasonView[] {
  const covering = new Set(direct.map((r) => r.id));
  return (thing.recallReasons?.reasons ?? []).filter(
    (r) => r.path.length > 1 && !covering.has(r.recall.id),
  );
}

/** "lot M1 of Whole milk 1 L", "item 1001 of Gouda", "pallet SSCC 3952…"; the EPC if unparsable. */
export function thingPhrase(epc: string, productNames: Readonly<Record<string, string>>): string {
  let id: Gs1Identifier;
  try {
    id = parseEpc(epc);
  } catch {
    return epc;
  }
  const product = (gtin: string) => productNames[gtin] ?? `GTIN ${gtin}`;
  switch (id.kind) {
    case 'item':
      return `item ${id.serial} of ${product(id.gtin)}`;
    case 'lot':
      return `lot ${id.lot} of ${product(id.gtin)}`;
    case 'unit':
      return `logistic unit SSCC ${id.sscc}`;
    case 'product':
      return product(id.gtin);
    case 'location':
      return `location GLN ${id.gln}`;
  }
}

const RELATION: Record<Exclude<AffectLink, 'recalled'>, { first: string; then: string }> = {
  'made-from': { first: 'was made from', then: 'which was made from' },
  contains: { first: 'holds', then: 'which holds' },
  'packed-in': { first: 'is packed in', then: 'which is packed in' },
};

/**
 * Why an upstream recall concerns this thing, from the thing back to the recalled one: "This was
 * made from lot G1 of Gouda, which was made from lot M1 of Whole milk 1 L."
 */
export function explainRecallPath(
  path: RecallReasonView['path'],
  productNames: Readonly<Record<string, string>>,
): string {
  const clauses: string[] = [];
  for (let i = path.length - 1; i > 0; i--) {
    const { via } = path[i] as RecallReasonView['path'][number];
    const source = path[i - 1] as RecallReasonView['path'][number];
    if (via === 'recalled') break;
    const relation = RELATION[via];
    clauses.push(
      `${i === path.length - 1 ? relation.first : relation.then} ${thingPhrase(source.epc, productNames)}`,
    );
  }
  return `This ${clauses.join(', ')}.`;
}
