/** Search hits as the node returns them, and where each one opens. */
import { routes } from '@/lib/routes';

export type SearchHitKind =
  'BLOCK' | 'TRANSACTION' | 'THING' | 'PRODUCT' | 'LOT' | 'LOCATION' | 'ORGANIZATION';

export interface SearchHit {
  kind: SearchHitKind;
  id: string;
  label: string;
  height?: number | null;
  gtin?: string | null;
  lot?: string | null;
}

export const SEARCH_QUERY =
  'query ($q: String!) { search(q: $q) { kind id label height gtin lot } }';

export const HIT_KIND_LABELS: Record<SearchHitKind, string> = {
  BLOCK: 'Block',
  TRANSACTION: 'Transaction',
  THING: 'Item',
  PRODUCT: 'Product',
  LOT: 'Lot',
  LOCATION: 'Location',
  ORGANIZATION: 'Organization',
};

export function hitHref(hit: SearchHit): string {
  switch (hit.kind) {
    case 'BLOCK':
      return routes.block(hit.height ?? hit.id);
    case 'TRANSACTION':
      return routes.tx(hit.id);
    case 'THING':
    case 'LOT':
      return routes.thing(hit.id);
    case 'PRODUCT':
      return routes.product(hit.gtin ?? hit.id);
    case 'ORGANIZATION':
      return routes.org(hit.id);
    case 'LOCATION':
      return routes.search(hit.id);
  }
}

/** Too short to be worth asking the node about while typing. */
export function worthSuggesting(q: string): boolean {
  const trimmed = q.trim();
  return trimmed.length >= 2 || /^\d+$/.test(trimmed);
}
