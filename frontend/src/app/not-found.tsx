import Link from 'next/link';
import { EmptyState } from '@/components/states';

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <EmptyState title="Nothing on this chain answers to that address">
        <p>
          Check the height, hash or code, try the search box, or go to the{' '}
          <Link href="/">dashboard</Link>.
        </p>
      </EmptyState>
    </>
  );
}
