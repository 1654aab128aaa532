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
        title="This product page could not be shown"
        message="Something went wrong while putting it together. Try again; if it keeps failing, the node may be restarting."
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
