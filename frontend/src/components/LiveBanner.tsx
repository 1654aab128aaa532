'use client';
import { useLiveState } from '@/lib/live';

/** Says so when live updates stop; the connection retries on its own and the banner goes away. */
export function LiveBanner() {
  const state = useLiveState();
  if (state !== 'down') return null;
  return (
    <div className="banner banner-warning" role="status" aria-live="polite">
      Live updates paused: the node cannot be reached. Reconnecting automatically…
    </div>
  );
}
