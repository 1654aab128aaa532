'use client';
/**
 * Hand over custody of items, lots or pallets to another organization (`custody.handover`). They
 * stay with you, in transit, until the receiver accepts; pre-checked so that nothing you do not
 * hold, nothing already on its way and nothing decommissioned is signed for.
 */
import { useState, type SubmitEvent } from 'react';
import { useStaffAction } from '../hooks/action';
import { useOrganizations } from '../hooks/organizations';
import { useSession } from '../hooks/session';
import { ORG_EXISTS_QUERY } from '../queries';
import type { OrgSummary } from '../types';
import { ALL_THING_KINDS } from '../utils/codes';
import { eventFields, initialEventInput, noteProblem, type EventFieldInput } from '../utils/event';
import { checkHandover } from '../utils/prechecks';
import { EventFieldsInput } from './EventFieldsInput';
import { OrgPicker } from './OrgPicker';
import { ProblemList } from './ProblemList';
import { ThingCodes } from './ThingCodes';
import { TxProgress } from './TxProgress';

interface Errors {
  epcs?: string;
  to?: string;
}

export function HandoverForm({ initialEpcs = [] }: { initialEpcs?: string[] }) {
  const session = useSession();
  const organizations = useOrganizations();
  const action = useStaffAction();
  const [epcs, setEpcs] = useState<string[]>(initialEpcs);
  const [to, setTo] = useState('');
  const [event, setEvent] = useState<EventFieldInput>(() => initialEventInput(session));
  const [errors, setErrors] = useState<Errors>({});

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Errors = {};
    if (epcs.length === 0) found.epcs = 'Add at least one item, lot or pallet to hand over.';
    if (to === '') found.to = 'Choose the organization that receives them.';
    else if (to === session.org.id)
      found.to = 'That is your own organization: choose the receiver.';
    setErrors(found);
    if (Object.keys(found).length > 0 || noteProblem(event.note)) return;

    action.run(async ({ client, things, sign }) => {
      let receiver: OrgSummary | null =
        organizations.status === 'ready'
          ? (organizations.organizations.find((org) => org.id === to) ?? null)
          : null;
      if (!receiver) {
        receiver = (
          await client.request<{ organization: OrgSummary | null }>(ORG_EXISTS_QUERY, { id: to })
        ).organization;
        if (!receiver) {
          return [
            { message: `There is no organization "${to}" on this chain. Check the receiver's id.` },
          ];
        }
      }
      const problems = checkHandover(epcs, receiver, await things(epcs), session.org);
      if (problems.length > 0) return problems;
      return sign('custody.handover', { epcs, to: receiver.id, ...eventFields(event) });
    });
  };

  const done = action.submission.phase === 'final';
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Hand over">
      <ThingCodes
        legend="Items to hand over"
        inputLabel="Item, lot or pallet code"
        hint="Scan each label's QR code, or type an EPC or GS1 Digital Link. A pallet takes everything packed in it along."
        kinds={ALL_THING_KINDS}
        values={epcs}
        onChange={setEpcs}
        error={errors.epcs}
      />
      <OrgPicker
        label="Receiving organization"
        list={organizations}
        value={to}
        onChange={setTo}
        exclude={session.org.id}
        error={errors.to}
        hint="Custody moves once they accept; until then the items stay with you, in transit."
      />
      <EventFieldsInput value={event} onChange={setEvent} />
      <ProblemList problems={action.problems} />
      <div className="pager">
        <button type="submit" className="button" disabled={action.busy}>
          {action.checking ? 'Checking…' : 'Sign and hand over'}
        </button>
        {done ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setEpcs([]);
              setEvent((current) => ({ ...current, note: '' }));
              action.reset();
            }}
          >
            New handover
          </button>
        ) : null}
      </div>
      <TxProgress submission={action.submission} what="Handover" />
    </form>
  );
}
