/**
 * Who and what: the product's name, brand and image, what kind of thing this is (item, lot,
 * pallet) with its identifiers, its status, who holds it now and how it is to be stored.
 */
import Image from 'next/image';
import Link from 'next/link';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { Condition, ProductView, ThingView } from '../types';
import { formatRange, readingLabel } from '../utils/conditions';
import { epcLabel } from '../utils/identifier';
import { formatQuantity } from '../utils/timeline';
import { StatusBadge } from './StatusBadge';

const MAX_CHILDREN = 12;

function kindLine(thing: ThingView): string {
  switch (thing.kind) {
    case 'item':
      return `Item · serial ${thing.serial ?? ''}${thing.lot !== null ? ` · lot ${thing.lot}` : ''}`;
    case 'lot':
      return `Lot ${thing.lot ?? ''}${thing.quantity !== null ? ` · ${formatQuantity(thing.quantity, thing.unit ?? undefined)}` : ''}`;
    case 'unit':
      return `Logistic unit · SSCC ${thing.sscc ?? ''}`;
    default:
      return thing.kind;
  }
}

export function ProductHeader({
  thing,
  product,
  conditions,
  orgNames,
}: {
  thing: ThingView;
  product: ProductView | null;
  conditions: readonly Condition[];
  orgNames: Readonly<Record<string, string>>;
}) {
  const name =
    product?.name ?? (thing.kind === 'unit' ? `Pallet ${thing.sscc ?? ''}` : epcLabel(thing.epc));
  const org = (id: string) => <Link href={routes.org(id)}>{orgNames[id] ?? id}</Link>;
  return (
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
        <h1>{name}</h1>
        <p className={styles.subtitle}>
          <span>{kindLine(thing)}</span>
          <StatusBadge status={thing.status} />
        </p>
        <dl className="fields">
          {thing.gtin !== null ? (
            <>
              <dt>GTIN</dt>
              <dd>
                <Link href={routes.product(thing.gtin)}>{thing.gtin}</Link>
              </dd>
            </>
          ) : null}
          {thing.expiry !== null ? (
            <>
              <dt>Use by</dt>
              <dd>{thing.expiry}</dd>
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
          <dt>Held by</dt>
          <dd>
            {org(thing.custodian)}
            {thing.pendingTransfer !== null ? (
              <>
                {' '}
                · <Link href={routes.tx(thing.pendingTransfer)}>handover pending</Link>
              </>
            ) : null}
          </dd>
          {thing.owner !== thing.custodian ? (
            <>
              <dt>Owned by</dt>
              <dd>{org(thing.owner)}</dd>
            </>
          ) : null}
          {thing.parent !== null ? (
            <>
              <dt>Packed in</dt>
              <dd>
                <Link href={routes.thing(thing.parent)}>{epcLabel(thing.parent)}</Link>
              </dd>
            </>
          ) : null}
          {thing.children.length > 0 ? (
            <>
              <dt>Contains</dt>
              <dd>
                {thing.children.length} {thing.children.length === 1 ? 'thing' : 'things'}
                <ul className={styles.stackList}>
                  {thing.children.slice(0, MAX_CHILDREN).map((epc) => (
                    <li key={epc}>
                      <Link href={routes.thing(epc)}>{epcLabel(epc)}</Link>
                    </li>
                  ))}
                  {thing.children.length > MAX_CHILDREN ? (
                    <li className="muted">and {thing.children.length - MAX_CHILDREN} more</li>
                  ) : null}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {product?.description ? <p className={styles.description}>{product.description}</p> : null}
        <p className={`${styles.actions} no-print`}>
          <Link className="button secondary" href={routes.label(thing.epc)}>
            Print label
          </Link>
          {thing.gtin !== null ? (
            <Link className="button secondary" href={routes.product(thing.gtin)}>
              All of this product
            </Link>
          ) : null}
        </p>
      </div>
    </header>
  );
}
