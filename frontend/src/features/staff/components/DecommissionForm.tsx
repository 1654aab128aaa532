'use client';
/**
 * Decommission items or lots (`product.decommission`): sold to a consumer, destroyed, expired,
 * consumed, lost. Final for the chain: nothing more is recorded for them afterwards, so the
 * pre-check refuses what you do not hold, what is on its way, and what is already gone.
 */
import { useId, useState, type SubmitEvent } from 'react';
import type { PayloadOf } from '@waybill/shared/tx';
import { useStaffAction } from '../hooks/action';
import { useSession } from '../hooks/session';
import { eventFields, initialEventInput, noteProblem, type EventFieldInput } from '../utils/event';
import { checkDecommission } from '../utils/prechecks';
import { EventFieldsInput } from './EventFieldsInput';
import { ProblemList } from './ProblemList';
import { ThingCodes } from './ThingCodes';
import { TxProgress } from './TxProgress';

type Reason = PayloadOf<'product.decommission'>['reason'];

const REASONS: { value: Reason; label: string }[] = [
  { value: 'sold', label: 'Sold to a consumer' },
  { value: 'consumed', label: 'Consumed or used up' },
  { value: 'expired', label: 'Expired' },
  { value: 'destroyed', label: 'Destroyed' },
  { value: 'lost', label: 'Lost' },
  { value: 'other', label: 'Other (say why in the note)' },
];

interface Errors {
  epcs?: string;
  reason?: string;
}

export function DecommissionForm({ initialEpcs = [] }: { initialEpcs?: string[] }) {
  const id = useId();
  const session = useSession();
  const action = useStaffAction();
  const [epcs, setEpcs] = useState<string[]>(initialEpcs);
  const [reason, setReason] = useState<Reason | ''>('');
  const [event, setEvent] = useState<EventFieldInput>(() => initialEventInput(session));
  const [errors, setErrors] = useState<Errors>({});

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Errors = {};
    if (epcs.length === 0) found.epcs = 'Add at least one item or lot to decommission.';
    if (reason === '') found.reason = 'Choose why they leave the supply chain.';
    setErrors(found);
    if (reason === '' || Object.keys(found).length > 0 || noteProblem(event.note)) return;

    action.run(async ({ things, sign }) => {
      const problems = checkDecommission(epcs, await things(epcs), session.org);
      if (problems.length > 0) return problems;
      return sign('product.decommission', { epcs, reason, ...eventFields(event) });
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Decommission">
      <ThingCodes
        legend="Items to decommission"
        inputLabel="Item or lot code"
        hint="Scan each label's QR code, or type an EPC or GS1 Digital Link. Pallets are unpacked, not decommissioned."
        kinds={['item', 'lot']}
        values={epcs}
        onChange={setEpcs}
        error={errors.epcs}
      />
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <select
          id={`${id}-reason`}
          value={reason}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
          onChange={(e) => {
            setReason(e.target.value as Reason | '');
          }}
        >
          <option value="">Choose a reason</option>
          {REASONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        {errors.reason ? (
          <p id={`${id}-reason-error`} className="field-error" role="alert">
            {errors.reason}
          </p>
        ) : null}
      </div>
      <EventFieldsInput value={event} onChange={setEvent} />
      <p className="field-hint">
        Decommissioning is final: nothing more can be recorded for these items afterwards.
      </p>
      <ProblemList problems={action.problems} />
      <div className="pager">
        <button type="submit" className="button danger" disabled={action.busy}>
          {action.checking ? 'Checking…' : 'Sign and decommission'}
        </button>
        {action.submission.phase === 'final' ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setEpcs([]);
              setReason('');
              setEvent((current) => ({ ...current, note: '' }));
              action.reset();
            }}
          >
            Decommission more
          </button>
        ) : null}
      </div>
      <TxProgress submission={action.submission} what="Decommissioning" />
    </form>
  );
}
