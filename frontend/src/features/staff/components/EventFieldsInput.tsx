'use client';
/** Where and with what note an event is recorded; its time is when it is signed. */
import { useId } from 'react';
import { useSession } from '../hooks/session';
import styles from '../staff.module.css';
import { MAX_NOTE_LENGTH, noteProblem, type EventFieldInput } from '../utils/event';

export function EventFieldsInput({
  value,
  onChange,
}: {
  value: EventFieldInput;
  onChange: (value: EventFieldInput) => void;
}) {
  const id = useId();
  const { org } = useSession();
  const problem = noteProblem(value.note);
  return (
    <>
      {org.gln ? (
        <div className="field">
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={value.atOrgLocation}
              onChange={(event) => {
                onChange({ ...value, atOrgLocation: event.target.checked });
              }}
            />
            Record the location: {org.name} (GLN {org.gln})
          </label>
        </div>
      ) : null}
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
