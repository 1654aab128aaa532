/**
 * Bare CBV names in JSON-LD (`"bizStep": "shipping"`) as the web vocabulary URIs they stand for,
 * the way the reference event hash does it (github.com/RalphTro/epcis-event-hash-generator,
 * `json_to_py._bare_string_pre_preocessing`): it JSON-LD-expands the whole document, keeps every
 * expanded string under https://ref.gs1.org/cbv or https://gs1.org/voc, and then replaces any
 * string anywhere in the document that exactly one of those ends with, after a `-` or a `/`.
 * A JSON-LD processor is a dependency `shared` will not take, so this walks the document with the
 * part of the EPCIS 2.0 context that can produce such strings: the CBV and GS1 term lists of the
 * properties typed `@vocab`, the prefixes, which properties are `@id`, and which keys expansion
 * drops (keys that are neither terms nor compact IRIs, whose values therefore never count).
 * Not modelled: `@vocab` or `@base` in a document's own context, remote contexts other than
 * EPCIS 2.0's, and the errors a processor raises on a bad context.
 */

const EPCIS = 'https://ref.gs1.org/epcis/';
const CBV = 'https://ref.gs1.org/cbv/';
const GS1 = 'https://gs1.org/voc/';

/** The context URLs the reference resolves to the EPCIS 2.0 context. */
export const EPCIS_CONTEXT_URLS: ReadonlySet<string> = new Set([
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
]);

/** How expansion treats a property's string values. */
type Kind = 'literal' | 'id' | 'vocab' | '@id' | '@type' | 'drop';

interface Term {
  readonly kind: Kind;
  /** Names its values may take, from the property's scoped context: name to IRI. */
  readonly values?: ReadonlyMap<string, string>;
  /** The scoped context of the property, applied to the objects below it. */
  readonly scope?: Scope;
}

interface Scope {
  readonly terms: ReadonlyMap<string, Term>;
  /** Terms that stand for an IRI, usable as values of `@vocab` properties and as prefixes. */
  readonly iris: ReadonlyMap<string, string>;
}

function vocabulary(prefix: string, names: string): ReadonlyMap<string, string> {
  const iri = prefix.replace(/^cbv:/, CBV).replace(/^gs1:/, GS1);
  return new Map(
    names
      .trim()
      .split(/\s+/)
      .map((name) => [name, iri + name]),
  );
}

/** A CBV or GS1 term list, written as a template of names: prefix`name name …`. */
function termList(prefix: string) {
  return (names: TemplateStringsArray): ReadonlyMap<string, string> =>
    vocabulary(prefix, names.join(' '));
}

const BIZ_STEPS = termList('cbv:BizStep-')`
  accepting arriving assembling collecting commissioning consigning creating_class_instance
  cycle_counting decommissioning departing destroying disassembling dispensing encoding
  entering_exiting holding inspecting installing killing loading other packing picking receiving
  removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting
  shipping staging_outbound stock_taking stocking storing transporting unloading unpacking
  void_shipping
`;
const DISPOSITIONS = termList('cbv:Disp-')`
  active available completeness_verified completeness_inferred conformant container_closed
  container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit
  inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement
  no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved
  retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown
`;
const SOURCE_DESTINATION_TYPES = termList('cbv:SDT-')`
  owning_party possessing_party location
`;
const BIZ_TRANSACTION_TYPES = termList('cbv:BTT-')`
  bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt
`;
const MEASUREMENT_TYPES = termList('gs1:')`
  AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude
  AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum
  AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless
  DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent
  ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance
  Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux
  LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass
  MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy
  MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity Resistance
  Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time
  Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber
`;
const SENSOR_ALERT_TYPES = termList('gs1:')`
  ALARM_CONDITION ERROR_CONDITION
`;
const COMPONENTS = termList('cbv:Comp-')`
  x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting
  northing latitude longitude altitude
`;
const ERROR_REASONS = termList('cbv:ER-')`
  did_not_occur incorrect_data
`;

const LITERAL: Term = { kind: 'literal' };
const ID: Term = { kind: 'id' };
const ID_KEYWORD: Term = { kind: '@id' };
const TYPE_KEYWORD: Term = { kind: '@type' };

function terms(kind: Term, names: string): [string, Term][] {
  return names.split(' ').map((name) => [name, kind]);
}

function scope(entries: [string, Term][], iris: ReadonlyMap<string, string> = new Map()): Scope {
  return { terms: new Map(entries), iris };
}

