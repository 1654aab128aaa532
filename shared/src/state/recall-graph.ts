/**
 * Recalls that follow the provenance graph. A recall names a GTIN (and lots or serials); what it
 * concerns is wider: everything made from a recalled thing, through any number of
 * transformations (`Thing.inputs`), and everything packed with it while it is packed (the units
 * that hold it, and what else they hold). These are derived facts over the current state, not
 * records: when a thing is unpacked, what was packed with it is no longer concerned; closing the
 * recall ends all of it.
 *
 * Two directions over one rule, so that they always agree:
 * - `affectedBy(recall)` walks forward from what the recall covers (the API's list of affected
 *   things and their custodians);
 * - `recallReasons(epc)` walks backward from one thing to the recalls that reach it, with the path
 *   that explains why (the consumer page: "made from lot L of product P, recalled on ...").
 *
 * Both are bounded (`maxThings`) and say when they stopped early.
 */
import { isCoveredBy } from './status.js';
import type { Recall, Thing } from './types.js';

/** What the walk reads; answered from SQLite by the node and from memory in tests. */
export interface ProvenanceGraph {
  thing(epc: string): Promise<Thing | undefined>;
  /** The things transformations made from `epc` (those whose `inputs` list it). */
  madeFrom(epc: string): Promise<string[]>;
  /** The things a recall covers directly (`isCoveredBy`), `limit` at most. */
  covered(recall: Recall, limit: number): Promise<string[]>;
  /** The open recalls of a GTIN. */
  openRecalls(gtin: string): Promise<Recall[]>;
}

/**
 * How one thing is concerned, relative to the step before it on the path:
 * - `recalled`: the recall covers it (the first step);
 * - `made-from`: it was made from the previous step's thing;
 * - `contains`: it is a logistic unit that holds the previous step's thing;
 * - `packed-in`: it is packed in the previous step's unit, which holds a concerned thing.
 */
export type AffectLink = 'recalled' | 'made-from' | 'contains' | 'packed-in';

export interface AffectStep {
  epc: string;
  via: AffectLink;
}

export interface AffectedThing {
  epc: string;
  /** From the recalled thing (first) to this one (last), shortest first found. */
  path: AffectStep[];
}

export interface RecallImpact {
  recall: Recall;
  /** Breadth first: the recalled things, then one step away, and so on. */
  affected: AffectedThing[];
  /** False when `maxThings` stopped the walk: there may be more. */
  complete: boolean;
}

export interface RecallReason {
  recall: Recall;
  /** From the recalled thing (first) to the thing asked about (last). */
  path: AffectStep[];
}

export interface RecallReasons {
  reasons: RecallReason[];
  /** False when `maxThings` stopped the walk: a reason may be missing. */
  complete: boolean;
}

/** How many things a walk reads at most, unless told otherwise. */
export const MAX_RECALL_WALK = 10_000;

/** The things one step forward of `thing`, with how each is concerned. */
async function forward(graph: ProvenanceGraph, thing: Thing): Promise<AffectStep[]> {
  const next: AffectStep[] = (await graph.madeFrom(thing.epc)).map((epc) => ({
    epc,
    via: 'made-from',
  }));
  if (thing.parent !== undefined) next.push({ epc: thing.parent, via: 'contains' });
  for (const child of thing.children) next.push({ epc: child, via: 'packed-in' });
  return next;
}

/** Every thing an open recall concerns, each with the path that concerns it. */
export async function affectedBy(
  graph: ProvenanceGraph,
  recall: Recall,
  maxThings = MAX_RECALL_WALK,
): Promise<RecallImpact> {
  if (!recall.open) return { recall, affected: [], complete: true };
  const covered = await graph.covered(recall, maxThings + 1);
  const seen = new Set<string>();
  const affected: AffectedThing[] = [];
  let complete = covered.length <= maxThings;
  for (const epc of covered.slice(0, maxThings)) {
    seen.add(epc);
    affected.push({ epc, path: [{ epc, via: 'recalled' }] });
  }
  for (let i = 0; i < affected.length; i++) {
    const current = affected[i] as AffectedThing;
    const thing = await graph.thing(current.epc);
    if (!thing) continue;
    for (const step of await forward(graph, thing)) {
      if (seen.has(step.epc)) continue;
      if (affected.length >= maxThings) {
        complete = false;
        break;
      }
      seen.add(step.epc);
      affected.push({ epc: step.epc, path: [...current.path, step] });
    }
  }
  return { recall, affected, complete };
}

/**
 * The open recalls that concern `epc`, each with its shortest path. Walks backward over the same
 * edges `affectedBy` walks forward: a thing's inputs, the things packed in it, the unit it is in.
 */
export async function recallReasons(
  graph: ProvenanceGraph,
  epc: string,
  maxThings = MAX_RECALL_WALK,
): Promise<RecallReasons> {
  // Each visited thing with the path from it to `epc` (the thing itself first).
  const queue: { thing: Thing; toTarget: AffectStep[] }[] = [];
  const seen = new Set<string>([epc]);
  const start = await graph.thing(epc);
  if (!start) return { reasons: [], complete: true };
  queue.push({ thing: start, toTarget: [] });
  const reasons = new Map<string, RecallReason>();
  const recallsOf = new Map<string, Recall[]>();
  let complete = true;

  for (let i = 0; i < queue.length; i++) {
    const { thing, toTarget } = queue[i] as (typeof queue)[number];
    if (thing.gtin !== undefined) {
      let open = recallsOf.get(thing.gtin);
      if (!open) {
        open = await graph.openRecalls(thing.gtin);
        recallsOf.set(thing.gtin, open);
      }
      for (const recall of open) {
        if (reasons.has(recall.id) || !isCoveredBy(thing, recall)) continue;
        reasons.set(recall.id, {
          recall,
          path: [{ epc: thing.epc, via: 'recalled' }, ...toTarget],
        });
      }
    }
    // Backward: the step from `source` to `thing` is `via` (as the forward walk would take it).
    const backward: { source: string; via: AffectLink }[] = [
      ...(thing.inputs ?? []).map((source) => ({ source, via: 'made-from' as const })),
      ...thing.children.map((source) => ({ source, via: 'contains' as const })),
      ...(thing.parent !== undefined ? [{ source: thing.parent, via: 'packed-in' as const }] : []),
    ];
    for (const { source, via } of backward) {
      if (seen.has(source)) continue;
      if (seen.size >= maxThings) {
        complete = false;
        break;
      }
      seen.add(source);
      const found = await graph.thing(source);
      if (found) queue.push({ thing: found, toTarget: [{ epc: thing.epc, via }, ...toTarget] });
    }
  }
  return { reasons: [...reasons.values()], complete };
}
