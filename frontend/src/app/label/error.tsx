'use client';
import { ErrorState } from '@/components/states';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <>
      <ErrorState
        title="The label could not be made"
        message="Something went wrong while drawing it. Try again; if it keeps failing, the node may be restarting."
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