function vocab(values: ReadonlyMap<string, string>): Term {
  return { kind: 'vocab', values };
}

const SENSOR_REPORT = scope([
  ['type', vocab(MEASUREMENT_TYPES)],
  ['exception', vocab(SENSOR_ALERT_TYPES)],
  ['component', vocab(COMPONENTS)],
  ...terms(ID, 'coordinateReferenceSystem microorganism chemicalSubstance uriValue'),
  ...terms(
    LITERAL,
    'time value stringValue booleanValue hexBinaryValue minValue maxValue meanValue sDev percRank percValue',
  ),
]);

const SENSOR_ELEMENT_LIST = scope([
  ...terms(ID, 'deviceID deviceMetadata rawData dataProcessingMethod'),
  ['time', LITERAL],
  ['type', TYPE_KEYWORD],
  [
    'sensorMetadata',
    { kind: 'literal', scope: scope([...terms(LITERAL, 'startTime endTime'), ['bizRules', ID]]) },
  ],
  ['sensorReport', { kind: 'literal', scope: SENSOR_REPORT }],
]);

function sourceOrDestination(member: string): Term {
  return {
    kind: 'literal',
    scope: scope([
      [member, ID],
      ['type', vocab(SOURCE_DESTINATION_TYPES)],
    ]),
  };
}

/** The EPCIS 2.0 context (ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld), as far as it matters here. */
const EPCIS_SCOPE: Scope = scope(
  [
    ['id', ID_KEYWORD],
    ['eventID', ID_KEYWORD],
    ['type', TYPE_KEYWORD],
    ['baseURL', { kind: 'drop' }],
    ['bizStep', vocab(BIZ_STEPS)],
    ['disposition', vocab(DISPOSITIONS)],
    ...terms(
      ID,
      'member certificationInfo bizLocation readPoint transformationID epcList epcClass parentID childEPCs inputEPCList outputEPCList children',
    ),
    ...terms(
      LITERAL,
      'eventTime recordTime eventTimeZoneOffset action quantity uom quantityList childQuantityList inputQuantityList outputQuantityList creationDate sender receiver instanceIdentifier schemaVersion ilmd epcisHeader masterData vocabularyList epcisBody queryResults subscriptionID queryName resultsBody eventList',
    ),
    ['sourceList', sourceOrDestination('source')],
    ['destinationList', sourceOrDestination('destination')],
    [
      'bizTransactionList',
      {
        kind: 'literal',
        scope: scope([
          ['bizTransaction', ID_KEYWORD],
          ['type', vocab(BIZ_TRANSACTION_TYPES)],
        ]),
      },
    ],
    [
      'persistentDisposition',
      {
        kind: 'literal',
        // Here the dispositions are terms of the context, which `set` and `unset` expand with.
        scope: scope(terms({ kind: 'vocab' }, 'set unset'), DISPOSITIONS),
      },
    ],
    ['sensorElementList', { kind: 'literal', scope: SENSOR_ELEMENT_LIST }],
    [
      'errorDeclaration',
      {
        kind: 'literal',
        scope: scope([
          ['reason', vocab(ERROR_REASONS)],
          ['correctiveEventIDs', ID],
          ['declarationTime', LITERAL],
        ]),
      },
    ],
  ],
  new Map([
    ['epcis', EPCIS],
    ['cbv', CBV],
    ['cbvmda', 'urn:epcglobal:cbv:mda:'],
    ['gs1', GS1],
    ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
    ['owl', 'http://www.w3.org/2002/07/owl#'],
    ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
    ['dcterms', 'http://purl.org/dc/terms/'],
    ...'ObjectEvent AggregationEvent TransformationEvent AssociationEvent TransactionEvent Collection EPCISDocument EPCISQueryDocument'
      .split(' ')
      .map((name): [string, string] => [name, EPCIS + name]),
  ]),
);

const EMPTY_SCOPE: Scope = scope([]);

function merge(outer: Scope, inner: Scope): Scope {
  return {
    terms: new Map([...outer.terms, ...inner.terms]),
    iris: new Map([...outer.iris, ...inner.iris]),
  };
}

