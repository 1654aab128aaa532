import type { Metadata } from 'next';
import { SearchResults } from '@/features/search/SearchResults';

export const metadata: Metadata = { title: 'Search' };

export default async function Page({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  return <SearchResults q={q ?? ''} />;
}
