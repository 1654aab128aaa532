/**
 * The fields every physical event carries: when (now), optionally where (one of the
 * organization's locations, or its own GLN when it defined none), a note.
 */
import type { StaffOrg, StaffSession } from '../types';

export interface EventFieldInput {
  /** The GLN recorded as the business location; empty records none. */
  bizLocation: string;
  note: string;
}

export interface EventFields {
  eventTime: string;
  bizLocation?: string;
  note?: string;
}

export interface LocationChoice {
  gln: string;
  label: string;
}

/**
 * Where the organization's events can be recorded: the locations it defined, in the node's
 * order; or, when it defined none, its own GLN (if it has one).
 */
export function locationChoices(org: StaffOrg): LocationChoice[] {
  if (org.locations.length > 0) {
    return org.locations.map((location) => {
      const where = location.address
        ? ` · ${location.address.city}, ${location.address.country}`
        : '';
      return { gln: location.gln, label: `${location.name}${where} (GLN ${location.gln})` };
    });
  }
  return org.gln ? [{ gln: org.gln, label: `${org.name} (GLN ${org.gln})` }] : [];
}

/** The location an event is recorded at unless the member picks another: the first choice. */
export function defaultLocation(org: StaffOrg): string {
  return locationChoices(org)[0]?.gln ?? '';
}

/** A form's starting event fields: the default location and no note. */
export function initialEventInput(session: StaffSession): EventFieldInput {
  return { bizLocation: defaultLocation(session.org), note: '' };
}

export function eventFields(input: EventFieldInput, now: Date = new Date()): EventFields {
  const note = input.note.trim();
  return {
    eventTime: now.toISOString(),
    ...(input.bizLocation ? { bizLocation: input.bizLocation } : {}),
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
