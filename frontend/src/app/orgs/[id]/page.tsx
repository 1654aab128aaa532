import type { Metadata } from 'next';
import { OrganizationPage } from '@/features/orgs/OrganizationPage';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ id: string }>;
}): Promise<Metadata> {
  const { id } = await params;
  return { title: decodeURIComponent(id) };
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ holdings?: string; activity?: string }>;
}) {
  const [{ id }, { holdings, activity }] = await Promise.all([params, searchParams]);
  return (
    <OrganizationPage
      id={decodeURIComponent(id)}
      holdingsAfter={holdings}
      activityAfter={activity}
    />
  );
}
