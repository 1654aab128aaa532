import { StaffInboxPage } from '@/features/staff/pages';

export default function Page() {
  return <StaffInboxPage />;
}
