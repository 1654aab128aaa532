import Link from 'next/link';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { RecallView } from '../types';

/** Says first and loudly that the thing is recalled, why, and by whom. */
export function RecallBanner({
  recalls,
  orgNames,
}: {
  recalls: readonly RecallView[];
  orgNames: Readonly<Record<string, string>>;
}) {
  if (recalls.length === 0) return null;
  return (
    <section className={`banner banner-danger ${styles.recall}`} aria-labelledby="recall-heading">
      <h2 id="recall-heading">
        <span aria-hidden="true">⚠ </span>Recalled: do not consume or use
      </h2>
      {recalls.map((r) => (
        <p key={r.id}>
          {/[.!?]$/.test(r.reason) ? r.reason : `${r.reason}.`}{' '}
          {r.lots ? `Lots ${r.lots.join(', ')}. ` : ''}
          {r.serials ? `Serials ${r.serials.join(', ')}. ` : ''}
          Issued by <Link href={routes.org(r.issuer)}>
            {orgNames[r.issuer] ?? r.issuer}
          </Link> in <Link href={routes.block(r.issuedAt)}>block {r.issuedAt}</Link> (
          <Link href={routes.tx(r.id)}>the recall on chain</Link>).
        </p>
      ))}
    </section>
  );
}