/** A term can serve as a prefix when its IRI ends with a URI gen-delim (JSON-LD 1.1). */
function isPrefix(term: string, iri: string): boolean {
  return !term.includes(':') && !term.includes('/') && /[:/?#[\]@]$/.test(iri);
}

/** JSON-LD IRI expansion: terms (for `@vocab` values), compact IRIs, else the value itself. */
function expandIri(
  value: string,
  active: Scope,
  vocabulary: boolean,
  values?: ReadonlyMap<string, string>,
): string {
  if (vocabulary) {
    const term = values?.get(value) ?? active.iris.get(value);
    if (term !== undefined) return term;
  }
  const colon = value.indexOf(':');
  if (colon <= 0) return value;
  const prefix = value.slice(0, colon);
  const suffix = value.slice(colon + 1);
  if (prefix === '_' || suffix.startsWith('//')) return value;
  const iri = active.iris.get(prefix);
  return iri !== undefined && isPrefix(prefix, iri) ? iri + suffix : value;
}

/** The active context after a local `@context`: EPCIS 2.0's URL, prefixes, term definitions. */
function applyContext(active: Scope, context: unknown): Scope {
  let result = active;
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (typeof entry === 'string') {
      if (EPCIS_CONTEXT_URLS.has(entry)) result = merge(result, EPCIS_SCOPE);
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const added = new Map<string, Term>();
    const iris = new Map<string, string>();
    for (const [key, definition] of Object.entries(entry as Record<string, unknown>)) {
      if (key.startsWith('@')) continue;
      if (typeof definition === 'string') {
        iris.set(key, expandIri(definition, result, false));
        added.set(key, LITERAL);
      } else if (typeof definition === 'object' && definition !== null) {
        const { '@id': id, '@type': type } = definition as Record<string, unknown>;
        if (typeof id === 'string' && !id.startsWith('@'))
          iris.set(key, expandIri(id, result, false));
        added.set(key, type === '@id' ? ID : type === '@vocab' ? { kind: 'vocab' } : LITERAL);
      }
    }
    result = merge(result, { terms: added, iris });
  }
  return result;
}

function termOf(key: string, active: Scope): Term {
  if (key.startsWith('@')) {
    if (key === '@id') return ID_KEYWORD;
    if (key === '@type') return TYPE_KEYWORD;
    return key === '@value' || key === '@list' || key === '@set' ? LITERAL : { kind: 'drop' };
  }
  return active.terms.get(key) ?? (key.includes(':') ? LITERAL : { kind: 'drop' });
}

function expandedString(value: string, term: Term, active: Scope): string {
  switch (term.kind) {
    case 'id':
    case '@id':
      return expandIri(value, active, false);
    case 'vocab':
    case '@type':
      return expandIri(value, active, true, term.values);
    case 'literal':
    case 'drop':
      return value;
  }
}

function isVocabularyIri(value: string): boolean {
  return value.startsWith('https://ref.gs1.org/cbv') || value.startsWith('https://gs1.org/voc');
}

function walkValue(value: unknown, term: Term, active: Scope, found: Set<string>): void {
  if (typeof value === 'string') {
    const expanded = expandedString(value, term, active);
    if (isVocabularyIri(expanded)) found.add(expanded);
  } else if (Array.isArray(value)) {
    for (const item of value) walkValue(item, term, active, found);
  } else if (typeof value === 'object' && value !== null) {
    walkNode(
      value as Record<string, unknown>,
      term.scope ? merge(active, term.scope) : active,
      found,
    );
  }
}

function walkNode(node: Record<string, unknown>, outer: Scope, found: Set<string>): void {
  const active = node['@context'] === undefined ? outer : applyContext(outer, node['@context']);
  for (const [key, value] of Object.entries(node)) {
    if (key === '@context') continue;
    const term = termOf(key, active);
    if (term.kind !== 'drop') walkValue(value, term, active, found);
  }
}

/** The CBV and GS1 vocabulary IRIs that expanding `document` (with its `@context`) yields. */
export function expandedVocabulary(document: Record<string, unknown>): ReadonlySet<string> {
  const found = new Set<string>();
  walkNode(document, EMPTY_SCOPE, found);
  return found;
}

/**
 * `document` with every string that exactly one of `iris` ends with (after `-` or `/`) replaced
 * by that IRI, keys untouched; a new value, the input is not changed.
 */
export function replaceBareNames(value: unknown, iris: ReadonlySet<string>): unknown {
  if (typeof value === 'string') {
    let match: string | undefined;
    let count = 0;
    for (const iri of iris) {
      if (iri.endsWith(`-${value}`) || iri.endsWith(`/${value}`)) {
        match = iri;
        count++;
      }
    }
    return count === 1 ? match : value;
  }
  if (Array.isArray(value)) return value.map((item) => replaceBareNames(item, iris));
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so even a `__proto__` member stays a member.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceBareNames(item, iris)]),
    );
  }
  return value;
}
