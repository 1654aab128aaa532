/**
 * A product class (`/01/{gtin}`): what the manufacturer defined, its recalls, and every item, lot
 * and logistic unit of it on chain, twenty to a page.
 */
import Image from 'next/image';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NodeError } from '@/components/NodeError';
import { EmptyState } from '@/components/states';
import { attempt } from '@/lib/attempt';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { ThingSummary } from '../types';
import { formatRange, parseConditions, readingLabel } from '../utils/conditions';
import { epcLabel } from '../utils/identifier';
import { loadOrgNames, loadProductClass } from '../utils/load';
import { formatQuantity } from '../utils/timeline';
import { RecallBanner } from './RecallBanner';
import { StatusBadge } from './StatusBadge';

function identifier(thing: ThingSummary): string {
  if (thing.kind === 'item')
    return `Serial ${thing.serial ?? ''}${thing.lot !== null ? ` (lot ${thing.lot})` : ''}`;
  if (thing.kind === 'lot')
    return `Lot ${thing.lot ?? ''}${thing.quantity !== null ? ` · ${formatQuantity(thing.quantity, thing.unit ?? undefined)}` : ''}`;
  return epcLabel(thing.epc);
}

export async function ProductClassPage({
  gtin,
  after,
}: {
  gtin: string;
  after?: string | undefined;
}) {
  const loaded = await attempt(() => loadProductClass(gtin, after));
  if (!loaded.ok) return <NodeError error={loaded.error} what="this product" />;
  const { product, things, nextCursor, recalls } = loaded.value;
  if (!product && things.length === 0 && after === undefined) notFound();
  const open = recalls.filter((r) => r.open);
  const names = await attempt(() =>
    loadOrgNames([
      ...(product ? [product.owner] : []),
      ...open.map((r) => r.issuer),
      ...things.map((t) => t.custodian),
    ]),
  );
  const orgNames = names.ok ? names.value : {};
  const conditions = parseConditions(product?.conditions);
  return (
    <div className={styles.page}>
      <header className={`card ${styles.header} ${product?.imageUrl ? styles.withImage : ''}`}>
        {product?.imageUrl ? (
          <Image
            className={styles.image}
            src={product.imageUrl}
            alt={product.name}
            width={160}
            height={160}
            unoptimized
            priority
          />
        ) : null}
        <div>
          {product?.brand ? <p className={styles.eyebrow}>{product.brand}</p> : null}
          <h1>{product?.name ?? `GTIN ${gtin}`}</h1>
          {!product ? (
            <p className="muted">No manufacturer has defined this product on chain.</p>
          ) : null}
          <dl className="fields">
            <dt>GTIN</dt>
            <dd>
              <code>{gtin}</code>
            </dd>
            {product ? (
              <>
                <dt>Made by</dt>
                <dd>
                  <Link href={routes.org(product.owner)}>
                    {orgNames[product.owner] ?? product.owner}
                  </Link>
                </dd>
                <dt>Defined in</dt>
                <dd>
                  <Link href={routes.block(product.definedAt)}>block {product.definedAt}</Link>
                </dd>
              </>
            ) : null}
            {conditions.length > 0 ? (
              <>
                <dt>Keep at</dt>
                <dd>
                  {conditions
                    .map((c) => `${formatRange(c)} (${readingLabel(c.type).toLowerCase()})`)
                    .join('; ')}
                </dd>
              </>
            ) : null}
          </dl>
          {product?.description ? (
            <p className={styles.description}>{product.description}</p>
          ) : null}
        </div>
      </header>
      <RecallBanner recalls={open} orgNames={orgNames} />
      <section className="card" aria-labelledby="things-heading">
        <h2 id="things-heading">Items, lots and pallets</h2>
        {things.length === 0 ? (
          <EmptyState title={after === undefined ? 'None recorded yet' : 'No more'}>
            {after !== undefined ? (
              <Link href={routes.product(gtin)}>Back to the first page</Link>
            ) : null}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">
                Items, lots and logistic units of GTIN {gtin}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Identifier</th>
                  <th scope="col">Status</th>
                  <th scope="col">Held by</th>
                  <th scope="col">Use by</th>
                </tr>
              </thead>
              <tbody>
                {things.map((t) => (
                  <tr key={t.epc}>
                    <td>
                      <Link href={routes.thing(t.epc)}>{identifier(t)}</Link>
                    </td>
                    <td>
                      <StatusBadge status={t.status} />
                    </td>
                    <td>
                      <Link href={routes.org(t.custodian)}>
                        {orgNames[t.custodian] ?? t.custodian}
                      </Link>
                    </td>
                    <td>{t.expiry ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          {after !== undefined ? <Link href={routes.product(gtin)}>← First page</Link> : <span />}
          {nextCursor !== null ? (
            <Link href={`${routes.product(gtin)}?after=${encodeURIComponent(nextCursor)}`}>
              Next page →
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
