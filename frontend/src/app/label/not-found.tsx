import { ProductNotFound } from '@/features/product/components/states';

export default function NotFound() {
  return <ProductNotFound />;
}
