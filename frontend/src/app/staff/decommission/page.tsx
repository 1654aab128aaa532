import type { Metadata } from 'next';
import { StaffDecommissionPage } from '@/features/staff/pages';

export const metadata: Metadata = { title: 'Decommission' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ epc?: string | string[] }>;
}) {
  const { epc } = await searchParams;
  return <StaffDecommissionPage epc={Array.isArray(epc) ? epc[0] : epc} />;
}
