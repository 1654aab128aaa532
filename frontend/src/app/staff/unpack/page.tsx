import type { Metadata } from 'next';
import { StaffPackPage } from '@/features/staff/pages';

export const metadata: Metadata = { title: 'Unpack a pallet' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ epc?: string | string[] }>;
}) {
  const { epc } = await searchParams;
  return <StaffPackPage mode="unpack" epc={Array.isArray(epc) ? epc[0] : epc} />;
}
