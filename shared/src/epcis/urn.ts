/**
 * EPC URNs (GS1 EPC Tag Data Standard: pure identity, class and pattern URIs) and GS1 Digital
 * Link URIs on https://id.gs1.org, the form Waybill stores and exports (EPCIS 2.0 accepts Digital
 * Links wherever it accepts EPCs). A URN names its GS1 company prefix by a dot; a Digital Link
 * does not, so going back to a URN needs the prefix length, which only the company knows: export
 * never does it, and {@link digitalLinkToUrn} exists for partners that insist on URNs.
 *
 * Unlike the event hash's normaliser (`event-hash-values.ts`, a port that must copy the reference
 * implementation's leniency), everything here is checked: digits, lengths, check digits, GS1
 * character set 82 and URN escapes; every failure is INVALID_GS1 saying what is wrong.
 */
import { WaybillError } from '../errors.js';
import {
  assertGln,
  gs1CheckDigit,
  GS1_RESOLVER,
  parseDigitalLink,
  toEpc,
  type Gs1Identifier,
} from '../gs1/index.js';
import { cset82Problem } from '../gs1/charset.js';
import { invalidGs1, quote, typeName } from '../gs1/fail.js';
import { percentDecode, percentEncode } from '../gs1/percent.js';

/** Characters of set 82 that a URN component must escape (TDS, "URI escaping"). */
const URN_ESCAPED = new Set(['"', '%', '&', '/', '<', '>', '?']);
const URN_RAW = /^[A-Za-z0-9!'()*+,\-.:;=_]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const DIGITS = /^[0-9]+$/;

const MIN_PREFIX = 6;
const MAX_PREFIX = 12;

/** Where Waybill's {@link parseDigitalLink} does the work (GTIN, SSCC, GLN as location). */
const LINK_KEYS_OF_GS1 = new Set(['01', '00', '414']);

/** Primary keys this module converts, with their names for messages. */
const PRIMARY_KEYS: ReadonlyMap<string, string> = new Map([
  ['00', 'SSCC'],
  ['01', 'GTIN'],
  ['253', 'GDTI'],
  ['255', 'GCN'],
  ['401', 'GINC'],
  ['402', 'GSIN'],
  ['414', 'GLN'],
  ['417', 'party GLN'],
  ['8003', 'GRAI'],
  ['8004', 'GIAI'],
  ['8017', 'GSRN-P'],
  ['8018', 'GSRN'],
]);

/** Primary keys of the Digital Link standard that this module does not convert. */
const UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['8006', 'ITIP'],
  ['8010', 'CPID'],
  ['8013', 'GMN'],
]);

const QUALIFIERS = new Set(['22', '10', '21', '235', '254', '8011']);

const SUPPORTED_URNS =
  'urn:epc:id:{sgtin,sscc,sgln,grai,giai,gsrn,gsrnp,gdti,sgcn,ginc,gsin,pgln}, urn:epc:class:lgtin or urn:epc:idpat:sgtin';

// --- URN components ---------------------------------------------------------------------------

/**
 * Decodes a URN component escaped as the TDS requires: set 82 raw, except `"%&/<>?`, which are
 * written %22 %25 %26 %2F %3C %3E %3F; an escape of any other set 82 character is accepted too.
 */
function decodeComponent(raw: string, label: string, urn: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '%') {
      const hex = raw.slice(i + 1, i + 3);
      const decoded = HEX_PAIR.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
      if (decoded === '' || !(URN_RAW.test(decoded) || URN_ESCAPED.has(decoded))) {
        throw invalidGs1(
          `${label} in ${quote(urn)} has the escape ${quote(`%${hex}`)} at position ${i + 1}, which is not a GS1 character set 82 character`,
          undefined,
        );
      }
      out += decoded;
      i += 2;
    } else if (URN_RAW.test(c)) {
      out += c;
    } else {
      const hint = URN_ESCAPED.has(c) ? `; a URN writes it as ${escapeForUrn(c)}` : '';
      throw invalidGs1(
        `${label} in ${quote(urn)} contains ${quote(c)} at position ${i + 1}, which an EPC URN cannot carry${hint}`,
        undefined,
      );
    }
  }
  return out;
}

