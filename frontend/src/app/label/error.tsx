'use client';
import { RouteError, type RouteErrorProps } from '@/components/RouteError';

export default function ErrorPage(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="The label could not be made"
      message="Something went wrong while drawing it. Try again; if it keeps failing, the node may be restarting."
    />
  );
}
