/**
 * "Verified in your browser": what the reader's own browser proved about the journey, or exactly
 * why it could not. While it works it says so ("Verifying 121 signatures…"); when done it names
 * the organizations that signed, the authorities that finalized, and the genesis it trusted.
 */
import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { formatCount, shortHash } from '@/lib/format';
import { routes } from '@/lib/routes';
import type { VerificationDone, VerificationState } from '../hooks/useVerification';
import { lastDone } from '../hooks/useVerification';
import styles from '../product.module.css';

export function VerificationPanel({
  state,
  onRetry,
  subject,
}: {
  state: VerificationState;
  onRetry: () => void;
  /** The thing's EPC: its bundle can be downloaded to check again, offline. */
  subject?: string;
}) {
  const done = lastDone(state);
  const verdict = done
    ? done.result.ok
      ? 'ok'
      : 'bad'
    : state.phase === 'unavailable'
      ? 'bad'
      : '';
  return (
    <section
      className={`card ${styles.panel} ${verdict ? styles[verdict] : ''}`}
      aria-labelledby="verification-heading"
    >
      <h2 id="verification-heading">
        Verified in your browser
        {done ? (
          done.result.ok ? (
            <span className="badge ok">
              <span aria-hidden="true">✓ </span>Verified
            </span>
          ) : (
            <span className="badge bad">
              <span aria-hidden="true">✗ </span>Not verified
            </span>
          )
        ) : null}
      </h2>
      <Progress state={state} />
      {done ? <Summary done={done} /> : null}
      {subject !== undefined ? (
        <p>
          <a href={routes.bundle(subject)} download>
            Download the provenance bundle
          </a>{' '}
          <span className="muted">
            (JSON) to check it again offline:{' '}
            <code>waybill verify-bundle FILE --genesis-hash …</code>
          </span>
        </p>
      ) : null}
      {state.phase === 'unavailable' ? (
        <div role="alert">
          <p>
            The provenance bundle could not be fetched, so nothing on this page has been checked by
            your browser: {state.message}
            {state.code !== undefined ? (
              <>
                {' '}
                <span className="muted">
                  (code <code>{state.code}</code>)
                </span>
              </>
            ) : null}
          </p>
          <button type="button" className="button secondary" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
    </section>
  );
}

function Progress({ state }: { state: VerificationState }) {
  const again = lastDone(state) !== undefined;
  let text = '';
  if (state.phase === 'fetching')
    text = again
      ? 'A new step was recorded: fetching the provenance bundle again…'
      : 'Fetching the provenance bundle from the node…';
  if (state.phase === 'verifying') text = `Verifying ${formatCount(state.signatures)} signatures…`;
  return (
    <div role="status" aria-live="polite">
      {text ? <p>{text}</p> : null}
      {state.phase === 'verifying' ? (
        <progress max={state.signatures} value={state.checked} aria-label="Signatures checked" />
      ) : null}
    </div>
  );
}

function Summary({ done }: { done: VerificationDone }) {
  const { result } = done;
  const total = result.journey.length;
  const failed = result.journey.filter((s) => !s.verified).length;
  const seconds = (done.ms / 1000).toFixed(done.ms < 10_000 ? 1 : 0);
  return (
    <>
      {result.ok ? (
        <p>
          <strong>All {formatCount(total)} steps verified</strong> by your browser in {seconds} s:{' '}
          {formatCount(done.signatures)} signatures, the certificates of {formatCount(done.blocks)}{' '}
          blocks and the Merkle proofs of every step and of its current record, with no event left
          out.
        </p>
      ) : total === 0 ? (
        <p>
          <strong>The journey could not be verified</strong>:{' '}
          {result.problems[0] ?? 'the bundle is invalid'}.
        </p>
      ) : (
        <p>
          <strong>
            {failed > 0
              ? `${formatCount(failed)} of ${formatCount(total)} steps could not be verified`
              : 'The steps verified, but the bundle has problems'}
          </strong>
          {failed > 0 ? '; each says why below.' : '.'}
        </p>
      )}
      {result.problems.length > (total === 0 ? 1 : 0) ? (
        <ul className={styles.problems} aria-label="Problems found">
          {result.problems.slice(total === 0 ? 1 : 0).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <dl className="fields">
        {result.organizations.length > 0 ? (
          <>
            <dt>Signed by</dt>
            <dd>
              <ul className={styles.inlineList} aria-label="Organizations that signed">
                {result.organizations.map((org) => (
                  <li key={org.id}>
                    <Link href={routes.org(org.id)}>{org.name}</Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {result.authorities.length > 0 ? (
          <>
            <dt>Finalized by</dt>
            <dd>
              <ul className={styles.inlineList} aria-label="Authorities that finalized">
                {result.authorities.map((a) => (
                  <li key={a.publicKey} title={a.publicKey}>
                    {a.name ?? `authority ${shortHash(a.publicKey)}`}
                  </li>
                ))}
              </ul>{' '}
              <Link href={routes.authorities()} className="muted">
                (authorities)
              </Link>
            </dd>
          </>
        ) : null}
        {result.genesisHash !== undefined ? (
          <>
            <dt>Genesis</dt>
            <dd>
              <Hash value={result.genesisHash} label="genesis hash" />
              {result.chainId !== undefined ? (
                <>
                  {' '}
                  of chain <code>{result.chainId}</code>
                </>
              ) : null}
              <br />
              {done.genesis === 'trusted' ? (
                <span>the genesis this explorer is configured to trust.</span>
              ) : (
                <span>
                  Taken from the node: no trusted genesis is configured, so this proves the journey
                  is consistent and final on the node&apos;s own chain, not that it is the chain you
                  expect. Compare the hash with one you trust.
                </span>
              )}
            </dd>
          </>
        ) : null}
        {result.asOfHeight !== undefined ? (
          <>
            <dt>As of</dt>
            <dd>
              <Link href={routes.block(result.asOfHeight)}>block {result.asOfHeight}</Link>
            </dd>
          </>
        ) : null}
        {result.recalls.length > 0 ? (
          <>
            <dt>Recall</dt>
            <dd>
              Proven open recall{result.recalls.length > 1 ? 's' : ''}:{' '}
              {result.recalls.map((r) => r.reason).join('; ')}
            </dd>
          </>
        ) : null}
      </dl>
    </>
  );
}
