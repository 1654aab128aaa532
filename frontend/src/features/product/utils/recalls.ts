/** Which recalls concern a thing, by `shared`'s own rule, and the GTIN to ask about. */
import type { Gs1Identifier } from '@waybill/shared/gs1';
import { isCoveredBy, type Thing } from '@waybill/shared/state';
import type { RecallView, ThingView } from '../types';

/** The GTIN to look the product up by, for identifiers that have one. */
export function gtinOf(id: Gs1Identifier): string | undefined {
  return 'gtin' in id ? id.gtin : undefined;
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
