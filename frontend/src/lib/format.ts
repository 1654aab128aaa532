/** Display helpers shared by every slice: short hashes, times with their zone, counts. */
import type { TxType } from '@waybill/shared/tx';

/** `a1b2c3…d4e5` for long hex; short values unchanged. */
export function shortHash(value: string, head = 8, tail = 6): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 seconds"; "now" within a second. */
export function relativeTime(iso: string, now: number, locale?: string): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(seconds)) return iso;
  if (Math.abs(seconds) < 1) return 'now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return format.format(Math.trunc(seconds / size), unit);
  }
  return iso;
}

/** "25 Nov 2026, 21:38:22 CET" in the given zone (the viewer's by default). */
export function absoluteTime(iso: string, timeZone?: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat('en').format(value);
}

/** Transaction types as people say them. */
export const TX_LABELS: Record<TxType, string> = {
  'org.register': 'Organization registered',
  'org.update': 'Organization updated',
  'member.add': 'Member added',
  'member.revoke': 'Member revoked',
  'authority.vote': 'Authority vote',
  'authority.evidence': 'Equivocation evidence',
  'product.define': 'Product defined',
  'product.commission': 'Commissioned',
  'event.observe': 'Observed',
  'custody.handover': 'Handed over',
  'custody.accept': 'Accepted',
  'custody.reject': 'Refused',
  'custody.cancel': 'Handover cancelled',
  'ownership.transfer': 'Ownership transferred',
  'aggregate.pack': 'Packed',
  'aggregate.unpack': 'Unpacked',
  transform: 'Transformed',
  'recall.issue': 'Recall issued',
  'recall.close': 'Recall closed',
  'product.decommission': 'Decommissioned',
  'location.define': 'Location defined',
  'location.update': 'Location updated',
  'event.correct': 'Corrected',
};

export function txLabel(type: string | null | undefined): string {
  if (!type) return 'Transaction';
  return (TX_LABELS as Record<string, string | undefined>)[type] ?? type;
}
