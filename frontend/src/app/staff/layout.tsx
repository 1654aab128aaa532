import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { StaffShell } from '@/features/staff/components/StaffShell';
import { StaffProvider } from '@/features/staff/hooks/session';

export const metadata: Metadata = {
  title: { default: 'Staff desk', template: '%s · Staff desk · Waybill' },
  // A signing desk, not content: keep it out of search engines.
  robots: { index: false, follow: false },
};

/** One signed-in member for every staff page: the key lives in this layout's state only. */
export default function StaffLayout({ children }: { children: ReactNode }) {
  return (
    <StaffProvider>
      <StaffShell>{children}</StaffShell>
    </StaffProvider>
  );
}
