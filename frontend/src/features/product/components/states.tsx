/** Loading and not-found states of the product pages, shaped like the page they stand in for. */
import Link from 'next/link';
import { EmptyState, Skeleton } from '@/components/states';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';

export function ProductPageSkeleton() {
  return (
    <div className={styles.page}>
      <section className="card" aria-label="Product">
        <Skeleton lines={5} label="Loading the product" />
      </section>
      <section className="card" aria-label="Journey">
        <Skeleton lines={9} label="Loading the journey" />
      </section>
    </div>
  );
}

export function ProductNotFound() {
  return (
    <EmptyState title="Not recorded on this chain">
      <p>
        The identifier is valid, but no item, lot or pallet with it has been recorded here. Check
        the digits under the barcode, try the search box, or go to the{' '}
        <Link href={routes.dashboard()}>dashboard</Link>.
      </p>
    </EmptyState>
  );
}
