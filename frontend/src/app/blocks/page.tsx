import type { Metadata } from 'next';
import { BlocksPage } from '@/features/blocks/BlocksPage';

export const metadata: Metadata = { title: 'Blocks' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ before?: string }>;
}) {
  const { before } = await searchParams;
  const cursor = before !== undefined && /^\d{1,10}$/.test(before) ? Number(before) : undefined;
  return <BlocksPage before={cursor} />;
}
