/** The fields every physical event carries: when (now), optionally where (the org's GLN), a note. */
import type { StaffSession } from '../types';

export interface EventFieldInput {
  /** Record the organization's GLN as the business location. */
  atOrgLocation: boolean;
  note: string;
}

export interface EventFields {
  eventTime: string;
  bizLocation?: string;
  note?: string;
}

export function eventFields(
  session: StaffSession,
  input: EventFieldInput,
  now: Date = new Date(),
): EventFields {
  const note = input.note.trim();
  const gln = session.org.gln;
  return {
    eventTime: now.toISOString(),
    ...(input.atOrgLocation && gln ? { bizLocation: gln } : {}),
    ...(note ? { note } : {}),
  };
}

export const MAX_NOTE_LENGTH = 2000;

/** Why a note cannot be signed, or undefined. */
export function noteProblem(note: string): string | undefined {
  return note.trim().length > MAX_NOTE_LENGTH
    ? `The note is ${String(note.trim().length)} characters; keep it under ${String(MAX_NOTE_LENGTH)}.`
    : undefined;
}

const DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,9})?$/;

/**
 * A typed reading as the decimal string the protocol signs ("4,5" becomes "4.5"), or undefined
 * when it is not a number the protocol accepts.
 */
export function toDecimal(typed: string): string | undefined {
  const value = typed.trim().replace(',', '.').replace(/^\+/, '');
  return DECIMAL.test(value) && value !== '-0' ? value : undefined;
}
