/**
 * The product slice's data: what the node answers about things, products and recalls, and the view
 * models the journey is drawn from. Everything here is plain JSON, so a server component can hand it
 * to a client component.
 */
import type { TxType } from '@waybill/shared/tx';

/** `active`, `in_transit`, `recalled` (derived from open recalls) or `decommissioned`. */
export type ThingStatus = 'active' | 'in_transit' | 'recalled' | 'decommissioned';

export interface ThingView {
  epc: string;
  kind: string;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  sscc: string | null;
  quantity: string | null;
  unit: string | null;
  expiry: string | null;
  owner: string;
  custodian: string;
  status: string;
  parent: string | null;
  children: string[];
  pendingTransfer: string | null;
  createdAt: number;
  /** On the thing page only: the open recalls that reach it through the provenance graph. */
  recallReasons?: RecallReasonsView;
}

export type ThingSummary = Pick<
  ThingView,
  | 'epc'
  | 'kind'
  | 'serial'
  | 'lot'
  | 'sscc'
  | 'quantity'
  | 'unit'
  | 'expiry'
  | 'custodian'
  | 'status'
>;

export interface ProductView {
  gtin: string;
  name: string;
  brand: string | null;
  description: string | null;
  imageUrl: string | null;
  /** As the node stores it: `[{ type, uom, min?, max? }]`; read it with `parseConditions`. */
  conditions: unknown;
  owner: string;
  definedAt: number;
}

export interface RecallView {
  id: string;
  gtin: string;
  reason: string;
  lots: string[] | null;
  serials: string[] | null;
  open: boolean;
  issuer: string;
  issuedAt: number;
  /** The timestamp of the block that recorded it. */
  issuedTime: string | null;
  closedAt: number | null;
}

/**
 * How a thing is concerned relative to the step before it: `recalled` (the recall covers it),
 * `made-from` (made from it), `contains` (a unit holding it), `packed-in` (packed in that unit).
 */
export type AffectLink = 'recalled' | 'made-from' | 'contains' | 'packed-in';

export interface RecallReasonView {
  recall: RecallView;
  /** From the recalled thing (first) to the thing asked about (last). */
  path: { epc: string; via: AffectLink }[];
}

export interface RecallReasonsView {
  reasons: RecallReasonView[];
  complete: boolean;
}

/** A storage condition of a product class, with its bounds as numbers. */
export interface Condition {
  type: string;
  uom: string;
  min?: number;
  max?: number;
}

/** One sensor reading of a step, judged against the product's condition of its type. */
export interface Reading {
  type: string;
  /** "Temperature" for gs1:Temperature. */
  label: string;
  value: number;
  /** "4.5 °C" */
  display: string;
  uom: string;
  /** When it was taken: its own time, else its event's. */
  time: string;
  /** Outside the product's condition range ("2–6 °C"), when there is one. */
  outOfRange: boolean;
  range?: string;
  /** The step it came from, and who recorded it. */
  step: string;
  by?: string;
  /** Set when the reading was taken on a pallet the subject travelled in. */
  via?: string;
}

/** A thing a step links to: a transformation input or output, a pallet, what was packed. */
export interface StepLink {
  epc: string;
  /** "Lot RM26111801 of GTIN 09521001001007" */
  text: string;
  /** "1,200 L" */
  detail?: string;
}

/** A labelled fact of a step: "Handed over to: Nordic Reefer Logistics". */
export interface StepFact {
  term: string;
  text: string;
  href?: string;
}

export type Verdict =
  | { state: 'checking' }
  | { state: 'verified' }
  | { state: 'failed'; reason: string }
  /** Arrived live after the last verification; it is checked with the next one. */
  | { state: 'new' };

/** One step of the journey as the timeline shows it. */
export interface TimelineStep {
  hash: string;
  type: TxType;
  title: string;
  /** Height of the block that recorded it; undefined for a live step not yet placed. */
  height?: number;
  recordTime?: string;
  eventTime?: string;
  signer: string;
  org?: { id: string; name: string };
  location?: { gln: string; name?: string };
  /** The pallet or container it happened to, when not the subject itself. */
  via?: string;
  facts: StepFact[];
  links: { term: string; items: StepLink[] }[];
  readings: Reading[];
  /** Hashes of verified corrections that declare this event erroneous. */
  corrections: string[];
  verdict: Verdict;
}

/** Another thing of the bundle: a transformation input or a pallet, with its checked history. */
export interface RelatedThing {
  epc: string;
  role: 'input' | 'pallet' | 'other';
  steps: number;
  failed: number;
}
