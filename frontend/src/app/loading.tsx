import { Skeleton } from '@/components/states';

export default function Loading() {
  return <Skeleton lines={12} label="Loading" />;
}
