import { Skeleton } from '@/components/states';

export default function Loading() {
  return <Skeleton lines={10} label="Loading the organization" />;
}
