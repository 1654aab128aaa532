import type { NodeFailure } from '@/lib/attempt';
import { ErrorState } from './states';

/** The node could not answer: say what failed and what the user can do. */
export function NodeError({ error, what }: { error: NodeFailure; what: string }) {
  const unreachable = error.code === 'UNREACHABLE';
  return (
    <ErrorState
      title={unreachable ? 'The node cannot be reached' : `Could not load ${what}`}
      message={
        unreachable
          ? `${error.message}. Check that the node is running; this page will work again once it answers.`
          : error.message
      }
      code={error.code}
    />
  );
}
