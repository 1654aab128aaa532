'use client';
import { RouteError, type RouteErrorProps } from '@/components/RouteError';

export default function ErrorPage(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="This page could not be shown"
      message="Something went wrong while rendering it. Try again; if it keeps failing, the node's logs say more."
    />
  );
}
