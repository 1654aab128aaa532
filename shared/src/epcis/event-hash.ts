/**
 * The EPCIS event hash of GS1 CBV 2.0 ("Event hash"): `ni:///sha-256;{hex}?ver=CBV2.0` over a
 * pre-hash string that is the same for every serialisation of one event. This ports the
 * reference implementation, github.com/RalphTro/epcis-event-hash-generator (Python, last commit
 * 5d2f1c3), JSON path only, step for step: its tree of (name, text, children) triples, its
 * JSON-to-XML model corrections, its property order and its odd corners, because the point of
 * the hash is that everyone gets the same one. Where the reference crashes or drops an event
 * (a bizTransaction without a type, a timestamp that rounds up to the next second, an infinite
 * number), this gives the answer the algorithm's description implies; the comments say where.
 *
 * Left out of the hash, as in the reference: `eventID`, `recordTime`, `errorDeclaration`, the
 * top-level `type` (it is the `eventType`), comments (`comment`, `rdfs:comment`, `#text`).
 * Included, as in the reference: `certificationInfo`, every extension and `ilmd` field, and an
 * event's own `@context` when the event sits in a document.
 */
import { bytesToHex, sha256, utf8ToBytes } from '../encoding/index.js';
import { WaybillError } from '../errors.js';
import {
  canonicalValue,
  comparePy,
  pyScalarText,
  pyStrip,
  utcTimestamp,
} from './event-hash-values.js';
import { expandedVocabulary, replaceBareNames } from './event-hash-vocabulary.js';

/** The EPCIS 2.0 context, assumed for an event given without any. */
const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The reference's ignore-list convention: a prefix bound to this IRI names `{prefix}:ignoreFields`. */
const IGNORE_FIELDS_NAMESPACE = '{https://repository-x.example.com/}';

/** A member of the reference's simple tree (its `(name, text, children)` tuples). */
interface Triple {
  name: string;
  text: string;
  children: Node[];
}

/**
 * A bizTransaction, source or destination: its first two members in document order, normally
 * `type` and the identifier. The reference has always two; one means the type was missing.
 */
type Group = Triple[];

type Node = Triple | Group;

type Order = readonly (readonly [name: string | null, sub: Order | null])[];

const QUANTITY: Order = [
  [
    'quantityElement',
    [
      ['epcClass', null],
      ['quantity', null],
      ['uom', null],
    ],
  ],
];
const EPCS: Order = [['epc', null]];
/** Groups never match an order entry in the reference (a tuple is compared with a name). */
const GROUPED: Order = [[null, null]];

/** The canonical property order (the reference's PROP_ORDER, which differs from its README). */
const PROPERTY_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['parentID', null],
  ['epcList', EPCS],
  ['inputEPCList', EPCS],
  ['childEPCs', EPCS],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPCS],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  [
    'persistentDisposition',
    [
      ['set', null],
      ['unset', null],
    ],
  ],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  ['bizTransactionList', GROUPED],
  ['sourceList', GROUPED],
  ['destinationList', GROUPED],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          [
            'sensorMetadata',
            names(
              'time startTime endTime deviceID deviceMetadata rawData dataProcessingMethod bizRules',
            ),
          ],
          [
            'sensorReport',
            names(
              'type exception deviceID deviceMetadata rawData dataProcessingMethod time microorganism chemicalSubstance value component stringValue booleanValue hexBinaryValue uriValue minValue maxValue meanValue sDev percRank percValue uom coordinateReferenceSystem',
            ),
          ],
        ],
      ],
    ],
  ],
];

function names(list: string): Order {
  return list.split(' ').map((name) => [name, null] as const);
}

const GROUP_LISTS = new Set(['bizTransactionList', 'sourceList', 'destinationList']);
const UNSORTED_KEYS = ['bizTransaction', 'source', 'destination'];
const SKIPPED_KEYS = ['#text', 'rdfs:comment', 'comment'];
const NOT_HASHED = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);

function isGroup(node: Node): node is Group {
  return Array.isArray(node);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badEvent(message: string, path = '$'): WaybillError<'INVALID_PAYLOAD'> {
  return new WaybillError('INVALID_PAYLOAD', message, { path });
}

// --- JSON to tree (`json_to_py`) --------------------------------------------------------------

/** Namespaces by prefix, as `{iri}`; shared by all events of a document, as in the reference. */
type Namespaces = Map<string, string>;

function replaceNamespace(text: string, namespaces: Namespaces, isValue: boolean): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text;
  const namespace = namespaces.get(text.slice(0, colon));
  if (namespace === undefined) return text;
  const rest = text.slice(colon + 1);
  return isValue ? namespace.replaceAll('{', '').replaceAll('}', '') + rest : namespace + rest;
}

