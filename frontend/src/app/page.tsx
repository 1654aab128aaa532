import { DashboardPage } from '@/features/dashboard/DashboardPage';

export default function Page() {
  return <DashboardPage />;
}
