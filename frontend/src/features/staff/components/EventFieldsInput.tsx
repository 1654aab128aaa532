'use client';
/** Where and with what note an event is recorded; its time is when it is signed. */
import { useId } from 'react';
import { useSession } from '../hooks/session';
import {
  locationChoices,
  MAX_NOTE_LENGTH,
  noteProblem,
  type EventFieldInput,
} from '../utils/event';

/**
 * Picks the business location among the organization's locations (or its own GLN when it
 * defined none), or none at all. Renders nothing when there is nothing to pick.
 */
export function LocationSelect({
  value,
  onChange,
  label = 'Location',
  hint = 'Where this happens; signed with the event as its business location.',
}: {
  value: string;
  onChange: (gln: string) => void;
  label?: string;
  hint?: string;
}) {
  const id = useId();
  const { org } = useSession();
  const choices = locationChoices(org);
  if (choices.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor={`${id}-location`}>{label}</label>
      <select
        id={`${id}-location`}
        value={value}
        aria-describedby={`${id}-location-hint`}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {choices.map((choice) => (
          <option key={choice.gln} value={choice.gln}>
            {choice.label}
          </option>
        ))}
        <option value="">No location</option>
      </select>
      <p id={`${id}-location-hint`} className="field-hint">
        {hint}
      </p>
    </div>
  );
}

export function EventFieldsInput({
  value,
  onChange,
}: {
  value: EventFieldInput;
  onChange: (value: EventFieldInput) => void;
}) {
  const id = useId();
  const problem = noteProblem(value.note);
  return (
    <>
      <LocationSelect
        value={value.bizLocation}
        onChange={(bizLocation) => {
          onChange({ ...value, bizLocation });
        }}
      />
      <div className="field">
        <label htmlFor={`${id}-note`}>
          Note <span className="field-hint">(optional, signed and public)</span>
        </label>
        <textarea
          id={`${id}-note`}
          rows={2}
          maxLength={MAX_NOTE_LENGTH}
          value={value.note}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-note-error` : undefined}
          onChange={(event) => {
            onChange({ ...value, note: event.target.value });
          }}
        />
        {problem ? (
          <p id={`${id}-note-error`} className="field-error">
            {problem}
          </p>
        ) : null}
      </div>
      <p className="field-hint">The event time is the moment you sign.</p>
    </>
  );
}
