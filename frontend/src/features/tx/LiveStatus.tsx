'use client';
/** Follows a pending transaction until it is final or rejected, then refreshes the page. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useSubscription } from '@/lib/live';
import { StatusPipeline } from './StatusPipeline';
import type { TxStatus } from './queries';

const STATUS_SUBSCRIPTION =
  'subscription ($hash: String!) { transactionStatus(hash: $hash) { status code height } }';

export function LiveStatus({ hash, initial }: { hash: string; initial: TxStatus }) {
  const router = useRouter();
  const [status, setStatus] = useState<{ status: TxStatus; code?: string | null }>({
    status: initial,
  });
  useSubscription<{ transactionStatus: { status: TxStatus; code: string | null } }>(
    STATUS_SUBSCRIPTION,
    { hash },
    ({ transactionStatus }) => {
      setStatus(transactionStatus);
      if (transactionStatus.status !== 'PENDING') router.refresh();
    },
    initial === 'PENDING',
  );
  return <StatusPipeline status={status.status} code={status.code} />;
}
