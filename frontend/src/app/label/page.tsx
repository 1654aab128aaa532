import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { readConfig } from '@/config';
import { LabelPage } from '@/features/product/components/LabelPage';
import { requestOrigin } from '@/features/product/utils/origin';

export const metadata: Metadata = { title: 'Label' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ epc?: string | string[] }>;
}) {
  const { epc } = await searchParams;
  // Labels point at WAYBILL_PUBLIC_URL when configured, else at the origin the reader came in on.
  const base = readConfig().publicUrl ?? requestOrigin(await headers());
  return <LabelPage epc={typeof epc === 'string' ? epc : undefined} base={base} />;
}
