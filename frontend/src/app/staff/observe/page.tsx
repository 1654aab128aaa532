import type { Metadata } from 'next';
import { StaffObservePage } from '@/features/staff/pages';

export const metadata: Metadata = { title: 'Record an observation' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ epc?: string | string[] }>;
}) {
  const { epc } = await searchParams;
  return <StaffObservePage epc={Array.isArray(epc) ? epc[0] : epc} />;
}
