/**
 * The journey as the timeline shows it: each step of a verified (or still unchecked) bundle
 * journey turned into who, where, when, what it did to the subject, the things it links to and
 * its sensor readings judged against the product's conditions. Pure: the server uses it for the
 * first paint, the browser again once it has checked the bundle itself.
 */
import type { BundleVerification, JourneyStep } from '@waybill/shared/bundle';
import { itemEpc, lotEpc } from '@waybill/shared/gs1';
import type { SignedTx, TxType } from '@waybill/shared/tx';
import { shortHash, txLabel } from '@/lib/format';
import { routes } from '@/lib/routes';
import type {
  Condition,
  Reading,
  RelatedThing,
  StepFact,
  StepLink,
  TimelineStep,
  Verdict,
} from '../types';
import { conditionFor, formatMeasure, formatRange, isOutOfRange, readingLabel } from './conditions';
import { epcLabel } from './identifier';

/** What a step is made from: a journey step, or a live event not yet in a checked bundle. */
export interface StepSource {
  hash: string;
  type: TxType;
  height?: number;
  recordTime?: string;
  eventTime?: string;
  signer: string;
  org?: { id: string; name: string };
  location?: { gln: string; name?: string };
  via?: string;
  tx: SignedTx;
  corrections?: string[];
}

export interface TimelineContext {
  /** The EPC the page is about. */
  subject: string;
  conditions: readonly Condition[];
  /** Organization names by id, for the receivers of handovers. */
  orgNames: Readonly<Record<string, string>>;
}

/** How many linked things a step lists before "and N more". */
export const MAX_LINKS = 8;

const QUANTITY_UNITS: Record<string, string> = {
  LTR: 'L',
  KGM: 'kg',
  GRM: 'g',
  MTR: 'm',
  EA: 'units',
  H87: 'pieces',
  CEL: '°C',
};

/** "1,200 L", "2,200 units"; a unit code without a symbol as it is. */
export function formatQuantity(quantity: string, unit?: string): string {
  const n = Number(quantity);
  const text = Number.isFinite(n) ? new Intl.NumberFormat('en').format(n) : quantity;
  return unit ? `${text} ${QUANTITY_UNITS[unit] ?? unit}` : text;
}

