import type { Metadata } from 'next';
import { DigitalLinkPage, digitalLinkTitle } from '@/features/product/components/DigitalLinkPage';

interface Props {
  params: Promise<{ path: string[] }>;
  searchParams: Promise<{ after?: string | string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { path } = await params;
  return { title: await digitalLinkTitle('01', path) };
}

/** GS1 Digital Link paths under /01: items, lots and product classes (GTIN). */
export default async function Page({ params, searchParams }: Props) {
  const [{ path }, { after }] = await Promise.all([params, searchParams]);
  return (
    <DigitalLinkPage
      ai="01"
      segments={path}
      after={typeof after === 'string' ? after : undefined}
    />
  );
}
