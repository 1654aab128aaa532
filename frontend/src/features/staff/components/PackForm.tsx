'use client';
/**
 * Pack things into a pallet (`aggregate.pack`; a new SSCC is created by packing into it) or
 * unpack them (`aggregate.unpack`; all of them when none are listed). Pre-checked: you must hold
 * the pallet and what goes in, nothing may be packed twice or into itself.
 */
import { useState, type SubmitEvent } from 'react';
import { useStaffAction } from '../hooks/action';
import { useSession } from '../hooks/session';
import { ALL_THING_KINDS } from '../utils/codes';
import { eventFields, initialEventInput, noteProblem, type EventFieldInput } from '../utils/event';
import { checkPack, checkUnpack } from '../utils/prechecks';
import { EventFieldsInput } from './EventFieldsInput';
import { ProblemList } from './ProblemList';
import { ThingCodes } from './ThingCodes';
import { TxProgress } from './TxProgress';

interface Errors {
  parent?: string;
  children?: string;
}

export function PackForm({
  mode,
  initialParent,
}: {
  mode: 'pack' | 'unpack';
  initialParent?: string;
}) {
  const session = useSession();
  const action = useStaffAction();
  const [parent, setParent] = useState<string[]>(initialParent ? [initialParent] : []);
  const [children, setChildren] = useState<string[]>([]);
  const [event, setEvent] = useState<EventFieldInput>(() => initialEventInput(session));
  const [errors, setErrors] = useState<Errors>({});
  const packing = mode === 'pack';

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found: Errors = {};
    const pallet = parent[0];
    if (!pallet) found.parent = 'Scan or type the pallet’s SSCC.';
    if (packing && children.length === 0) found.children = 'Add at least one thing to pack.';
    setErrors(found);
    if (!pallet || Object.keys(found).length > 0 || noteProblem(event.note)) return;

    action.run(async ({ things, sign }) => {
      const states = await things([pallet, ...children]);
      if (packing) {
        const problems = checkPack(pallet, children, states, session.org);
        if (problems.length > 0) return problems;
        return sign('aggregate.pack', { parent: pallet, children, ...eventFields(event) });
      }
      const problems = checkUnpack(pallet, children, states, session.org);
      if (problems.length > 0) return problems;
      return sign('aggregate.unpack', {
        parent: pallet,
        ...(children.length > 0 ? { children } : {}),
        ...eventFields(event),
      });
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={packing ? 'Pack' : 'Unpack'}>
      <ThingCodes
        legend="Pallet"
        inputLabel="Pallet code (SSCC)"
        hint={
          packing
            ? 'The pallet or container’s SSCC label. A pallet that is not on the chain yet is created by packing into it.'
            : 'The pallet or container to unpack.'
        }
        kinds={['unit']}
        values={parent}
        onChange={setParent}
        single
        error={errors.parent}
      />
      <ThingCodes
        legend={packing ? 'Things to pack' : 'Things to take out'}
        inputLabel="Item, lot or pallet code"
        hint={
          packing
            ? 'Scan each label, or type an EPC or GS1 Digital Link.'
            : 'Leave the list empty to unpack everything in the pallet.'
        }
        kinds={ALL_THING_KINDS}
        values={children}
        onChange={setChildren}
        error={errors.children}
      />
      <EventFieldsInput value={event} onChange={setEvent} />
      <ProblemList problems={action.problems} />
      <div className="pager">
        <button type="submit" className="button" disabled={action.busy}>
          {action.checking ? 'Checking…' : packing ? 'Sign and pack' : 'Sign and unpack'}
        </button>
        {action.submission.phase === 'final' ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setParent([]);
              setChildren([]);
              setEvent((current) => ({ ...current, note: '' }));
              action.reset();
            }}
          >
            {packing ? 'Pack another' : 'Unpack another'}
          </button>
        ) : null}
      </div>
      <TxProgress submission={action.submission} what={packing ? 'Packing' : 'Unpacking'} />
    </form>
  );
}
