/**
 * `waybill export epcis EPC`: a thing's history as one EPCIS 2.0 document, read page by page from
 * a node's EPCIS query interface (`GET /epcis/epcs/{epc}/events`, following `Link: rel=next`).
 */
import { EPCIS_CONTEXT } from '@waybill/shared/epcis';
import type { JsonData, JsonObject } from '@waybill/shared/tx';

export interface ExportedDocument {
  '@context': JsonData[];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: JsonObject[] };
}

export class ExportError extends Error {}

/** The node's base address from its GraphQL endpoint (`…/graphql`). */
export function restBase(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql\/?$/, '').replace(/\/+$/, '');
}

function nextOf(link: string | null): string | undefined {
  return link === null ? undefined : /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function exportEpcis(options: {
  url: string;
  epc: string;
  /** Called after each page with the events so far. */
  progress?: (events: number) => void;
}): Promise<ExportedDocument> {
  let next: string | undefined =
    `${restBase(options.url)}/epcis/epcs/${encodeURIComponent(options.epc)}/events?perPage=1000`;
  const prefixes = new Map<string, string>();
  const eventList: JsonObject[] = [];
  while (next !== undefined) {
    const response = await fetch(next, { headers: { accept: 'application/ld+json' } });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const detail = isObject(body) && typeof body.detail === 'string' ? body.detail : '';
      throw new ExportError(`${next} answered ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    const page = body as {
      '@context'?: JsonData[];
      epcisBody?: { queryResults?: { resultsBody?: { eventList?: JsonObject[] } } };
    };
    const extra = (page['@context'] ?? []).filter(isObject);
    const entries = extra.flatMap((c) => Object.entries(c));
    // A prefix that means something else on this page than on an earlier one stays with the
    // page's events (their own context); the others move up to the document.
    const clash = entries.some(([p, iri]) => prefixes.has(p) && prefixes.get(p) !== iri);
    if (!clash) for (const [p, iri] of entries) if (typeof iri === 'string') prefixes.set(p, iri);
    for (const event of page.epcisBody?.queryResults?.resultsBody?.eventList ?? []) {
      eventList.push(
        clash && event['@context'] === undefined
          ? { '@context': [EPCIS_CONTEXT, ...extra], ...event }
          : event,
      );
    }
    options.progress?.(eventList.length);
    next = nextOf(response.headers.get('link'));
  }
  return {
    '@context': [EPCIS_CONTEXT, ...(prefixes.size > 0 ? [Object.fromEntries(prefixes)] : [])],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList },
  };
}
