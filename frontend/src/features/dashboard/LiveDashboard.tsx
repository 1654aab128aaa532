'use client';
/** The dashboard after first paint: blocks arrive over the subscription, the network is polled. */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Hash } from '@/components/Hash';
import { EmptyState } from '@/components/states';
import { TimeStamp } from '@/components/TimeStamp';
import { useNodeClient } from '@/lib/browser-node';
import { formatCount } from '@/lib/format';
import { useLiveState, useSubscription } from '@/lib/live';
import { routes } from '@/lib/routes';
import { AuthorityHealth } from '@/features/authorities/AuthorityHealth';
import { TxFeed } from '@/features/tx/TxFeed';
import { ActivityChart } from './ActivityChart';
import { initialState, isOnline, withBlock } from './live-state';
import {
  LIVE_BLOCK_FIELDS,
  NETWORK_FIELDS,
  type DashboardData,
  type LiveBlock,
  type NetworkStatus,
} from './model';

const BLOCKS_SUBSCRIPTION = `subscription { blockFinalized { ${LIVE_BLOCK_FIELDS} } }`;
const NETWORK_POLL_MS = 5000;

export function LiveDashboard({ data }: { data: DashboardData }) {
  const client = useNodeClient();
  const live = useLiveState();
  const [state, setState] = useState(() => initialState(data));
  const [network, setNetwork] = useState<NetworkStatus>(data.network);
  const names = Object.fromEntries(state.authorities.map((a) => [a.publicKey, a.name]));

  useSubscription<{ blockFinalized: LiveBlock }>(BLOCKS_SUBSCRIPTION, {}, ({ blockFinalized }) => {
    setState((s) => withBlock(s, blockFinalized));
  });

  useEffect(() => {
    const timer = setInterval(() => {
      client
        .request<{ network: NetworkStatus }>(`{ network { ${NETWORK_FIELDS} } }`)
        .then((d) => {
          setNetwork(d.network);
        })
        .catch(() => undefined);
    }, NETWORK_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [client]);

  const online = state.authorities.filter((a) => isOnline(a.lastSignedHeight, state.height));
  return (
    <>
      <dl className="stats">
        <div className="stat">
          <dt>Finalized height</dt>
          <dd data-testid="finalized-height">{formatCount(state.height)}</dd>
        </div>
        <div className="stat">
          <dt>Deciding height</dt>
          <dd>
            {formatCount(network.consensus.height)}
            <span className="muted" style={{ fontSize: '0.875rem', fontWeight: 400 }}>
              {' '}
              round {network.consensus.round}, {network.consensus.step}
            </span>
          </dd>
        </div>
        <div className="stat">
          <dt>Authorities online</dt>
          <dd>
            {online.length} / {state.authorities.length}
          </dd>
        </div>
        <div className="stat">
          <dt>Peers</dt>
          <dd>{network.peers.length}</dd>
        </div>
        <div className="stat">
          <dt>Live updates</dt>
          <dd>
            {live === 'live' ? (
              <span className="badge ok">Connected</span>
            ) : live === 'down' ? (
              <span className="badge bad">Reconnecting</span>
            ) : (
              <span className="badge warn">Connecting</span>
            )}
          </dd>
        </div>
      </dl>

      <section className="card" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Activity, last hour</h2>
        <ActivityChart buckets={state.activity} />
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="latest-blocks-heading">
          <h2 id="latest-blocks-heading">Latest blocks</h2>
          {state.blocks.length === 0 ? (
            <EmptyState title="No blocks yet" />
          ) : (
            <ul className="live-list" aria-live="polite" aria-label="Latest blocks">
              {state.blocks.map((b) => (
                <li key={b.hash}>
                  <Link href={routes.block(b.height)}>Block {b.height}</Link>
                  <span className="muted">
                    {b.txCount} events · {names[b.proposer] ?? b.proposer.slice(0, 8)}
                  </span>
                  <TimeStamp iso={b.timestamp} relative={false} />
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href={routes.blocks()}>All blocks →</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="latest-events-heading">
          <h2 id="latest-events-heading">Latest events</h2>
          {state.events.length === 0 ? (
            <EmptyState title="No events yet">
              Heartbeat blocks keep coming while nothing happens.
            </EmptyState>
          ) : (
            <TxFeed txs={state.events} label="Latest events" />
          )}
        </section>
      </div>

      <div className="grid">
        <section className="card" aria-labelledby="authorities-heading">
          <h2 id="authorities-heading">Authorities</h2>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Authorities and their last signature</caption>
              <thead>
                <tr>
                  <th scope="col">Authority</th>
                  <th scope="col">Last signed</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {state.authorities.map((a) => (
                  <tr key={a.publicKey}>
                    <td>
                      {a.name ?? 'Unnamed'} <Hash value={a.publicKey} label="authority key" />
                    </td>
                    <td>
                      {a.lastSignedHeight === null ? (
                        <span className="muted">not recently</span>
                      ) : (
                        <Link href={routes.block(a.lastSignedHeight)}>#{a.lastSignedHeight}</Link>
                      )}
                    </td>
                    <td>
                      <AuthorityHealth
                        lastSignedHeight={a.lastSignedHeight}
                        height={state.height}
                        evidenceCount={a.evidenceCount}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <Link href={routes.authorities()}>Authorities, votes and evidence →</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="peers-heading">
          <h2 id="peers-heading">Peers of this node</h2>
          {network.peers.length === 0 ? (
            <EmptyState title="No peers connected">
              A single-authority network has none; otherwise check the node&apos;s bootstrap list.
            </EmptyState>
          ) : (
            <ul className="live-list" aria-label="Peers">
              {network.peers.map((p) => (
                <li key={p.peerId}>
                  <code title={p.peerId}>{p.peerId.slice(-10)}</code>
                  <span className="muted">
                    {p.direction} · {p.address}
                  </span>
                  <span>{p.latencyMs === null ? '–' : `${p.latencyMs} ms`}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
