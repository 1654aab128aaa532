import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Hash } from '@/components/Hash';
import { NodeError } from '@/components/NodeError';
import { EmptyState } from '@/components/states';
import { attempt } from '@/lib/attempt';
import { routes } from '@/lib/routes';
import { TxFeed } from '@/features/tx/TxFeed';
import { fetchOrganization, type Holding } from './queries';

function holdingName(h: Holding): string {
  if (h.kind === 'unit') return `Logistic unit ${h.sscc ?? ''}`;
  if (h.kind === 'lot')
    return `Lot ${h.lot ?? ''} of ${h.gtin ?? ''}${h.quantity ? ` (${h.quantity} ${h.unit ?? ''})` : ''}`;
  return `Item ${h.serial ?? ''} of ${h.gtin ?? ''}`;
}

const STATUS_BADGE: Record<string, string> = {
  active: 'badge ok',
  in_transit: 'badge warn',
  recalled: 'badge bad',
  decommissioned: 'badge',
};

export async function OrganizationPage({
  id,
  holdingsAfter,
  activityAfter,
}: {
  id: string;
  holdingsAfter?: string;
  activityAfter?: string;
}) {
  const result = await attempt(() => fetchOrganization(id, holdingsAfter, activityAfter));
  if (!result.ok) return <NodeError error={result.error} what="the organization" />;
  const org = result.value.organization;
  if (!org) notFound();
  const page = (h?: string, a?: string) =>
    `${routes.org(org.id)}?${new URLSearchParams({ ...(h ? { holdings: h } : {}), ...(a ? { activity: a } : {}) }).toString()}`;
  return (
    <>
      <h1>{org.name}</h1>
      <p>
        {org.roles.map((r) => (
          <span key={r} className="badge">
            {r}
          </span>
        ))}{' '}
        <span className="muted">
          <code>{org.id}</code> · registered in{' '}
          <Link href={routes.block(org.registeredAt)}>block {org.registeredAt}</Link>
          {org.gln ? ` · GLN ${org.gln}` : ''}
        </span>
      </p>
      <dl className="stats">
        <div className="stat">
          <dt>Keys</dt>
          <dd>{org.members.filter((m) => m.active).length}</dd>
        </div>
        <div className="stat">
          <dt>Incoming handovers</dt>
          <dd>{org.incomingTransfers.length}</dd>
        </div>
        <div className="stat">
          <dt>Outgoing handovers</dt>
          <dd>{org.outgoingTransfers.length}</dd>
        </div>
      </dl>
      <div className="grid">
        <section className="card" aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          <ul className="live-list" aria-label="Members">
            {org.members.map((m) => (
              <li key={m.publicKey}>
                <span>
                  {m.label ?? 'Unlabelled key'} <Hash value={m.publicKey} label="member key" />
                </span>
                <span className="badge">{m.role}</span>
                {m.active ? (
                  <span className="badge ok">active</span>
                ) : (
                  <span className="badge bad">revoked at {m.revokedAt}</span>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="locations-heading">
          <h2 id="locations-heading">Locations</h2>
          {org.locations.length === 0 ? (
            <EmptyState title="No locations defined" />
          ) : (
            <ul className="live-list" aria-label="Locations">
              {org.locations.map((l) => (
                <li key={l.gln}>
                  <span>{l.name}</span>
                  <span className="muted">
                    {l.address ? `${l.address.city}, ${l.address.country}` : ''} · GLN {l.gln}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="holdings-heading">
        <h2 id="holdings-heading">Holdings</h2>
        {org.holdings.things.length === 0 ? (
          <EmptyState title="Holds nothing right now" />
        ) : (
          <ul className="live-list" aria-label="Holdings">
            {org.holdings.things.map((h) => (
              <li key={h.epc}>
                <Link href={routes.thing(h.epc)}>{holdingName(h)}</Link>
                <span className={STATUS_BADGE[h.status] ?? 'badge'}>
                  {h.status.replace('_', ' ')}
                </span>
              </li>
            ))}
          </ul>
        )}
        <nav className="pager" aria-label="Holdings pages">
          {holdingsAfter ? (
            <Link href={page(undefined, activityAfter)}>First holdings</Link>
          ) : (
            <span />
          )}
          {org.holdings.nextCursor ? (
            <Link href={page(org.holdings.nextCursor, activityAfter)}>More holdings →</Link>
          ) : null}
        </nav>
      </section>
      <section className="card" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Activity</h2>
        {org.activity.transactions.length === 0 ? (
          <EmptyState title="No activity yet" />
        ) : (
          <TxFeed txs={org.activity.transactions} label="Activity, newest first" />
        )}
        <nav className="pager" aria-label="Activity pages">
          {activityAfter ? <Link href={page(holdingsAfter)}>Latest activity</Link> : <span />}
          {org.activity.nextCursor ? (
            <Link href={page(holdingsAfter, org.activity.nextCursor)}>Older activity →</Link>
          ) : null}
        </nav>
      </section>
    </>
  );
}
