import type { Metadata } from 'next';
import { BlockPage } from '@/features/blocks/BlockPage';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ id: string }>;
}): Promise<Metadata> {
  const { id } = await params;
  return { title: `Block ${id.length > 12 ? `${id.slice(0, 12)}…` : id}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BlockPage id={id} />;
}
