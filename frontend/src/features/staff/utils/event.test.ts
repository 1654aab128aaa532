import { describe, expect, it } from 'vitest';
import { CHAMBER_GLN, DOCK_GLN, ORG, ORG_GLN } from '../test/fixtures';
import { defaultLocation, eventFields, locationChoices } from './event';

describe('event fields', () => {
  it('offers the organization’s locations in order, the first by default', () => {
    expect(locationChoices(ORG).map((c) => c.gln)).toEqual([DOCK_GLN, CHAMBER_GLN]);
    expect(defaultLocation(ORG)).toBe(DOCK_GLN);
  });

  it('falls back to the organization’s GLN, then to no location', () => {
    expect(locationChoices({ ...ORG, locations: [] })).toEqual([
      { gln: ORG_GLN, label: `Rotterdam Cold Hub (GLN ${ORG_GLN})` },
    ]);
    expect(defaultLocation({ ...ORG, locations: [] })).toBe(ORG_GLN);
    expect(defaultLocation({ ...ORG, gln: null, locations: [] })).toBe('');
  });

  it('signs the picked location and a trimmed note, and leaves out what is empty', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(eventFields({ bizLocation: CHAMBER_GLN, note: ' dock 4 ' }, now)).toEqual({
      eventTime: '2026-11-24T10:00:00.000Z',
      bizLocation: CHAMBER_GLN,
      note: 'dock 4',
    });
    expect(eventFields({ bizLocation: '', note: '  ' }, now)).toEqual({
      eventTime: '2026-11-24T10:00:00.000Z',
    });
  });
});
