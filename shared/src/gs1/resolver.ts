/**
 * The GS1 Digital Link resolver's one rule, for the node and the explorer alike: which answer a
 * request for a Digital Link gets, from its `linkType` and `Accept`, and the link set that lists
 * them all (GS1 Digital Link 1.2 / RFC 9264).
 *
 * | request                                        | answer                                   |
 * | ---------------------------------------------- | ---------------------------------------- |
 * | `linkType=gs1:pip` (or none, from a browser)   | the product page in the explorer         |
 * | `linkType=gs1:traceability` or `gs1:epcis`     | the EPCIS 2.0 history (query document)   |
 * | `linkType=gs1:recallStatus`                    | the recall status, JSON                  |
 * | `linkType=all`, or `Accept: application/linkset+json` or `application/json` | the link set |
 * | `Accept: application/ld+json`                  | the EPCIS history                        |
 *
 * Link types may be written as CURIEs (`gs1:epcis`) or as the vocabulary's IRIs
 * (`https://gs1.org/voc/epcis`, `https://ref.gs1.org/voc/epcis`).
 */
import { WaybillError } from '../errors.js';

export type ResolvedAnswer = 'pip' | 'epcis' | 'recallStatus' | 'linkset';

const LINK_TYPES: Record<string, ResolvedAnswer> = {
  pip: 'pip',
  defaultLink: 'pip',
  traceability: 'epcis',
  epcis: 'epcis',
  recallStatus: 'recallStatus',
};

/** The media types negotiation knows, and what each gets. */
const MEDIA_TYPES: Record<string, ResolvedAnswer> = {
  'text/html': 'pip',
  'application/xhtml+xml': 'pip',
  'application/linkset+json': 'linkset',
  'application/json': 'linkset',
  'application/ld+json': 'epcis',
};

function linkTypeName(linkType: string): string | undefined {
  const match =
    /^gs1:([A-Za-z]+)$/.exec(linkType) ??
    /^https?:\/\/(?:ref\.)?gs1\.org\/voc\/([A-Za-z]+)$/.exec(linkType);
  return match?.[1];
}

/** `Accept`'s media ranges, best first (by q, then as written). */
function acceptRanges(accept: string): string[] {
  return accept
    .split(',')
    .map((part, order) => {
      const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { range, q: q === undefined ? 1 : Number(q.slice(2)) || 0, order };
    })
    .filter((r) => r.range !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((r) => r.range);
}

/**
 * What to answer. Throws INVALID_QUERY for a link type the resolver does not serve, naming those
 * it does.
 */
export function chooseAnswer(
  linkType: string | undefined,
  accept: string | undefined,
): ResolvedAnswer {
  if (linkType !== undefined && linkType !== '') {
    if (linkType === 'all') return 'linkset';
    const name = linkTypeName(linkType);
    const answer = name === undefined ? undefined : LINK_TYPES[name];
    if (answer === undefined) {
      throw new WaybillError(
        'INVALID_QUERY',
        `linkType ${linkType} is not served here; use gs1:pip, gs1:traceability, gs1:epcis, gs1:recallStatus or all`,
        { path: 'linkType' },
      );
    }
    return answer;
  }
  for (const range of acceptRanges(accept ?? '*/*')) {
    const answer = MEDIA_TYPES[range];
    if (answer !== undefined) return answer;
    if (range === '*/*' || range === 'text/*') return 'pip';
    if (range === 'application/*') return 'linkset';
  }
  return 'pip';
}

export interface LinkSetTargets {
  /** The canonical Digital Link (`https://id.gs1.org/…`): the anchor. */
  anchor: string;
  /** The explorer page, when an explorer is known. */
  page?: string;
  /** The resolver's own address of the same link (`…/01/…` on this server), without a query. */
  resolver: string;
  title: string;
}

/** The link set of a Digital Link: every answer, with its link type and media type. */
export function linkSet(targets: LinkSetTargets): { linkset: Record<string, unknown>[] } {
  const link = (linkType: string, type: string, title: string) => ({
    href: `${targets.resolver}?linkType=${encodeURIComponent(linkType)}`,
    type,
    title,
  });
  return {
    linkset: [
      {
        anchor: targets.anchor,
        'https://gs1.org/voc/pip': [
          targets.page !== undefined
            ? { href: targets.page, type: 'text/html', title: targets.title }
            : link('gs1:pip', 'text/html', targets.title),
        ],
        'https://gs1.org/voc/traceability': [
          link('gs1:traceability', 'application/ld+json', 'Provenance as EPCIS 2.0 events'),
        ],
        'https://gs1.org/voc/epcis': [link('gs1:epcis', 'application/ld+json', 'EPCIS 2.0 events')],
        'https://gs1.org/voc/recallStatus': [
          link('gs1:recallStatus', 'application/json', 'Recall status'),
        ],
      },
    ],
  };
}
