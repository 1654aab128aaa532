import type { Metadata } from 'next';
import { StaffHandoverPage } from '@/features/staff/pages';

export const metadata: Metadata = { title: 'Hand over' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ epc?: string | string[] }>;
}) {
  const { epc } = await searchParams;
  return <StaffHandoverPage epc={Array.isArray(epc) ? epc[0] : epc} />;
}
