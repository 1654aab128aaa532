import { Skeleton } from '@/components/states';

export default function Loading() {
  return <Skeleton lines={8} label="Loading the transaction" />;
}
