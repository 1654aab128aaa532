import { ProductPageSkeleton } from '@/features/product/components/states';

export default function Loading() {
  return <ProductPageSkeleton />;
}
