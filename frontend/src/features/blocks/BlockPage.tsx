import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Hash } from '@/components/Hash';
import { NodeError } from '@/components/NodeError';
import { EmptyState } from '@/components/states';
import { TimeStamp } from '@/components/TimeStamp';
import { attempt } from '@/lib/attempt';
import { txLabel } from '@/lib/format';
import { routes } from '@/lib/routes';
import { describeAnyTx } from '@/features/tx/describe';
import { CertificatePanel } from './CertificatePanel';
import { fetchBlock } from './queries';

export async function BlockPage({ id }: { id: string }) {
  if (!/^(\d{1,10}|[0-9a-fA-F]{64})$/.test(id)) notFound();
  const result = await attempt(() => fetchBlock(id));
  if (!result.ok) return <NodeError error={result.error} what="the block" />;
  const block = result.value;
  if (!block) notFound();
  const proposer = block.signers.find((s) => s.publicKey === block.proposer)?.name;
  return (
    <>
      <nav className="pager no-print" aria-label="Neighbouring blocks">
        {block.height > 0 ? (
          <Link href={routes.block(block.height - 1)} rel="prev">
            ← Block {block.height - 1}
          </Link>
        ) : (
          <span />
        )}
        <Link href={routes.block(block.height + 1)} rel="next">
          Block {block.height + 1} →
        </Link>
      </nav>
      <h1>Block {block.height}</h1>
      <section className="card" aria-labelledby="header-heading">
        <h2 id="header-heading">Header</h2>
        <dl className="fields">
          <dt>Hash</dt>
          <dd>
            <Hash value={block.hash} full label="block hash" />
          </dd>
          <dt>Height</dt>
          <dd>{block.height}</dd>
          <dt>Time</dt>
          <dd>
            <TimeStamp iso={block.timestamp} />
          </dd>
          <dt>Proposer</dt>
          <dd>
            {proposer ? `${proposer} ` : null}
            <Hash value={block.proposer} label="proposer key" />
          </dd>
          <dt>Round</dt>
          <dd>{block.round}</dd>
          <dt>Parent</dt>
          <dd>
            <Hash
              value={block.prevHash}
              href={block.height > 0 ? routes.block(block.height - 1) : undefined}
              label="parent hash"
            />
          </dd>
          <dt>Transactions root</dt>
          <dd>
            <Hash value={block.txRoot} label="transactions root" />
          </dd>
          <dt>State root</dt>
          <dd>
            <Hash value={block.stateRoot} label="state root" />
          </dd>
          <dt>Validators hash</dt>
          <dd>
            <Hash value={block.validatorsHash} label="validators hash" />
          </dd>
          <dt>Chain</dt>
          <dd>
            <code>{String(block.header.chainId)}</code>
          </dd>
        </dl>
      </section>
      <CertificatePanel signers={block.signers} round={block.commit.round} />
      <section className="card" aria-labelledby="txs-heading">
        <h2 id="txs-heading">Transactions ({block.txCount})</h2>
        {block.transactions.length === 0 ? (
          <EmptyState title="No transactions">
            A heartbeat block: the authorities keep finalizing while nothing happens.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Transactions in block order</caption>
              <thead>
                <tr>
                  <th scope="col" className="hide-narrow">
                    #
                  </th>
                  <th scope="col">Type</th>
                  <th scope="col">What happened</th>
                  <th scope="col" className="hide-narrow">
                    Hash
                  </th>
                </tr>
              </thead>
              <tbody>
                {block.transactions.map((tx, i) => (
                  <tr key={tx.hash}>
                    <td className="hide-narrow">{tx.position ?? i}</td>
                    <td>
                      <Link href={routes.tx(tx.hash)} className="badge">
                        {txLabel(tx.type)}
                      </Link>
                    </td>
                    <td>{describeAnyTx(tx.tx, tx.type)}</td>
                    <td className="hide-narrow">
                      <Hash value={tx.hash} href={routes.tx(tx.hash)} label="transaction hash" />
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
