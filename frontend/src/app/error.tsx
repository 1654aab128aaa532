'use client';
import { ErrorState } from '@/components/states';

/** Last resort: anything a page did not turn into its own error state. */
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
        title="This page could not be shown"
        message="Something went wrong while rendering it. Try again; if it keeps failing, the node's logs say more."
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
