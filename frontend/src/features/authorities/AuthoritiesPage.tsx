import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { NodeError } from '@/components/NodeError';
import { EmptyState } from '@/components/states';
import { TimeStamp } from '@/components/TimeStamp';
import { attempt } from '@/lib/attempt';
import { routes } from '@/lib/routes';
import { AuthorityHealth } from './AuthorityHealth';
import { fetchAuthorities } from './queries';

export async function AuthoritiesPage() {
  const result = await attempt(fetchAuthorities);
  if (!result.ok) return <NodeError error={result.error} what="the authorities" />;
  const { chain, pendingAuthorityVotes, authorityChanges, evidence } = result.value;
  const names = new Map(chain.authorities.map((a) => [a.publicKey, a.name]));
  const nameOf = (key: string) => names.get(key) ?? null;
  const quorum = Math.floor((2 * chain.authorities.length) / 3) + 1;
  return (
    <>
      <h1>Authorities</h1>
      <p className="muted">
        {chain.authorities.length} authorities finalize blocks; {quorum} signatures make a block
        final, so up to {chain.authorities.length - quorum} may be offline or faulty.
      </p>
      <section className="card" aria-labelledby="set-heading">
        <h2 id="set-heading">Current set</h2>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Current authorities</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Last signed block</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {chain.authorities.map((a) => (
                <tr key={a.publicKey}>
                  <td>{a.name ?? 'Unnamed'}</td>
                  <td>
                    <Hash value={a.publicKey} label="authority key" />
                  </td>
                  <td>
                    {a.lastSignedHeight === null ? (
                      <span className="muted">not recently</span>
                    ) : (
                      <>
                        <Link href={routes.block(a.lastSignedHeight)}>#{a.lastSignedHeight}</Link>
                        {a.lastSignedAt ? (
                          <>
                            {' '}
                            <TimeStamp iso={a.lastSignedAt} />
                          </>
                        ) : null}
                      </>
                    )}
                  </td>
                  <td>
                    <AuthorityHealth
                      lastSignedHeight={a.lastSignedHeight}
                      height={chain.height}
                      evidenceCount={a.evidenceCount}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="votes-heading">
        <h2 id="votes-heading">Open votes</h2>
        {pendingAuthorityVotes.length === 0 ? (
          <EmptyState title="No open votes">
            Authorities add or remove one of their own with <code>authority.vote</code>; a change
            takes effect once a quorum has voted for it.
          </EmptyState>
        ) : (
          <ul className="live-list" aria-label="Open votes">
            {pendingAuthorityVotes.map((p) => (
              <li key={`${p.action}:${p.authority}`}>
                <span>
                  {p.action === 'add' ? 'Add' : 'Remove'} {p.name ?? nameOf(p.authority) ?? ''}{' '}
                  <Hash value={p.authority} label="authority key" />
                </span>
                <span>
                  {p.votes} of {p.needed} votes
                </span>
                <span className="muted">
                  {p.voters.map((v) => nameOf(v) ?? v.slice(0, 8)).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History of changes</h2>
        {authorityChanges.changes.length === 0 ? (
          <EmptyState title="No changes since genesis" />
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">
                Changes to the authority set, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Height</th>
                  <th scope="col">Change</th>
                  <th scope="col">Authority</th>
                </tr>
              </thead>
              <tbody>
                {authorityChanges.changes.map((c) => (
                  <tr key={`${c.height}:${c.action}:${c.authority}`}>
                    <td>
                      {c.height === 0 ? (
                        'genesis'
                      ) : (
                        <Link href={routes.block(c.height)}>{c.height}</Link>
                      )}
                    </td>
                    <td>
                      <span className={c.action === 'add' ? 'badge ok' : 'badge warn'}>
                        {c.action === 'add' ? 'Added' : 'Removed'}
                      </span>
                    </td>
                    <td>
                      {c.name ?? nameOf(c.authority) ?? 'Unnamed'}{' '}
                      <Hash value={c.authority} label="authority key" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Equivocation evidence</h2>
        {evidence.evidence.length === 0 ? (
          <EmptyState title="None recorded">
            No authority has been caught signing two different votes for the same step.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Equivocation evidence, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Authority</th>
                  <th scope="col">Double vote</th>
                  <th scope="col">Blocks voted for</th>
                  <th scope="col">Recorded</th>
                </tr>
              </thead>
              <tbody>
                {evidence.evidence.map((e) => (
                  <tr key={e.txHash}>
                    <td>
                      {nameOf(e.validator) ?? 'Former authority'}{' '}
                      <Hash value={e.validator} label="authority key" />
                    </td>
                    <td>
                      {e.type} at height {e.height}, round {e.round}
                    </td>
                    <td>
                      {e.firstBlockHash ? (
                        <Hash value={e.firstBlockHash} label="block hash" />
                      ) : (
                        'nil'
                      )}{' '}
                      and{' '}
                      {e.secondBlockHash ? (
                        <Hash value={e.secondBlockHash} label="block hash" />
                      ) : (
                        'nil'
                      )}
                    </td>
                    <td>
                      <Link href={routes.tx(e.txHash)}>block {e.recordedAt}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
