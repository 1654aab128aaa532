import type { Verdict } from '../types';

/** What the reader's browser found about one step, in words (the colour only repeats them). */
export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  switch (verdict.state) {
    case 'verified':
      return (
        <span className="badge ok">
          <span aria-hidden="true">✓ </span>Verified
        </span>
      );
    case 'failed':
      return (
        <span className="badge bad">
          <span aria-hidden="true">✗ </span>Not verified
        </span>
      );
    case 'new':
      return <span className="badge warn">New · not yet checked</span>;
    case 'checking':
      return <span className="badge">Checking…</span>;
  }
}
