import Link from 'next/link';
import { TimeStamp } from '@/components/TimeStamp';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { RecallReasonView, RecallView } from '../types';
import { explainRecallPath, thingPhrase } from '../utils/recalls';

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function Issued({
  recall,
  orgNames,
}: {
  recall: RecallView;
  orgNames: Readonly<Record<string, string>>;
}) {
  return (
    <>
      Issued by{' '}
      <Link href={routes.org(recall.issuer)}>{orgNames[recall.issuer] ?? recall.issuer}</Link>{' '}
      {recall.issuedTime ? (
        <>
          on <TimeStamp iso={recall.issuedTime} relative={false} />{' '}
        </>
      ) : null}
      in <Link href={routes.block(recall.issuedAt)}>block {recall.issuedAt}</Link> (
      <Link href={routes.tx(recall.id)}>the recall on chain</Link>).
    </>
  );
}

/**
 * Says first and loudly that the thing is recalled, why, and by whom: its own recalls, and those
 * that reach it through what it was made from or is packed with, with the path that explains it.
 */
export function RecallBanner({
  recalls,
  upstream = [],
  orgNames,
  productNames = {},
}: {
  recalls: readonly RecallView[];
  upstream?: readonly RecallReasonView[];
  orgNames: Readonly<Record<string, string>>;
  productNames?: Readonly<Record<string, string>>;
}) {
  if (recalls.length === 0 && upstream.length === 0) return null;
  return (
    <section className={`banner banner-danger ${styles.recall}`} aria-labelledby="recall-heading">
      <h2 id="recall-heading">
        <span aria-hidden="true">⚠ </span>
        {recalls.length > 0
          ? 'Recalled: do not consume or use'
          : 'Affected by a recall: do not consume or use'}
      </h2>
      {recalls.map((r) => (
        <p key={r.id}>
          {sentence(r.reason)} {r.lots ? `Lots ${r.lots.join(', ')}. ` : ''}
          {r.serials ? `Serials ${r.serials.join(', ')}. ` : ''}
          <Issued recall={r} orgNames={orgNames} />
        </p>
      ))}
      {upstream.map(({ recall, path }) => {
        const recalled = thingPhrase(path[0]?.epc ?? '', productNames);
        return (
          <p key={recall.id}>
            {explainRecallPath(path, productNames)}{' '}
            {recalled.charAt(0).toUpperCase() + recalled.slice(1)} is recalled:{' '}
            {sentence(recall.reason)} <Issued recall={recall} orgNames={orgNames} />
          </p>
        );
      })}
    </section>
  );
}
