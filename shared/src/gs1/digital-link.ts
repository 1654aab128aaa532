/**
 * GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.2, uncompressed form) for the
 * keys Waybill tracks: 01 GTIN with its qualifiers 22 (CPV), 10 (lot) and 21 (serial) in that
 * order, 00 SSCC and 414 GLN. Parsing reads the path from its end in AI/value pairs, as the
 * standard does, so any host and any path prefix of the resolver's own is accepted; a prefix that
 * itself looks like GS1 data is refused, because accepting `/21/1/01/{gtin}` as a bare product
 * would silently drop the serial. Data attributes ride in the query string.
 */
import { checkAttribute, parseAttributes } from './attributes.js';
import { assertCpv, assertLot, assertSerial } from './charset.js';
import { invalidGs1, quote, typeName, type Gs1PathOptions } from './fail.js';
import {
  identifierPath,
  normalizeIdentifier,
  type Gs1Identifier,
  type ItemIdentifier,
} from './identifier.js';
import { assertGln, assertSscc, normalizeGtin } from './keys.js';
import { percentDecode, percentEncode } from './percent.js';

/** GS1's own resolver: the host of canonical EPCs and the default base of labels. */
export const GS1_RESOLVER = 'https://id.gs1.org';

export interface ParsedDigitalLink {
  readonly id: Gs1Identifier;
  /** Data attributes from the query string, keyed by AI (`{ '17': '261231' }`), decoded. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface BuildDigitalLinkOptions {
  /** Scheme, host and optional path prefix; defaults to https://id.gs1.org. */
  readonly base?: string;
  /** Data attributes for the query string, keyed by AI; written in key order. */
  readonly attributes?: Readonly<Record<string, string>>;
}

const PRIMARY_KEYS: ReadonlyMap<string, string> = new Map([
  ['01', 'GTIN'],
  ['00', 'SSCC'],
  ['414', 'GLN'],
]);

const QUALIFIERS: ReadonlyMap<string, string> = new Map([
  ['22', 'consumer product variant'],
  ['10', 'lot'],
  ['21', 'serial'],
  ['254', 'GLN extension'],
  ['235', 'third-party controlled serial'],
]);

/** Primary keys of the standard that Waybill does not track, named so the error can say so. */
const OTHER_PRIMARY_KEYS: ReadonlyMap<string, string> = new Map([
  ['253', 'GDTI'],
  ['255', 'GCN'],
  ['401', 'GINC'],
  ['402', 'GSIN'],
  ['417', 'party GLN'],
  ['8003', 'GRAI'],
  ['8004', 'GIAI'],
  ['8006', 'ITIP'],
  ['8010', 'CPID'],
  ['8013', 'GMN'],
  ['8017', 'GSRN provider'],
  ['8018', 'GSRN recipient'],
]);

const GTIN_QUALIFIER_ORDER: readonly string[] = ['22', '10', '21'];
const STANDARD_ORDER = '/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}';
const ACCEPTED = '/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}], /00/{sscc} or /414/{gln}';

