import Link from 'next/link';
import { routes } from '@/lib/routes';
import type { RelatedThing } from '../types';
import { epcLabel } from '../utils/identifier';

const ROLE: Record<RelatedThing['role'], string> = {
  input: 'Made from',
  pallet: 'Travelled in',
  other: 'Related',
};

/** The transformation inputs and pallets whose histories the bundle also proves. */
export function RelatedThings({
  related,
  checked,
}: {
  related: readonly RelatedThing[];
  checked: boolean;
}) {
  if (related.length === 0) return null;
  return (
    <section className="card" aria-labelledby="related-heading">
      <h2 id="related-heading">Where it came from and what carried it</h2>
      <ul>
        {related.map((r) => (
          <li key={r.epc}>
            {ROLE[r.role]}: <Link href={routes.thing(r.epc)}>{epcLabel(r.epc)}</Link>{' '}
            <span className="muted">
              · {r.steps} {r.steps === 1 ? 'step' : 'steps'}
              {checked ? (r.failed === 0 ? ', all verified' : `, ${r.failed} not verified`) : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
