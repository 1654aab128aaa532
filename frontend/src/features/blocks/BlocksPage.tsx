import Link from 'next/link';
import { EmptyState } from '@/components/states';
import { routes } from '@/lib/routes';
import { BlocksTable } from './BlocksTable';
import { fetchAuthorityNames, fetchBlocks } from './queries';

/** Newest first, a page at a time; the cursor is the height to continue below. */
export async function BlocksPage({ before }: { before?: number }) {
  const [{ blocks, nextCursor }, names] = await Promise.all([
    fetchBlocks(before),
    fetchAuthorityNames(),
  ]);
  return (
    <>
      <h1>Blocks</h1>
      <p className="muted">
        Every block is final once shown: more than two thirds of the authorities signed it.
      </p>
      {blocks.length === 0 ? (
        <EmptyState title="No blocks here">
          <Link href={routes.blocks()}>Back to the newest blocks</Link>
        </EmptyState>
      ) : (
        <div className="card">
          <BlocksTable blocks={blocks} names={names} caption="Blocks, newest first" />
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {before !== undefined ? <Link href={routes.blocks()}>Newest blocks</Link> : <span />}
        {nextCursor !== null ? (
          <Link href={routes.blocks(nextCursor)} rel="next">
            Older blocks →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
