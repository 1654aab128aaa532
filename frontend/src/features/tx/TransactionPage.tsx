import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Hash } from '@/components/Hash';
import { NodeError } from '@/components/NodeError';
import { ErrorState } from '@/components/states';
import { TimeStamp } from '@/components/TimeStamp';
import { attempt } from '@/lib/attempt';
import { txLabel } from '@/lib/format';
import { routes } from '@/lib/routes';
import { describeAnyTx } from './describe';
import { InclusionProofPanel } from './InclusionProofPanel';
import { LiveStatus } from './LiveStatus';
import { PayloadView } from './PayloadView';
import { fetchTransaction } from './queries';

function payloadOf(tx: unknown): Record<string, unknown> | null {
  if (typeof tx !== 'object' || tx === null) return null;
  const payload = (tx as { payload?: unknown }).payload;
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : null;
}

export async function TransactionPage({ hash }: { hash: string }) {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) notFound();
  const result = await attempt(() => fetchTransaction(hash.toLowerCase()));
  if (!result.ok) return <NodeError error={result.error} what="the transaction" />;
  const { tx, txRoot, blockTime, signer } = result.value;
  if (!tx) notFound();
  const payload = payloadOf(tx.tx);
  return (
    <>
      <h1>{txLabel(tx.type)}</h1>
      <p className="lead">{describeAnyTx(tx.tx, tx.type)}</p>
      <LiveStatus hash={tx.hash} initial={tx.status} />
      {tx.status === 'REJECTED' ? (
        <ErrorState
          title="Rejected by the chain"
          message={`${tx.message ?? 'No reason recorded.'}${tx.path ? ` (at ${tx.path})` : ''}`}
          {...(tx.code ? { code: tx.code } : {})}
        />
      ) : null}
      <section className="card" aria-labelledby="tx-heading">
        <h2 id="tx-heading">Transaction</h2>
        <dl className="fields">
          <dt>Hash</dt>
          <dd>
            <Hash value={tx.hash} full label="transaction hash" />
          </dd>
          <dt>Type</dt>
          <dd>
            <code>{tx.type ?? 'unknown'}</code>
          </dd>
          <dt>Signer</dt>
          <dd>
            {signer ? (
              <>
                {signer.label ? `${signer.label}, ` : null}
                {signer.role} of{' '}
                <Link href={routes.org(signer.orgId)}>{signer.orgName ?? signer.orgId}</Link>{' '}
              </>
            ) : null}
            {tx.signer ? <Hash value={tx.signer} label="signer key" /> : 'unknown'}
          </dd>
          {tx.height !== null ? (
            <>
              <dt>Block</dt>
              <dd>
                <Link href={routes.block(tx.height)}>{tx.height}</Link>
                {tx.position !== null ? `, position ${tx.position}` : null}
              </dd>
            </>
          ) : null}
          {blockTime ? (
            <>
              <dt>Recorded</dt>
              <dd>
                <TimeStamp iso={blockTime} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {payload ? (
        <section className="card" aria-labelledby="payload-heading">
          <h2 id="payload-heading">What it says</h2>
          <PayloadView payload={payload} />
        </section>
      ) : null}
      {tx.proof && txRoot ? (
        <InclusionProofPanel hash={tx.hash} proof={tx.proof} txRoot={txRoot} />
      ) : null}
      <details className="card">
        <summary>Signed transaction (JSON)</summary>
        <pre className="json">{JSON.stringify(tx.tx, null, 2)}</pre>
      </details>
    </>
  );
}
