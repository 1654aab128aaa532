'use client';
import { useSyncExternalStore } from 'react';
import { absoluteTime, relativeTime } from '@/lib/format';

// A clock shared by every timestamp on the page, ticking every 10 s.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 10_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * "3 minutes ago · 25 Nov 2026, 21:38:22 CET". The server knows neither the viewer's zone nor
 * their clock, so it renders UTC and the browser fills in relative and local time on hydration.
 */
export function TimeStamp({
  iso,
  relative = true,
  compact = false,
}: {
  iso: string;
  relative?: boolean;
  /** Relative time only, the absolute one in the title: for tables and lists. */
  compact?: boolean;
}) {
  const clock = useSyncExternalStore(
    subscribe,
    () => now,
    () => 0,
  );
  if (clock === 0) {
    return <time dateTime={iso}>{absoluteTime(iso, 'UTC', 'en-GB')}</time>;
  }
  const local = absoluteTime(iso);
  return (
    <time dateTime={iso} title={local}>
      {compact
        ? relativeTime(iso, clock)
        : relative
          ? `${relativeTime(iso, clock)} · ${local}`
          : local}
    </time>
  );
}
