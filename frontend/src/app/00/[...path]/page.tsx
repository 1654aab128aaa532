import type { Metadata } from 'next';
import { DigitalLinkPage, digitalLinkTitle } from '@/features/product/components/DigitalLinkPage';

interface Props {
  params: Promise<{ path: string[] }>;
  searchParams: Promise<{ after?: string | string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { path } = await params;
  return { title: await digitalLinkTitle('00', path) };
}

/** GS1 Digital Link paths under /00: logistic units (SSCC). */
export default async function Page({ params, searchParams }: Props) {
  const [{ path }, { after }] = await Promise.all([params, searchParams]);
  return (
    <DigitalLinkPage
      ai="00"
      segments={path}
      after={typeof after === 'string' ? after : undefined}
    />
  );
}
