'use client';
/**
 * The inbox: handovers waiting for the organization's answer (accept or reject, one click each)
 * and its own handovers still waiting for the receiver (cancel). Refreshed when a block with
 * transactions is finalized; a row that was answered stays, with its progress, until the page
 * is left.
 */
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { Hash } from '@/components/Hash';
import { EmptyState, ErrorState, Skeleton } from '@/components/states';
import { useNodeClient } from '@/lib/browser-node';
import { useSubscription } from '@/lib/live';
import { routes } from '@/lib/routes';
import { useStaffAction } from '../hooks/action';
import { useSession } from '../hooks/session';
import { BLOCK_FINALIZED_SUBSCRIPTION, INBOX_QUERY } from '../queries';
import styles from '../staff.module.css';
import type { Transfer } from '../types';
import { describeEpc } from '../utils/codes';
import { defaultLocation, eventFields } from '../utils/event';
import { checkTransferAnswer, type TransferAnswer } from '../utils/prechecks';
import { LocationSelect } from './EventFieldsInput';
import { ProblemList } from './ProblemList';
import { TxProgress } from './TxProgress';

interface InboxData {
  incoming: Transfer[];
  outgoing: Transfer[];
}

type InboxState =
  | { status: 'loading' }
  | { status: 'error'; message: string; code?: string }
  | { status: 'ready'; data: InboxData };

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

function TransferRow({
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

/** Keeps rows the member answered this visit, so their progress stays in view. */
function withKept(fetched: Transfer[], kept: Transfer[], keep: (t: Transfer) => boolean) {
  const ids = new Set(fetched.map((t) => t.id));
  return [...fetched, ...kept.filter((t) => keep(t) && !ids.has(t.id))];
}

export function Inbox() {
  const client = useNodeClient();
  const { org } = useSession();
  const [state, setState] = useState<InboxState>({ status: 'loading' });
  const [acceptAt, setAcceptAt] = useState(() => defaultLocation(org));
  const [version, setVersion] = useState(0);
  const [kept, setKept] = useState<Transfer[]>([]);

  useEffect(() => {
    let live = true;
    client
      .request<{
        organization: { incomingTransfers: Transfer[]; outgoingTransfers: Transfer[] } | null;
      }>(INBOX_QUERY, { id: org.id })
      .then(
        (data) => {
          if (!live) return;
          if (!data.organization) {
            setState({
              status: 'error',
              message: `The node does not know ${org.id}.`,
              code: 'NOT_FOUND',
            });
            return;
          }
          setState({
            status: 'ready',
            data: {
              incoming: data.organization.incomingTransfers,
              outgoing: data.organization.outgoingTransfers,
            },
          });
        },
        (error: unknown) => {
          if (!live) return;
          setState({
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
            ...(typeof error === 'object' && error !== null && 'code' in error
              ? { code: String(error.code) }
              : {}),
          });
        },
      );
    return () => {
      live = false;
    };
  }, [client, org.id, version]);

  const refresh = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);

  useSubscription<{ blockFinalized: { height: number; txCount: number } }>(
    BLOCK_FINALIZED_SUBSCRIPTION,
    {},
    (data) => {
      if (data.blockFinalized.txCount > 0) refresh();
    },
  );

  const keep = useCallback((transfer: Transfer) => {
    setKept((current) =>
      current.some((t) => t.id === transfer.id) ? current : [...current, transfer],
    );
  }, []);

  if (state.status === 'loading') return <Skeleton lines={4} label="Loading the inbox" />;
  if (state.status === 'error') {
    return (
      <ErrorState
        title="The inbox could not be loaded"
        message={state.message}
        {...(state.code ? { code: state.code } : {})}
      />
    );
  }
  const incoming = withKept(state.data.incoming, kept, (t) => t.to === org.id);
  const outgoing = withKept(state.data.outgoing, kept, (t) => t.from === org.id);
  return (
    <>
      <section aria-labelledby="incoming-heading">
        <div className={styles.sectionHead}>
          <h2 id="incoming-heading">Waiting for you ({state.data.incoming.length})</h2>
          <button type="button" className="button secondary" onClick={refresh}>
            Refresh
          </button>
        </div>
        {incoming.length === 0 ? (
          <EmptyState title="No handovers are waiting for you.">
            <p className="muted">
              When another organization hands something over to {org.name}, it appears here.
            </p>
          </EmptyState>
        ) : (
          <>
            <LocationSelect
              label="Receive at"
              hint="Recorded with each acceptance as where the things arrived."
              value={acceptAt}
              onChange={setAcceptAt}
            />
            <ul className={styles.transfers} aria-label="Handovers to you">
              {incoming.map((transfer) => (
                <TransferRow
                  key={transfer.id}
                  transfer={transfer}
                  direction="incoming"
                  acceptAt={acceptAt}
                  onStart={keep}
                  onFinal={refresh}
                />
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="outgoing-heading">
        <h2 id="outgoing-heading">On their way from you ({state.data.outgoing.length})</h2>
        {outgoing.length === 0 ? (
          <EmptyState title="Nothing you handed over is waiting for the receiver." />
        ) : (
          <ul className={styles.transfers} aria-label="Handovers from you">
            {outgoing.map((transfer) => (
              <TransferRow
                key={transfer.id}
                transfer={transfer}
                direction="outgoing"
                onStart={keep}
                onFinal={refresh}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