const URI_HEAD = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/;
const HOST = /^[A-Za-z0-9\-._~%!$&'()*+,;=:[\]]+$/;
const BASE =
  /^https?:\/\/[A-Za-z0-9\-._~%!$&'()*+,;=:[\]]+(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$/i;
const AI_LIKE = /^[0-9]{2,4}$/;

interface Pair {
  readonly ai: string;
  readonly raw: string;
}

function aiName(ai: string): string {
  return QUALIFIERS.get(ai) ?? PRIMARY_KEYS.get(ai) ?? ai;
}

/** Splits off scheme and host (if any), the fragment (the client's business) and the query. */
function splitUri(input: string, path: string | undefined): { path: string; query: string } {
  let rest = input;
  if (!input.startsWith('/')) {
    const head = URI_HEAD.exec(input);
    if (head === null) {
      throw invalidGs1(
        `${quote(input)} is neither an http(s) URI nor a path starting with /; expected e.g. ${GS1_RESOLVER}/01/09506000134352/21/12345`,
        path,
      );
    }
    const scheme = head[1] ?? '';
    if (!/^https?$/i.test(scheme)) {
      throw invalidGs1(`a Digital Link uses http or https, not ${quote(scheme)}`, path);
    }
    if (!HOST.test(head[2] ?? '')) {
      throw invalidGs1(`Digital Link ${quote(input)} has no valid host`, path);
    }
    rest = input.slice(head[0].length);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  return q < 0 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** Why segments that end without a primary key are wrong. */
function noPrimaryKey(segments: readonly string[]): string {
  const last = segments[segments.length - 1] ?? '';
  if (PRIMARY_KEYS.has(last) || QUALIFIERS.has(last)) {
    return `AI ${last} (${aiName(last)}) at the end of the path has no value`;
  }
  return `no GS1 primary key found reading the path ${quote(`/${segments.join('/')}`)} from its end in AI/value pairs; expected ${ACCEPTED}`;
}

/** The segments before the primary key belong to the resolver; GS1 keys there are mistakes. */
function checkPrefix(prefix: readonly string[], primary: string, path: string | undefined): void {
  for (let i = prefix.length - 2; i >= 0; i -= 2) {
    const ai = prefix[i] ?? '';
    if (PRIMARY_KEYS.has(ai)) {
      throw invalidGs1(
        `the path has two primary keys, ${ai} and ${primary}; a Digital Link names one thing`,
        path,
      );
    }
    if (QUALIFIERS.has(ai)) {
      throw invalidGs1(
        `AI ${ai} (${aiName(ai)}) comes before the primary key ${primary}; qualifiers follow it, in the order ${STANDARD_ORDER}`,
        path,
      );
    }
  }
}

/** Reads the path from its end: qualifier pairs, then the primary key pair. */
function readPath(
  pathPart: string,
  path: string | undefined,
): { primary: Pair; qualifiers: Pair[] } {
  const segments = pathPart.slice(1).split('/');
  // One trailing slash is tolerated: `/01/{gtin}/`.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const qualifiers: Pair[] = [];
  for (let end = segments.length; end >= 2; end -= 2) {
    const ai = segments[end - 2] ?? '';
    const raw = segments[end - 1] ?? '';
    if (PRIMARY_KEYS.has(ai)) {
      checkPrefix(segments.slice(0, end - 2), ai, path);
      return { primary: { ai, raw }, qualifiers: qualifiers.reverse() };
    }
    if (!QUALIFIERS.has(ai)) {
      if (!AI_LIKE.test(ai)) throw invalidGs1(noPrimaryKey(segments), path);
      const other = OTHER_PRIMARY_KEYS.get(ai);
      throw invalidGs1(
        other === undefined
          ? `AI ${ai} is not a primary key or key qualifier Waybill accepts in a path; expected ${ACCEPTED}`
          : `primary key ${ai} (${other}) is not supported; expected ${ACCEPTED}`,
        path,
      );
    }
    qualifiers.push({ ai, raw });
  }
  throw invalidGs1(noPrimaryKey(segments), path);
}

/** Qualifiers must suit the primary key, appear once, and follow the standard's order. */
function checkQualifiers(primary: string, qualifiers: readonly Pair[], path: string | undefined) {
  let previous = -1;
  for (const { ai } of qualifiers) {
    if (ai === '235') {
      throw invalidGs1(
        'AI 235 (third-party controlled serial) is not supported; identify an item by /01/{gtin}/21/{serial}',
        path,
      );
    }
    if (ai === '254' && primary === '414') {
      throw invalidGs1(
        'GLN extension (AI 254) is not supported: a location is identified by its GLN alone, /414/{gln}',
        path,
      );
    }
    const rank = primary === '01' ? GTIN_QUALIFIER_ORDER.indexOf(ai) : -1;
    if (rank < 0) {
      const takes = primary === '01' ? 'a GTIN takes 22, 10 and 21' : 'it takes no qualifiers';
      throw invalidGs1(
        `AI ${ai} (${aiName(ai)}) cannot qualify ${primary} (${aiName(primary)}); ${takes}`,
        path,
      );
    }
    if (rank === previous) throw invalidGs1(`AI ${ai} (${aiName(ai)}) appears twice`, path);
    if (rank < previous) {
      throw invalidGs1(
        `AI ${ai} (${aiName(ai)}) is out of order; the standard order is ${STANDARD_ORDER}`,
        path,
      );
    }
    previous = rank;
  }
}

function decodeValue({ ai, raw }: Pair, path: string | undefined): string {
  const label = `${aiName(ai)} (AI ${ai})`;
  if (raw === '') throw invalidGs1(`${label} has an empty value`, path);
  return percentDecode(raw, 'path', label, path);
}

function toIdentifier(primary: Pair, qualifiers: readonly Pair[], path: string | undefined) {
  const key = decodeValue(primary, path);
  if (primary.ai === '00') {
    assertSscc(key, { path });
    return { kind: 'unit', sscc: key } as const;
  }
  if (primary.ai === '414') {
    assertGln(key, { path });
    return { kind: 'location', gln: key } as const;
  }
  const gtin = normalizeGtin(key, { path });
  const values = new Map(qualifiers.map((pair) => [pair.ai, decodeValue(pair, path)]));
  const cpv = values.get('22');
  const lot = values.get('10');
  const serial = values.get('21');
  if (cpv !== undefined) assertCpv(cpv, { path });
  if (lot !== undefined) assertLot(lot, { path });
  const withCpv = cpv === undefined ? {} : { cpv };
  if (serial !== undefined) {
    assertSerial(serial, { path });
    const item: ItemIdentifier = {
      kind: 'item',
      gtin,
      serial,
      ...(lot === undefined ? {} : { lot }),
      ...withCpv,
    };
    return item;
  }
  if (lot !== undefined) return { kind: 'lot', gtin, lot, ...withCpv } as const;
  return { kind: 'product', gtin, ...withCpv } as const;
}

/**
 * Parses a GS1 Digital Link URI on any host (`https://example.com/01/…`) or just its path
 * (`/01/…`). GTIN-8/12/13 become GTIN-14; `/01/{gtin}/10/{lot}/21/{serial}` is an item with its
 * lot. Throws INVALID_GS1 naming what is wrong and what would be right.
 */
export function parseDigitalLink(input: unknown, options: Gs1PathOptions = {}): ParsedDigitalLink {
  const { path } = options;
  if (typeof input !== 'string') {
    throw invalidGs1(`a Digital Link must be a string, got ${typeName(input)}`, path);
  }
  const parts = splitUri(input, path);
  const { primary, qualifiers } = readPath(parts.path, path);
  checkQualifiers(primary.ai, qualifiers, path);
  const id: Gs1Identifier = toIdentifier(primary, qualifiers, path);
  const pathAis = new Set([primary.ai, ...qualifiers.map((pair) => pair.ai)]);
  return { id, attributes: parseAttributes(parts.query, pathAis, path) };
}

/**
 * The Digital Link of an identifier, for QR labels: CPV, lot and serial in the standard's order
 * (an item's lot is included, unlike in its EPC), attributes in the query string in key order.
 * Throws INVALID_GS1 on an invalid identifier, base or attribute.
 */
export function buildDigitalLink(id: Gs1Identifier, options: BuildDigitalLinkOptions = {}): string {
  const { attributes = {} } = options;
  let base = options.base ?? GS1_RESOLVER;
  if (!BASE.test(base)) {
    throw invalidGs1(
      `Digital Link base ${quote(base)} must be an http(s) URI with no query or fragment, such as ${GS1_RESOLVER}`,
      undefined,
    );
  }
  while (base.endsWith('/')) base = base.slice(0, -1);
  const pathPart = identifierPath(normalizeIdentifier(id), 'label');
  const segments = pathPart.split('/');
  // The base's own path must not read as GS1 data, or the link would not parse back.
  const prefix = base.replace(/^[^:]*:\/\/[^/]*/, '').split('/');
  checkPrefix(prefix.slice(1), segments[1] ?? '', undefined);
  const pathAis = new Set(segments.filter((_, i) => i % 2 === 1));
  const query = Object.entries(attributes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ai, value]) => {
      const checked: unknown = value;
      if (typeof checked !== 'string') {
        throw invalidGs1(
          `data attribute ${ai} must be a string, got ${typeName(checked)}`,
          undefined,
        );
      }
      checkAttribute(ai, value, pathAis, undefined);
      return `${ai}=${percentEncode(value)}`;
    });
  return `${base}${pathPart}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}
