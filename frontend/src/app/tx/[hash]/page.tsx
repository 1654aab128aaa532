import type { Metadata } from 'next';
import { TransactionPage } from '@/features/tx/TransactionPage';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ hash: string }>;
}): Promise<Metadata> {
  const { hash } = await params;
  return { title: `Transaction ${hash.slice(0, 12)}…` };
}

export default async function Page({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  return <TransactionPage hash={hash} />;
}
