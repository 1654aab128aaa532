/**
 * Reads the current state of the things an action names, and of every pallet they are packed in
 * (a handover of a pallet freezes what is inside it), in few requests: up to CHUNK aliased
 * `thing` lookups per request, which keeps each under the node's 300-field query limit.
 */
import type { WaybillClient } from '@waybill/shared/client';
import { THING_FIELDS } from '../queries';
import type { ThingState } from '../types';
import type { ThingStates } from '../utils/prechecks';

const CHUNK = 25;
/** Logistic units nest at most 8 deep (shared/state); a little slack for bad data. */
const MAX_LEVELS = 10;

async function loadChunk(
  client: WaybillClient,
  epcs: readonly string[],
): Promise<(ThingState | null)[]> {
  const params = epcs.map((_, i) => `$e${String(i)}: String!`).join(', ');
  const fields = epcs
    .map((_, i) => `t${String(i)}: thing(epc: $e${String(i)}) { ${THING_FIELDS} }`)
    .join(' ');
  const variables = Object.fromEntries(epcs.map((epc, i) => [`e${String(i)}`, epc]));
  const data = await client.request<Record<string, ThingState | null | undefined>>(
    `query (${params}) { ${fields} }`,
    variables,
  );
  return epcs.map((_, i) => data[`t${String(i)}`] ?? null);
}

export async function loadThings(
  client: WaybillClient,
  epcs: readonly string[],
): Promise<ThingStates> {
  const states = new Map<string, ThingState | null>();
  let wanted = [...new Set(epcs)];
  for (let level = 0; wanted.length > 0 && level < MAX_LEVELS; level++) {
    for (let start = 0; start < wanted.length; start += CHUNK) {
      const chunk = wanted.slice(start, start + CHUNK);
      const found = await loadChunk(client, chunk);
      chunk.forEach((epc, i) => states.set(epc, found[i] ?? null));
    }
    wanted = [
      ...new Set([...states.values()].flatMap((thing) => (thing?.parent ? [thing.parent] : []))),
    ].filter((epc) => !states.has(epc));
  }
  return states;
}