/** Python's tuple order over triples (the tree holds no groups yet when it is sorted). */
function compareTriples(a: Triple, b: Triple): number {
  return (
    comparePy(a.name, b.name) ||
    comparePy(a.text, b.text) ||
    compareChildren(a.children as Triple[], b.children as Triple[])
  );
}

function compareChildren(a: readonly Triple[], b: readonly Triple[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const order = compareTriples(a[i] as Triple, b[i] as Triple);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function toTree(value: unknown, ignored: readonly string[], namespaces: Namespaces): Triple {
  if (Array.isArray(value)) {
    const node: Triple = {
      name: '',
      text: '',
      children: value.map((item) => toTree(item, [], namespaces)),
    };
    if (!UNSORTED_KEYS.some((key) => value.includes(key))) {
      (node.children as Triple[]).sort(compareTriples);
    }
    return node;
  }
  if (!isObject(value)) {
    const text = typeof value === 'string' ? replaceNamespace(value, namespaces, true) : value;
    return { name: '', text: pyScalarText(text), children: [] };
  }
  // A nested object's type only names it while its list is sorted; Python would compare a
  // non-string type with strings and fail, this compares its text.
  let name = 'type' in value ? pyScalarText(value.type) : '';
  const text = '#text' in value ? pyScalarText(value['#text']) : '';
  const children: Triple[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (SKIPPED_KEYS.includes(key) || ignored.includes(key)) continue;
    if (key.startsWith('@xmlns')) {
      namespaces.set(key.slice(7), `{${pyScalarText(member)}}`);
      name = replaceNamespace(name, namespaces, false);
      continue;
    }
    // Namespaces declared inside the member apply before its own key is replaced.
    const child = toTree(member, [], namespaces);
    const memberName = replaceNamespace(key, namespaces, false);
    if (Array.isArray(member)) {
      for (const item of child.children as Triple[]) {
        children.push({ name: memberName, text: item.text, children: item.children });
      }
    } else {
      children.push({ name: memberName, text: child.text, children: child.children });
    }
  }
  if (!UNSORTED_KEYS.some((key) => key in value)) children.sort(compareTriples);
  return { name, text, children };
}

/** `list.remove(x)`: the first element equal to `x`; here, `x` itself, which comes to the same. */
function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

/**
 * The reference's JSON-to-XML model corrections (`deep_structure_correction`): `epcList: [a, b]`
 * becomes `epcList` with `epc` children, `childEPCs` likewise, quantity list members become
 * `quantityElement`, and a bizTransaction, source or destination becomes a group of its first
 * two members in document order.
 */
function correct(node: Triple): Triple {
  const level = node.children as Triple[];
  const lists = new Map<string, Triple[]>();
  for (const element of [...level]) {
    if (isGroup(element) || !element.name.endsWith('List')) continue;
    const items = lists.get(element.name) ?? [];
    items.push({ name: element.name.slice(0, -4), text: element.text, children: element.children });
    lists.set(element.name, items);
    remove(level, element);
  }
  for (const [listName, items] of lists) {
    const children: Node[] = GROUP_LISTS.has(listName) ? items.map(groupOf) : items;
    level.push({ name: listName, text: '', children });
  }
  const childEpcs: Triple[] = [];
  for (const element of [...level]) {
    if (element.name !== 'childEPCs') continue;
    childEpcs.push({ name: 'epc', text: element.text, children: [] });
    remove(level, element);
  }
  if (childEpcs.length > 0) level.push({ name: 'childEPCs', text: '', children: childEpcs });
  const children = level.map((element) =>
    GROUP_LISTS.has(element.name) ? element : correct(element),
  );
  return renamed({ name: node.name, text: node.text, children });
}

/** The reference takes members 0 and 1 and fails with fewer; with one, this keeps that one. */
function groupOf(item: Triple): Node {
  const members = item.children.slice(0, 2) as Triple[];
  if (members.length === 0) return [{ name: item.name, text: item.text, children: [] }];
  return members;
}

function renamed(node: Triple): Triple {
  const { name } = node;
  if (name === 'inputEPC' || name === 'outputEPC') return { ...node, name: 'epc' };
  if (
    name === 'inputQuantity' ||
    name === 'outputQuantity' ||
    name === 'childQuantity' ||
    (name === 'quantity' && node.children.length > 0)
  ) {
    return { ...node, name: 'quantityElement' };
  }
  return node;
}

// --- Tree to pre-hash string (`hash_generator`) -----------------------------------------------

/** Python's `needle in node[0]`: a substring of a name, or equal to a group's first name or text. */
function firstContains(node: Node, needle: string): boolean {
  if (!isGroup(node)) return node.name.includes(needle);
  const first = node[0];
  return first !== undefined && (first.name === needle || first.text === needle);
}

/**
 * Extensions (`{namespace/}name`) inside readPoint, sensorElement and the like, taken out to be
 * appended after the parent's ordered fields. Never at event level: a list holding a name that
 * contains `eventTime` or `action` counts as the event (so does `{…}transaction`, as in the
 * reference).
 */
function takeExtensions(children: Node[]): Node[] {
  if (children.length <= 1) return [];
  if (children.some((c) => firstContains(c, 'eventTime') || firstContains(c, 'action'))) return [];
  const extensions = children.filter((c) => firstContains(c, '{') && firstContains(c, '/}'));
  for (const extension of extensions) remove(children, extension);
  return extensions;
}

function orderedPreHash(children: Node[], order: Order): string {
  let preHash = '';
  const extensions = takeExtensions(children);
  for (const [name, sub] of order) {
    const matching = children.filter((c): c is Triple => !isGroup(c) && c.name === name);
    const values: string[] = [];
    for (const child of matching) {
      const text = childPreHash(child, sub);
      if (text !== '') values.push(text);
      if (child.children.length === 0) remove(children, child);
    }
    values.sort(comparePy);
    if (values.join('') !== '') {
      if (preHash !== '') values.unshift(preHash);
      preHash = values.join('');
    }
  }
  if (extensions.length > 0) preHash += genericPreHash(extensions);
  return preHash;
}

function childPreHash(child: Triple, sub: Order | null): string {
  const nested = sub === null ? '' : orderedPreHash(child.children, sub);
  let text = '';
  if (child.text !== '') {
    text = pyStrip(child.text);
    const lower = child.name.toLowerCase();
    text =
      lower.includes('time') && !lower.includes('offset')
        ? utcTimestamp(text)
        : canonicalValue(text);
    if (text !== '') text = `=${text}`;
  }
  return text !== '' || nested !== '' ? child.name + text + nested : '';
}

/** Everything outside the property order: sorted, unless it is a bizTransaction, source or destination. */
function genericPreHash(children: readonly Node[]): string {
  const values = children.map((child) => {
    if (isGroup(child)) return genericPreHash(child);
    let text = pyStrip(child.text);
    if (text !== '') text = `=${canonicalValue(text)}`;
    return child.name + text + genericPreHash(child.children);
  });
  const sorted = !children.some((c) => !isGroup(c) && UNSORTED_KEYS.includes(c.name));
  if (children.length > 1 && sorted) values.sort(comparePy);
  return values.join('');
}

function eventPreHash(event: Triple): string {
  const ordered = orderedPreHash(event.children, PROPERTY_ORDER);
  const rest = event.children.filter((c) => isGroup(c) || !NOT_HASHED.has(c.name));
  return `eventType=${event.name}${ordered}${rest.length > 0 ? genericPreHash(rest) : ''}`;
}

// --- Documents and events ---------------------------------------------------------------------

function contextList(context: unknown): unknown[] {
  const list = Array.isArray(context) ? context : [context];
  // The reference drops empty objects from the document's context before anything else.
  return list.filter((entry) => !isObject(entry) || Object.keys(entry).length > 0);
}

function eventsOf(body: unknown): {
  events: unknown[];
  holder: Record<string, unknown> | undefined;
} {
  if (!isObject(body)) throw badEvent('an EPCIS document needs an epcisBody object', '$.epcisBody');
  if (Array.isArray(body.eventList)) return { events: body.eventList, holder: undefined };
  const results = body.queryResults;
  if (isObject(results)) {
    const resultsBody = results.resultsBody;
    if (isObject(resultsBody) && Array.isArray(resultsBody.eventList)) {
      return { events: resultsBody.eventList, holder: results };
    }
  }
  if (body.event !== undefined) return { events: [body.event], holder: undefined };
  throw badEvent(
    'epcisBody has no eventList, queryResults.resultsBody.eventList or event',
    '$.epcisBody',
  );
}

function documentPreHashes(input: Record<string, unknown>): string[] {
  const context = contextList(input['@context'] ?? EPCIS_CONTEXT);
  const document = replaceBareNames(
    { ...input, '@context': context },
    expandedVocabulary({ ...input, '@context': context }),
  ) as Record<string, unknown>;
  const namespaces: Namespaces = new Map();
  for (const entry of document['@context'] as unknown[]) {
    if (typeof entry === 'string') namespaces.set(entry, `{${entry}}`);
    else if (isObject(entry)) {
      // The reference fails on term definitions (objects); only prefixes name namespaces.
      for (const [prefix, iri] of Object.entries(entry)) {
        if (typeof iri === 'string') namespaces.set(prefix, `{${iri}}`);
      }
    }
  }
  const { events, holder } = eventsOf(document.epcisBody);
  const ignored = ignoredFields(holder ?? document, namespaces);
  const trees = events.map((event, index) => {
    if (!isObject(event))
      throw badEvent('an EPCIS event must be an object', `$.eventList[${index}]`);
    if (typeof event.type !== 'string') {
      throw badEvent('an EPCIS event needs a string type', `$.eventList[${index}].type`);
    }
    return correct(toTree(event, ignored, namespaces));
  });
  return trees.map(eventPreHash);
}

/** `{prefix}:ignoreFields` where the prefix is bound to the reference's repository namespace. */
function ignoredFields(holder: Record<string, unknown>, namespaces: Namespaces): string[] {
  let key = ':ignoreFields';
  for (const [prefix, namespace] of namespaces) {
    if (namespace === IGNORE_FIELDS_NAMESPACE) {
      key = prefix + key;
      break;
    }
  }
  const fields = holder[key];
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

function niHash(preHash: string): string {
  return `ni:///sha-256;${bytesToHex(sha256(utf8ToBytes(preHash)))}?ver=CBV2.0`;
}

function singleEventDocument(event: object, context: unknown): Record<string, unknown> {
  if (!isObject(event)) throw badEvent('an EPCIS event must be an object');
  let body: Record<string, unknown> = event;
  let documentContext = context;
  if (documentContext === undefined) {
    // A stand-alone event carries its document's context; it is that, not a field of the event.
    const { '@context': own, ...rest } = event;
    if (own !== undefined) {
      documentContext = own;
      body = rest;
    }
  }
  return {
    '@context': documentContext ?? EPCIS_CONTEXT,
    epcisBody: { eventList: [body] },
  };
}

/**
 * The pre-hash string of one EPCIS 2.0 JSON/JSON-LD event, for debugging and for comparing
 * with other implementations. `context` is the `@context` of the document the event came from;
 * without it, the event's own `@context` is taken as that (and is then not hashed), else the
 * EPCIS 2.0 context. Throws INVALID_PAYLOAD when `event` is not an object with a string `type`.
 */
export function preHashString(event: object, context?: unknown): string {
  const [preHash] = documentPreHashes(singleEventDocument(event, context));
  return preHash ?? '';
}

/**
 * The CBV 2.0 event hash of one EPCIS 2.0 JSON/JSON-LD event,
 * `ni:///sha-256;{64 hex}?ver=CBV2.0`; see {@link preHashString} for `context`.
 */
export function epcisEventHash(event: object, context?: unknown): string {
  return niHash(preHashString(event, context));
}

/**
 * The pre-hash strings of every event of an EPCIS document (or query document), in order. As in
 * the reference, bare CBV names are resolved over the whole document, events keep their own
 * `@context` as a hashed member, and the reference's `{prefix}:ignoreFields` list is honoured.
 * Throws INVALID_PAYLOAD when the document has no event list or an event is not an object with
 * a string `type`.
 */
export function epcisDocumentPreHashes(document: object): string[] {
  if (!isObject(document)) throw badEvent('an EPCIS document must be an object');
  return documentPreHashes(document);
}

/** The CBV 2.0 event hashes of every event of an EPCIS document, in order. */
export function epcisDocumentEventHashes(document: object): string[] {
  return epcisDocumentPreHashes(document).map(niHash);
}