/** "in_transit" → "in transit"; "urn:epcglobal:cbv:bizstep:receiving" → "receiving". */
export function humanize(value: string): string {
  const tail = value.split(/[:/#]/).pop() ?? value;
  return tail.replace(/[_-]+/g, ' ').trim();
}

function orgName(ctx: TimelineContext, id: string): string {
  return ctx.orgNames[id] ?? id;
}

function linkGroup(term: string, items: StepLink[]): { term: string; items: StepLink[] }[] {
  return items.length > 0 ? [{ term, items }] : [];
}

function outputEpcs(output: { gtin: string; serials?: string[]; lot?: string }): string[] {
  if (output.serials) return output.serials.map((serial) => itemEpc(output.gtin, serial));
  return output.lot !== undefined ? [lotEpc(output.gtin, output.lot)] : [];
}

function title(tx: SignedTx): string {
  if (tx.type === 'event.observe') {
    const first = tx.payload.sensorReadings?.[0];
    if (first) {
      const types = new Set(tx.payload.sensorReadings?.map((r) => r.type));
      return types.size === 1 ? `${readingLabel(first.type)} recorded` : 'Sensor readings recorded';
    }
    if (tx.payload.bizStep !== undefined) return `Observed: ${humanize(tx.payload.bizStep)}`;
  }
  return txLabel(tx.type);
}

/** What the step did, as facts and links; `subject` decides which side of a packing or transformation it is on. */
function details(
  tx: SignedTx,
  ctx: TimelineContext,
): { facts: StepFact[]; links: { term: string; items: StepLink[] }[] } {
  const facts: StepFact[] = [];
  let links: { term: string; items: StepLink[] }[] = [];
  const { subject } = ctx;
  const link = (epc: string, detail?: string): StepLink => ({
    epc,
    text: epcLabel(epc),
    ...(detail !== undefined && { detail }),
  });
  switch (tx.type) {
    case 'product.commission': {
      const p = tx.payload;
      if (p.serials) {
        const n = p.serials.length;
        facts.push({
          term: 'Made',
          text: `${new Intl.NumberFormat('en').format(n)} ${n === 1 ? 'item' : 'items'}${p.lot !== undefined ? ` of lot ${p.lot}` : ''}`,
        });
      } else if (p.lot !== undefined) {
        facts.push({
          term: 'Made',
          text: `Lot ${p.lot}${p.quantity !== undefined ? `, ${formatQuantity(p.quantity, p.unit)}` : ''}`,
        });
      }
      if (p.expiry !== undefined) facts.push({ term: 'Use by', text: p.expiry });
      break;
    }
    case 'event.observe': {
      const p = tx.payload;
      if (p.bizStep !== undefined) facts.push({ term: 'Activity', text: humanize(p.bizStep) });
      if (p.disposition !== undefined)
        facts.push({ term: 'Condition', text: humanize(p.disposition) });
      if (p.documents && p.documents.length > 0)
        facts.push({
          term: 'Documents',
          text: p.documents.map((d) => `${humanize(d.type)} (${shortHash(d.hash)})`).join(', '),
        });
      break;
    }
    case 'custody.handover':
      facts.push({
        term: 'Handed to',
        text: orgName(ctx, tx.payload.to),
        href: routes.org(tx.payload.to),
      });
      break;
    case 'custody.accept':
      facts.push({
        term: 'Accepting',
        text: `handover ${shortHash(tx.payload.transfer)}`,
        href: routes.tx(tx.payload.transfer),
      });
      break;
    case 'custody.reject':
    case 'custody.cancel':
      facts.push({
        term: 'Handover',
        text: shortHash(tx.payload.transfer),
        href: routes.tx(tx.payload.transfer),
      });
      if (tx.payload.reason !== undefined) facts.push({ term: 'Reason', text: tx.payload.reason });
      break;
    case 'ownership.transfer':
      facts.push({
        term: 'New owner',
        text: orgName(ctx, tx.payload.to),
        href: routes.org(tx.payload.to),
      });
      break;
    case 'aggregate.pack': {
      const { parent, children } = tx.payload;
      if (parent === subject) {
        const shown = children.slice(0, MAX_LINKS).map((epc) => link(epc));
        links = linkGroup(`Packed into it (${children.length})`, shown);
      } else {
        links = linkGroup('Packed into', [link(parent)]);
      }
      break;
    }
    case 'aggregate.unpack': {
      const { parent, children } = tx.payload;
      if (parent === subject) {
        facts.push({
          term: 'Unpacked',
          text: children
            ? `${children.length} ${children.length === 1 ? 'thing' : 'things'}`
            : 'everything in it',
        });
      } else {
        links = linkGroup('Unpacked from', [link(parent)]);
      }
      break;
    }
    case 'transform': {
      const { inputs, outputs } = tx.payload;
      const used = inputs.find((i) => i.epc === subject);
      if (used?.quantity !== undefined)
        facts.push({ term: 'Used', text: formatQuantity(used.quantity) });
      links = [
        ...linkGroup(
          'Made from',
          inputs
            .filter((i) => i.epc !== subject)
            .map((i) =>
              link(
                i.epc,
                i.quantity !== undefined ? `${formatQuantity(i.quantity)} used` : undefined,
              ),
            ),
        ),
        ...linkGroup(
          'Made into',
          outputs
            .flatMap((o) =>
              outputEpcs(o).map((epc) => ({
                epc,
                quantity: o.serials ? undefined : o.quantity,
                unit: o.unit,
              })),
            )
            .filter((o) => o.epc !== subject)
            .slice(0, MAX_LINKS)
            .map((o) =>
              link(
                o.epc,
                o.quantity !== undefined ? formatQuantity(o.quantity, o.unit) : undefined,
              ),
            ),
        ),
      ];
      break;
    }
    case 'product.decommission':
      facts.push({ term: 'Reason', text: humanize(tx.payload.reason) });
      break;
    case 'recall.issue':
      facts.push({ term: 'Recall reason', text: tx.payload.reason });
      break;
    case 'event.correct':
      facts.push({
        term: 'Corrects',
        text: shortHash(tx.payload.target),
        href: routes.tx(tx.payload.target),
      });
      facts.push({
        term: 'Because',
        text: tx.payload.reason === 'did_not_occur' ? 'it did not happen' : 'its data was wrong',
      });
      break;
    default:
      break;
  }
  const note = (tx.payload as { note?: unknown }).note;
  if (typeof note === 'string') facts.push({ term: 'Note', text: note });
  return { facts, links };
}

function readingsOf(source: StepSource, ctx: TimelineContext): Reading[] {
  if (source.tx.type !== 'event.observe') return [];
  return (source.tx.payload.sensorReadings ?? []).flatMap((r): Reading[] => {
    const value = Number(r.value);
    if (!Number.isFinite(value)) return [];
    const condition = conditionFor(ctx.conditions, r.type, r.uom);
    return [
      {
        type: r.type,
        label: readingLabel(r.type),
        value,
        display: formatMeasure(r.value, r.uom),
        uom: r.uom,
        time: r.time ?? source.eventTime ?? source.recordTime ?? '',
        outOfRange: isOutOfRange(value, condition),
        ...(condition && { range: formatRange(condition) }),
        step: source.hash,
        ...(source.org && { by: source.org.name }),
        ...(source.via !== undefined && { via: source.via }),
      },
    ];
  });
}

export function describeStep(
  source: StepSource,
  ctx: TimelineContext,
  verdict: Verdict,
): TimelineStep {
  const { facts, links } = details(source.tx, ctx);
  return {
    hash: source.hash,
    type: source.type,
    title: title(source.tx),
    ...(source.height !== undefined && { height: source.height }),
    ...(source.recordTime ? { recordTime: source.recordTime } : {}),
    ...(source.eventTime !== undefined && { eventTime: source.eventTime }),
    signer: source.signer,
    ...(source.org && { org: source.org }),
    ...(source.location && { location: source.location }),
    ...(source.via !== undefined && { via: source.via }),
    facts,
    links,
    readings: readingsOf(source, ctx),
    corrections: source.corrections ?? [],
    verdict,
  };
}

/** The verdict the verifier gave a step. */
export function verdictOf(step: Pick<JourneyStep, 'verified' | 'reason'>): Verdict {
  return step.verified
    ? { state: 'verified' }
    : { state: 'failed', reason: step.reason ?? 'it could not be verified' };
}

/** Organization names of every signer in the bundle's journeys, by id. */
export function orgNamesOf(
  verification: Pick<BundleVerification, 'journey' | 'related' | 'organizations'>,
): Record<string, string> {
  const names: Record<string, string> = {};
  const steps = [...verification.journey, ...Object.values(verification.related).flat()];
  for (const step of steps) if (step.org) names[step.org.id] = step.org.name;
  for (const org of verification.organizations) names[org.id] = org.name;
  return names;
}

/** The timeline of a verification result; `verdict` decides what each step says about its check. */
export function timelineOf(
  verification: BundleVerification,
  ctx: Omit<TimelineContext, 'orgNames'>,
  verdict: (step: JourneyStep) => Verdict = verdictOf,
): TimelineStep[] {
  const full: TimelineContext = { ...ctx, orgNames: orgNamesOf(verification) };
  return verification.journey.map((step) => describeStep(step, full, verdict(step)));
}

/** The other things of the bundle: what the subject was made from and the pallets it was in. */
export function relatedOf(verification: BundleVerification): RelatedThing[] {
  const inputs = new Set(verification.thing?.inputs ?? []);
  const pallets = new Set<string>();
  for (const step of verification.journey) {
    if (step.via !== undefined) pallets.add(step.via);
    if (step.tx.type === 'aggregate.pack' && step.tx.payload.parent !== verification.subject)
      pallets.add(step.tx.payload.parent);
    if (step.tx.type === 'transform')
      for (const input of step.tx.payload.inputs)
        if (input.epc !== verification.subject) inputs.add(input.epc);
  }
  return Object.entries(verification.related).map(([epc, steps]) => ({
    epc,
    role: inputs.has(epc) ? 'input' : pallets.has(epc) ? 'pallet' : 'other',
    steps: steps.length,
    failed: steps.filter((s) => !s.verified).length,
  }));
}

/** Every reading of the timeline, oldest first. */
export function readingsOfTimeline(steps: readonly TimelineStep[]): Reading[] {
  return steps.flatMap((s) => s.readings).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}
