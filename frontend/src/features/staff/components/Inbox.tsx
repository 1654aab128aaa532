'use client';
/**
 * The inbox: handovers waiting for the organization's answer (accept or reject, one click each)
 * and its own handovers still waiting for the receiver (cancel). Refreshed when a block with
 * transactions is finalized; a row that was answered stays, with its progress, until the page
 * is left. A handover can also be opened by its reference (see OpenHandover).
 */
import { useCallback, useEffect, useState } from 'react';
import { EmptyState, ErrorState, Skeleton } from '@/components/states';
import { useNodeClient } from '@/lib/browser-node';
import { useSubscription } from '@/lib/live';
import { useSession } from '../hooks/session';
import { BLOCK_FINALIZED_SUBSCRIPTION, INBOX_QUERY } from '../queries';
import styles from '../staff.module.css';
import type { Transfer } from '../types';
import { defaultLocation } from '../utils/event';
import { LocationSelect } from './EventFieldsInput';
import { OpenHandover } from './OpenHandover';
import { TransferRow } from './TransferRow';

interface InboxData {
  incoming: Transfer[];
  outgoing: Transfer[];
}

type InboxState =
  | { status: 'loading' }
  | { status: 'error'; message: string; code?: string }
  | { status: 'ready'; data: InboxData };

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
      <OpenHandover acceptAt={acceptAt} onFinal={refresh} />
    </>
  );
}
