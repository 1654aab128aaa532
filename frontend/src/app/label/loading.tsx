import { Skeleton } from '@/components/states';

export default function Loading() {
  return <Skeleton lines={6} label="Loading the label" />;
}