/** Escapes a decoded set 82 value for a URN component, uppercase hex. */
function escapeForUrn(value: string): string {
  let out = '';
  for (const c of value) {
    out += URN_ESCAPED.has(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c;
  }
  return out;
}

function check82(value: string, label: string, max: number): void {
  const problem = cset82Problem(value, label, max);
  if (problem !== undefined) throw invalidGs1(problem, undefined);
}

function withCheckDigit(digits: string): string {
  return digits + gs1CheckDigit(digits).toString();
}

function companyPrefix(cp: string | undefined, what: string, urn: string): string {
  if (cp === undefined || !DIGITS.test(cp) || cp.length < MIN_PREFIX || cp.length > MAX_PREFIX) {
    throw invalidGs1(
      `the ${what} in ${quote(urn)} must start with a GS1 company prefix of ${MIN_PREFIX} to ${MAX_PREFIX} digits, got ${quote(cp ?? '')}`,
      undefined,
    );
  }
  return cp;
}

/** `CP.REF`: a 6- to 12-digit company prefix and a reference, `total` digits in all. */
function prefixAndReference(
  cp: string | undefined,
  ref: string | undefined,
  total: number,
  what: string,
  urn: string,
): string {
  const prefix = companyPrefix(cp, what, urn);
  const reference = ref ?? '';
  if (reference !== '' && !DIGITS.test(reference)) {
    throw invalidGs1(
      `the ${what} reference ${quote(reference)} in ${quote(urn)} must be digits`,
      undefined,
    );
  }
  if (prefix.length + reference.length !== total) {
    throw invalidGs1(
      `company prefix and reference of a ${what} have ${total} digits together; ${quote(urn)} has ${prefix.length} + ${reference.length}`,
      undefined,
    );
  }
  return prefix + reference;
}

/** GTIN-14 from `CP` and `indicator + item reference`: the indicator digit moves to the front. */
function gtinOf(cp: string | undefined, itemRef: string | undefined, urn: string): string {
  prefixAndReference(cp, itemRef, 13, 'GTIN', urn);
  const ref = itemRef ?? '';
  return withCheckDigit(ref.slice(0, 1) + (cp ?? '') + ref.slice(1));
}

/** Splits at the first `count - 1` dots: the last component (a serial, a lot) may hold dots. */
function parts(body: string, count: number, shape: string, urn: string): string[] {
  const fields: string[] = [];
  let rest = body;
  for (let i = 1; i < count; i++) {
    const dot = rest.indexOf('.');
    if (dot < 0) throw invalidGs1(`${quote(urn)} must have the shape ${shape}`, undefined);
    fields.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  fields.push(rest);
  return fields;
}

function link(ai: string, value: string, more = ''): string {
  return `${GS1_RESOLVER}/${ai}/${value}${more}`;
}

// --- URN to Digital Link ----------------------------------------------------------------------

function pureIdentity(scheme: string, body: string, urn: string): string {
  switch (scheme) {
    case 'sgtin': {
      const [cp, ref, serial = ''] = parts(
        body,
        3,
        'urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial',
        urn,
      );
      const gtin = gtinOf(cp, ref, urn);
      return toEpc({ kind: 'item', gtin, serial: decodeComponent(serial, 'serial', urn) });
    }
    case 'sscc': {
      const [cp, ref] = parts(body, 2, 'urn:epc:id:sscc:CompanyPrefix.ExtensionSerialRef', urn);
      prefixAndReference(cp, ref, 17, 'SSCC', urn);
      const sscc = withCheckDigit((ref ?? '').slice(0, 1) + (cp ?? '') + (ref ?? '').slice(1));
      return toEpc({ kind: 'unit', sscc });
    }
    case 'sgln': {
      const [cp, ref, ext = ''] = parts(
        body,
        3,
        'urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension',
        urn,
      );
      const gln = withCheckDigit(prefixAndReference(cp, ref, 12, 'GLN', urn));
      const extension = decodeComponent(ext, 'GLN extension', urn);
      check82(extension, 'GLN extension', 20);
      return extension === '0'
        ? toEpc({ kind: 'location', gln })
        : link('414', gln, `/254/${percentEncode(extension)}`);
    }
    case 'pgln': {
      const [cp, ref] = parts(body, 2, 'urn:epc:id:pgln:CompanyPrefix.PartyRef', urn);
      return link('417', withCheckDigit(prefixAndReference(cp, ref, 12, 'GLN', urn)));
    }
    case 'grai': {
      const [cp, ref, serial = ''] = parts(
        body,
        3,
        'urn:epc:id:grai:CompanyPrefix.AssetType.Serial',
        urn,
      );
      const grai = withCheckDigit(`0${prefixAndReference(cp, ref, 12, 'GRAI', urn)}`);
      const decoded = decodeComponent(serial, 'GRAI serial', urn);
      check82(decoded, 'GRAI serial', 16);
      return link('8003', grai + percentEncode(decoded));
    }
    case 'giai': {
      const [cp, asset = ''] = parts(
        body,
        2,
        'urn:epc:id:giai:CompanyPrefix.IndividualAssetRef',
        urn,
      );
      if (asset === '')
        throw invalidGs1(`${quote(urn)} has no individual asset reference`, undefined);
      const giai = companyPrefix(cp, 'GIAI', urn) + decodeComponent(asset, 'asset reference', urn);
      check82(giai, 'GIAI', 30);
      return link('8004', percentEncode(giai));
    }
    case 'gsrn':
    case 'gsrnp': {
      const [cp, ref] = parts(body, 2, `urn:epc:id:${scheme}:CompanyPrefix.ServiceRef`, urn);
      const digits = withCheckDigit(prefixAndReference(cp, ref, 17, scheme.toUpperCase(), urn));
      return link(scheme === 'gsrn' ? '8018' : '8017', digits);
    }
    case 'gdti': {
      const [cp, ref, serial = ''] = parts(
        body,
        3,
        'urn:epc:id:gdti:CompanyPrefix.DocumentType.Serial',
        urn,
      );
      const gdti = withCheckDigit(prefixAndReference(cp, ref, 12, 'GDTI', urn));
      const decoded = decodeComponent(serial, 'GDTI serial', urn);
      check82(decoded, 'GDTI serial', 17);
      return link('253', gdti + percentEncode(decoded));
    }
    case 'sgcn': {
      const [cp, ref, serial = ''] = parts(
        body,
        3,
        'urn:epc:id:sgcn:CompanyPrefix.CouponRef.Serial',
        urn,
      );
      const gcn = withCheckDigit(prefixAndReference(cp, ref, 12, 'GCN', urn));
      if (!/^[0-9]{1,12}$/.test(serial)) {
        throw invalidGs1(`the SGCN serial in ${quote(urn)} must be 1 to 12 digits`, undefined);
      }
      return link('255', gcn + serial);
    }
    case 'ginc': {
      const [cp, ref = ''] = parts(body, 2, 'urn:epc:id:ginc:CompanyPrefix.ConsignmentRef', urn);
      if (ref === '') throw invalidGs1(`${quote(urn)} has no consignment reference`, undefined);
      const ginc =
        companyPrefix(cp, 'GINC', urn) + decodeComponent(ref, 'consignment reference', urn);
      check82(ginc, 'GINC', 30);
      return link('401', percentEncode(ginc));
    }
    case 'gsin': {
      const [cp, ref] = parts(body, 2, 'urn:epc:id:gsin:CompanyPrefix.ShipperRef', urn);
      return link('402', withCheckDigit(prefixAndReference(cp, ref, 16, 'GSIN', urn)));
    }
    default:
      throw invalidGs1(
        `EPC scheme ${quote(scheme)} is not supported; supported are ${SUPPORTED_URNS}`,
        undefined,
      );
  }
}

/** A URN's `urn:epc:` head is case-insensitive (RFC 8141); the rest is as the TDS writes it. */
const URN_HEAD = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.*)$/i;

/** True when `value` starts like an EPC URN (`urn:epc:id:`, `urn:epc:class:`, `urn:epc:idpat:`). */
export function isEpcUrn(value: unknown): value is string {
  return typeof value === 'string' && URN_HEAD.test(value);
}

/**
 * The canonical Digital Link (https://id.gs1.org) of an EPC URN: pure identities
 * (`urn:epc:id:sgtin:0614141.107346.2017` is `/01/10614141073464/21/2017`; also sscc, sgln with
 * `/254/` unless the extension is `0`, pgln, grai, giai, gsrn, gsrnp, gdti, sgcn, ginc, gsin),
 * lots (`urn:epc:class:lgtin:…` is `/01/{gtin}/10/{lot}`) and product classes
 * (`urn:epc:idpat:sgtin:CP.IIR.*` is `/01/{gtin}`). URN escapes are decoded and the value
 * re-encoded as Waybill's EPCs are. Throws INVALID_GS1.
 */
export function urnToDigitalLink(urn: string): string {
  const raw: unknown = urn;
  if (typeof raw !== 'string') {
    throw invalidGs1(`an EPC URN must be a string, got ${typeName(raw)}`, undefined);
  }
  const head = URN_HEAD.exec(urn);
  if (head === null) {
    throw invalidGs1(`${quote(urn)} is not an EPC URN; expected ${SUPPORTED_URNS}`, undefined);
  }
  const kind = (head[1] ?? '').toLowerCase();
  const scheme = head[2] ?? '';
  const body = head[3] ?? '';
  if (kind === 'id') return pureIdentity(scheme, body, urn);
  if (kind === 'class' && scheme === 'lgtin') {
    const [cp, ref, lot = ''] = parts(
      body,
      3,
      'urn:epc:class:lgtin:CompanyPrefix.IndicatorItemRef.Lot',
      urn,
    );
    return toEpc({
      kind: 'lot',
      gtin: gtinOf(cp, ref, urn),
      lot: decodeComponent(lot, 'lot', urn),
    });
  }
  if (kind === 'idpat' && scheme === 'sgtin') {
    const [cp, ref, star] = parts(
      body,
      3,
      'urn:epc:idpat:sgtin:CompanyPrefix.IndicatorItemRef.*',
      urn,
    );
    if (star !== '*') {
      throw invalidGs1(
        `${quote(urn)} is a pattern of one product only when it ends in .*, as in urn:epc:idpat:sgtin:0614141.107346.*`,
        undefined,
      );
    }
    return toEpc({ kind: 'product', gtin: gtinOf(cp, ref, urn) });
  }
  throw invalidGs1(
    `${quote(`urn:epc:${kind}:${scheme}`)} is not supported; supported are ${SUPPORTED_URNS}`,
    undefined,
  );
}

// --- Digital Links ----------------------------------------------------------------------------

interface LinkPath {
  readonly ai: string;
  readonly value: string;
  readonly qualifiers: ReadonlyMap<string, string>;
  /** The URI without query and fragment, for {@link parseDigitalLink}. */
  readonly bare: string;
}

const HTTP_HEAD = /^https?:\/\/[^/?#]*/i;

/**
 * Reads an http(s) URI as a Digital Link: AI/value pairs from the end of the path, qualifiers
 * first, back to a primary key. Undefined when the path does not end that way (an ordinary web
 * address); INVALID_GS1 when it does but a value is malformed or the key is not supported.
 */
function readLink(uri: string): LinkPath | undefined {
  const head = HTTP_HEAD.exec(uri);
  if (head === null) return undefined;
  let rest = uri.slice(head[0].length);
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  const bare = head[0] + rest;
  const segments = rest.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const qualifiers = new Map<string, string>();
  for (let end = segments.length; end >= 2; end -= 2) {
    const ai = segments[end - 2] ?? '';
    const raw = segments[end - 1] ?? '';
    const known = PRIMARY_KEYS.get(ai) ?? UNSUPPORTED_KEYS.get(ai);
    if (known !== undefined) {
      if (UNSUPPORTED_KEYS.has(ai)) {
        throw invalidGs1(
          `${quote(uri)} is a Digital Link of AI ${ai} (${known}), which Waybill does not convert`,
          undefined,
        );
      }
      if (raw === '')
        throw invalidGs1(`AI ${ai} (${known}) in ${quote(uri)} has no value`, undefined);
      const value = percentDecode(raw, 'path', `${known} (AI ${ai})`, undefined);
      return { ai, value, qualifiers, bare };
    }
    if (!QUALIFIERS.has(ai)) return undefined;
    if (qualifiers.has(ai)) throw invalidGs1(`AI ${ai} appears twice in ${quote(uri)}`, undefined);
    qualifiers.set(ai, percentDecode(raw, 'path', `AI ${ai}`, undefined));
  }
  return undefined;
}

function noQualifiers(path: LinkPath, allowed: readonly string[], uri: string): void {
  for (const ai of path.qualifiers.keys()) {
    if (!allowed.includes(ai)) {
      throw invalidGs1(
        `AI ${ai} cannot qualify AI ${path.ai} (${PRIMARY_KEYS.get(path.ai) ?? path.ai}) in ${quote(uri)}`,
        undefined,
      );
    }
  }
}

function checkedDigits(value: string, length: number, what: string): string {
  if (value.length !== length || !DIGITS.test(value)) {
    throw invalidGs1(`${what} must be ${length} digits, got ${quote(value)}`, undefined);
  }
  const expected = gs1CheckDigit(value.slice(0, -1)).toString();
  if (value.slice(-1) !== expected) {
    throw invalidGs1(
      `${what} ${quote(value)} has check digit ${value.slice(-1)}, expected ${expected}`,
      undefined,
    );
  }
  return value;
}

/** A key with a checked numeric head of `length` digits and an optional set 82 tail. */
function splitKey(value: string, length: number, tailMax: number, what: string): [string, string] {
  const key = checkedDigits(value.slice(0, length), length, what);
  const tail = value.slice(length);
  if (tail !== '') check82(tail, `${what} serial`, tailMax);
  return [key, tail];
}

interface Canonical {
  readonly uri: string;
  /** The identifier, where Waybill's own GS1 types describe it. */
  readonly id?: Gs1Identifier;
  readonly path: LinkPath;
}

function canonicalLink(uri: string): Canonical | undefined {
  const path = readLink(uri);
  if (path === undefined) return undefined;
  const { ai, value } = path;
  if (LINK_KEYS_OF_GS1.has(ai) && !(ai === '414' && path.qualifiers.has('254'))) {
    const { id } = parseDigitalLink(path.bare);
    return { uri: toEpc(id), id, path };
  }
  switch (ai) {
    case '414': {
      noQualifiers(path, ['254'], uri);
      assertGln(value);
      const extension = path.qualifiers.get('254') ?? '';
      check82(extension, 'GLN extension (AI 254)', 20);
      return { uri: link('414', value, `/254/${percentEncode(extension)}`), path };
    }
    case '417':
      noQualifiers(path, [], uri);
      assertGln(value);
      return { uri: link('417', value), path };
    case '8003': {
      noQualifiers(path, [], uri);
      const [grai, serial] = splitKey(value, 14, 16, 'GRAI');
      if (!grai.startsWith('0'))
        throw invalidGs1(`a GRAI starts with 0, got ${quote(grai)}`, undefined);
      return { uri: link('8003', grai + percentEncode(serial)), path };
    }
    case '8004':
    case '401':
      noQualifiers(path, [], uri);
      check82(value, ai === '8004' ? 'GIAI' : 'GINC', 30);
      return { uri: link(ai, percentEncode(value)), path };
    case '8017':
    case '8018':
      noQualifiers(path, [], uri);
      return { uri: link(ai, checkedDigits(value, 18, ai === '8018' ? 'GSRN' : 'GSRN-P')), path };
    case '253': {
      noQualifiers(path, [], uri);
      const [gdti, serial] = splitKey(value, 13, 17, 'GDTI');
      return { uri: link('253', gdti + percentEncode(serial)), path };
    }
    case '255': {
      noQualifiers(path, [], uri);
      const [gcn, serial] = splitKey(value, 13, 12, 'GCN');
      if (serial !== '' && !DIGITS.test(serial)) {
        throw invalidGs1(`a GCN serial is digits, got ${quote(serial)}`, undefined);
      }
      return { uri: link('255', gcn + serial), path };
    }
    case '402':
      noQualifiers(path, [], uri);
      return { uri: link('402', checkedDigits(value, 17, 'GSIN')), path };
    default:
      return undefined;
  }
}

/**
 * The one spelling Waybill stores for an EPCIS identifier: an EPC URN or a Digital Link on any
 * host becomes the canonical Digital Link on https://id.gs1.org (query and fragment dropped,
 * GTIN-14, only the identifying qualifier: an item's lot and any CPV go, a GLN keeps its `/254/`
 * extension). Anything else, such as `urn:uuid:…`, a CBV URN or an ordinary web address, comes
 * back unchanged. Throws INVALID_GS1 on a malformed EPC URN or Digital Link, or one of a kind
 * Waybill does not convert (ITIP, CPID, UPUI and the like), rather than pass it on in a second
 * spelling.
 */
export function normalizeEpcisIdentifier(value: string): string {
  const raw: unknown = value;
  if (typeof raw !== 'string') {
    throw invalidGs1(`an EPCIS identifier must be a string, got ${typeName(raw)}`, undefined);
  }
  if (isEpcUrn(value)) return urnToDigitalLink(value);
  return canonicalLink(value)?.uri ?? value;
}

function prefixLength(companyPrefixLength: number | undefined, uri: string): number {
  if (companyPrefixLength === undefined) {
    throw invalidGs1(
      `turning ${quote(uri)} into a URN needs the length of its GS1 company prefix (6 to 12), which a Digital Link does not show`,
      undefined,
    );
  }
  if (
    !Number.isInteger(companyPrefixLength) ||
    companyPrefixLength < MIN_PREFIX ||
    companyPrefixLength > MAX_PREFIX
  ) {
    throw invalidGs1(
      `a GS1 company prefix has ${MIN_PREFIX} to ${MAX_PREFIX} digits, got ${String(companyPrefixLength)}`,
      undefined,
    );
  }
  return companyPrefixLength;
}

/**
 * The EPC URN of a Digital Link (any host): SGTIN for `/01/…/21/…`, LGTIN class for `/01/…/10/…`,
 * SGTIN pattern (`CP.IIR.*`) for a bare GTIN, SSCC, SGLN (extension `0` without `/254/`), PGLN,
 * GRAI, GIAI, GSRN, GSRN-P, GDTI, SGCN, GINC, GSIN. Only needed where a partner requires URNs:
 * Waybill exports Digital Links, which EPCIS 2.0 allows. `companyPrefixLength` (6 to 12) says
 * where the company prefix ends; nothing in the link shows it. Throws INVALID_GS1.
 */
export function digitalLinkToUrn(uri: string, companyPrefixLength?: number): string {
  const raw: unknown = uri;
  if (typeof raw !== 'string') {
    throw invalidGs1(`a Digital Link must be a string, got ${typeName(raw)}`, undefined);
  }
  const canonical = canonicalLink(uri);
  if (canonical === undefined) {
    throw invalidGs1(
      `${quote(uri)} is not a GS1 Digital Link Waybill converts; expected a path ending in one of the AIs ${[...PRIMARY_KEYS.keys()].join(', ')} and its value`,
      undefined,
    );
  }
  const n = prefixLength(companyPrefixLength, uri);
  const { id, path } = canonical;
  const cp = (digits: string, from = 0): string => digits.slice(from, from + n);
  if (id !== undefined) {
    switch (id.kind) {
      case 'item':
      case 'lot':
      case 'product': {
        const gtin = id.gtin;
        const itemRef = gtin.slice(0, 1) + gtin.slice(1 + n, 13);
        const head = `${cp(gtin, 1)}.${itemRef}`;
        if (id.kind === 'item') return `urn:epc:id:sgtin:${head}.${escapeForUrn(id.serial)}`;
        if (id.kind === 'lot') return `urn:epc:class:lgtin:${head}.${escapeForUrn(id.lot)}`;
        return `urn:epc:idpat:sgtin:${head}.*`;
      }
      case 'unit':
        return `urn:epc:id:sscc:${cp(id.sscc, 1)}.${id.sscc.slice(0, 1)}${id.sscc.slice(1 + n, 17)}`;
      case 'location':
        return `urn:epc:id:sgln:${cp(id.gln)}.${id.gln.slice(n, 12)}.0`;
    }
  }
  const value = path.value;
  switch (path.ai) {
    case '414': {
      const extension = path.qualifiers.get('254') ?? '0';
      return `urn:epc:id:sgln:${cp(value)}.${value.slice(n, 12)}.${escapeForUrn(extension)}`;
    }
    case '417':
      return `urn:epc:id:pgln:${cp(value)}.${value.slice(n, 12)}`;
    case '8003': {
      const serial = value.slice(14);
      if (serial === '') {
        throw invalidGs1(`a GRAI EPC needs a serial; ${quote(uri)} has none`, undefined);
      }
      return `urn:epc:id:grai:${cp(value, 1)}.${value.slice(1 + n, 13)}.${escapeForUrn(serial)}`;
    }
    case '8004':
    case '401': {
      const companyPrefix = cp(value);
      if (!DIGITS.test(companyPrefix) || companyPrefix.length !== n || value.length === n) {
        throw invalidGs1(
          `${quote(value)} does not start with a ${n}-digit company prefix followed by a reference`,
          undefined,
        );
      }
      const scheme = path.ai === '8004' ? 'giai' : 'ginc';
      return `urn:epc:id:${scheme}:${companyPrefix}.${escapeForUrn(value.slice(n))}`;
    }
    case '8017':
    case '8018':
      return `urn:epc:id:${path.ai === '8018' ? 'gsrn' : 'gsrnp'}:${cp(value)}.${value.slice(n, 17)}`;
    case '253':
    case '255': {
      const serial = value.slice(13);
      const scheme = path.ai === '253' ? 'gdti' : 'sgcn';
      if (serial === '') {
        throw invalidGs1(
          `a ${scheme.toUpperCase()} EPC needs a serial; ${quote(uri)} has none`,
          undefined,
        );
      }
      return `urn:epc:id:${scheme}:${cp(value)}.${value.slice(n, 12)}.${escapeForUrn(serial)}`;
    }
    case '402':
      return `urn:epc:id:gsin:${cp(value)}.${value.slice(n, 16)}`;
    default:
      throw new WaybillError('INVALID_GS1', `AI ${path.ai} cannot be written as an EPC URN`);
  }
}
