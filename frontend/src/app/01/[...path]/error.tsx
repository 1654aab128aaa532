'use client';
import { RouteError, type RouteErrorProps } from '@/components/RouteError';

export default function ErrorPage(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="This product page could not be shown"
      message="Something went wrong while putting it together. Try again; if it keeps failing, the node may be restarting."
    />
  );
}
