import type { Metadata } from 'next';
import { AuthoritiesPage } from '@/features/authorities/AuthoritiesPage';

export const metadata: Metadata = { title: 'Authorities' };

export default function Page() {
  return <AuthoritiesPage />;
}
