import Link from 'next/link';
import { EmptyState } from '@/components/states';

export default function NotFound() {
  return (
    <EmptyState title="Not found">
      <p>
        Nothing on this chain answers to that address. Try the search box, or go to the{' '}
        <Link href="/">dashboard</Link>.
      </p>
    </EmptyState>
  );
}
