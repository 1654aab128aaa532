import Link from 'next/link';
import { txLabel } from '@/lib/format';
import { routes } from '@/lib/routes';
import { describeAnyTx } from './describe';

export interface FeedTx {
  hash: string;
  type: string | null;
  height: number | null;
  tx: unknown;
}

/** Transactions as a list of what happened, each linked to its page, with its block. */
export function TxFeed({ txs, label }: { txs: FeedTx[]; label: string }) {
  return (
    <ul className="live-list" aria-label={label}>
      {txs.map((t) => (
        <li key={t.hash}>
          <Link href={routes.tx(t.hash)}>{txLabel(t.type)}</Link>
          <span className="muted">{describeAnyTx(t.tx, t.type)}</span>
          <span>{t.height === null ? '' : `#${t.height}`}</span>
        </li>
      ))}
    </ul>
  );
}
