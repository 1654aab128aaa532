'use client';
/** What a route's error boundary shows: what failed, the digest to find it in logs, a retry. */
import { ErrorState } from './states';

export interface RouteErrorProps {
  error: Error & { digest?: string };
  reset: () => void;
}

export function RouteError({
  error,
  reset,
  title,
  message,
}: RouteErrorProps & { title: string; message: string }) {
  return (
    <>
      <ErrorState
        title={title}
        message={message}
        {...(error.digest ? { code: error.digest } : {})}
      />
      <p>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </p>
    </>
  );
}
