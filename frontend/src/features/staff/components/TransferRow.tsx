'use client';
/**
 * One handover as an inbox card: who, how many things, and the answer buttons (accept or reject
 * for the receiver, cancel for the sender). Each answer is pre-checked before anything is signed,
 * then followed until it is final.
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Hash } from '@/components/Hash';
import { routes } from '@/lib/routes';
import { useStaffAction } from '../hooks/action';
import { useSession } from '../hooks/session';
import styles from '../staff.module.css';
import type { Transfer } from '../types';
import { describeEpc } from '../utils/codes';
import { eventFields } from '../utils/event';
import { checkTransferAnswer, type TransferAnswer } from '../utils/prechecks';
import { ProblemList } from './ProblemList';
import { TxProgress } from './TxProgress';

const ANSWER_TYPES = {
  accept: 'custody.accept',
  reject: 'custody.reject',
  cancel: 'custody.cancel',
} as const;

const ANSWER_WORDS: Record<TransferAnswer, string> = {
  accept: 'Acceptance',
  reject: 'Rejection',
  cancel: 'Cancellation',
};

function count(n: number, one: string): string {
  return `${String(n)} ${one}${n === 1 ? '' : 's'}`;
}

export function TransferRow({
  transfer,
  direction,
  acceptAt = '',
  onStart,
  onFinal,
}: {
  transfer: Transfer;
  direction: 'incoming' | 'outgoing';
  /** The GLN an acceptance records as where the things arrived; empty records none. */
  acceptAt?: string;
  /** The member answered: keep the row in view while the answer is on its way. */
  onStart: (transfer: Transfer) => void;
  /** The answer is final: the lists have changed. */
  onFinal: () => void;
}) {
  const session = useSession();
  const action = useStaffAction();
  const [answer, setAnswer] = useState<TransferAnswer | null>(null);
  const other = direction === 'incoming' ? transfer.from : transfer.to;
  const things = count(transfer.epcs.length, 'thing');
  const finished = action.submission.phase === 'final';

  useEffect(() => {
    if (finished) onFinal();
  }, [finished, onFinal]);

  const answerWith = (chosen: TransferAnswer) => {
    setAnswer(chosen);
    onStart(transfer);
    action.run(({ sign }) => {
      const problems = checkTransferAnswer(transfer, chosen, session.org);
      if (problems.length > 0) return Promise.resolve(problems);
      return Promise.resolve(
        sign(ANSWER_TYPES[chosen], {
          transfer: transfer.id,
          ...eventFields({ bizLocation: chosen === 'accept' ? acceptAt : '', note: '' }),
        }),
      );
    });
  };

  const answered = answer !== null && action.submission.phase !== 'idle';
  return (
    <li className={`card ${styles.transfer}`}>
      <h3>
        {direction === 'incoming' ? `From ${other}` : `To ${other}`}{' '}
        <span className="badge warn">{things}</span>
      </h3>
      <p className="muted">
        Handed over in block{' '}
        <Link href={routes.block(transfer.createdAt)}>#{transfer.createdAt}</Link> ·{' '}
        <Hash value={transfer.id} href={routes.tx(transfer.id)} label="handover transaction" />
      </p>
      <ul className={styles.things}>
        {transfer.epcs.map((epc) => (
          <li key={epc}>
            <Link href={routes.thing(epc)}>{describeEpc(epc)}</Link>
          </li>
        ))}
      </ul>
      {answered ? null : (
        <div className={styles.answers}>
          {direction === 'incoming' ? (
            <>
              <button
                type="button"
                className="button"
                disabled={action.busy}
                aria-label={`Accept ${things} from ${other}`}
                onClick={() => {
                  answerWith('accept');
                }}
              >
                Accept
              </button>
              <button
                type="button"
                className="button secondary"
                disabled={action.busy}
                aria-label={`Reject ${things} from ${other}`}
                onClick={() => {
                  answerWith('reject');
                }}
              >
                Reject
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button secondary"
              disabled={action.busy}
              aria-label={`Cancel handover of ${things} to ${other}`}
              onClick={() => {
                answerWith('cancel');
              }}
            >
              Cancel handover
            </button>
          )}
        </div>
      )}
      <ProblemList
        problems={action.problems}
        title={action.problems.length > 0 ? 'Nothing was signed.' : undefined}
      />
      {answer ? <TxProgress submission={action.submission} what={ANSWER_WORDS[answer]} /> : null}
      {answer &&
      (action.submission.phase === 'rejected' || action.submission.phase === 'failed') ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setAnswer(null);
            action.reset();
          }}
        >
          Back
        </button>
      ) : null}
    </li>
  );
}
