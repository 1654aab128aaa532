/** Derived facts: a thing's effective status, given the recalls that cover it. */
import type { Recall, Thing, ThingStatus } from './types.js';

/** True when an open recall covers the thing: the whole GTIN, its lot or its serial. */
export function isCoveredBy(
  thing: Thing,
  recall: Pick<Recall, 'gtin' | 'lots' | 'serials' | 'open'>,
): boolean {
  if (!recall.open || thing.gtin !== recall.gtin) return false;
  if (!recall.lots && !recall.serials) return true;
  return (
    (thing.lot !== undefined && (recall.lots?.includes(thing.lot) ?? false)) ||
    (thing.serial !== undefined && (recall.serials?.includes(thing.serial) ?? false))
  );
}

/** Decommissioned wins over recalled, recalled over in transit. */
export function statusOf(thing: Thing, recalls: readonly Recall[]): ThingStatus {
  if (thing.status === 'decommissioned') return 'decommissioned';
  if (recalls.some((r) => isCoveredBy(thing, r))) return 'recalled';
  return thing.status;
}
