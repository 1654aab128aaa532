import Link from 'next/link';
import { redirect } from 'next/navigation';
import { NodeError } from '@/components/NodeError';
import { EmptyState } from '@/components/states';
import { attempt } from '@/lib/attempt';
import { nodeQuery } from '@/lib/node';
import { HIT_KIND_LABELS, hitHref, SEARCH_QUERY, type SearchHit } from './hits';

/** The results page; a query with exactly one answer goes straight to it. */
export async function SearchResults({ q }: { q: string }) {
  const query = q.trim();
  if (!query) {
    return (
      <>
        <h1>Search</h1>
        <EmptyState title="Type something to search for">
          A block height or hash, a transaction hash, an EPC or Digital Link, a GTIN, a lot or an
          organization&apos;s name.
        </EmptyState>
      </>
    );
  }
  const result = await attempt(() =>
    nodeQuery<{ search: SearchHit[] }>(SEARCH_QUERY, { q: query }),
  );
  if (!result.ok) return <NodeError error={result.error} what="search results" />;
  const hits = result.value.search;
  const only = hits.length === 1 ? hits[0] : undefined;
  if (only && only.kind !== 'LOCATION') redirect(hitHref(only));
  return (
    <>
      <h1>Search: {query}</h1>
      {hits.length === 0 ? (
        <EmptyState title="Nothing found">
          No block, transaction, item, product, lot, location or organization matches &ldquo;{query}
          &rdquo;. Heights are numbers, hashes 64 hex digits, GTINs 8 to 14 digits.
        </EmptyState>
      ) : (
        <ul className="live-list card" aria-label="Results">
          {hits.map((hit) => (
            <li key={`${hit.kind}:${hit.id}`}>
              {hit.kind === 'LOCATION' ? (
                <span>{hit.label}</span>
              ) : (
                <Link href={hitHref(hit)}>{hit.label}</Link>
              )}
              <span className="badge">{HIT_KIND_LABELS[hit.kind]}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
