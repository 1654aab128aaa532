import type { TxStatus } from './queries';

/** submitted → in block → final, or where it stopped. */
export function StatusPipeline({ status, code }: { status: TxStatus; code?: string | null }) {
  const final = status === 'FINAL';
  return (
    <ol className="pipeline" aria-label="Status">
      <li className="done">Submitted</li>
      {status === 'REJECTED' ? (
        <li className="failed">Rejected{code ? `: ${code}` : ''}</li>
      ) : (
        <>
          <li className={final ? 'done' : undefined}>
            {final ? 'In block' : 'Waiting for a block'}
          </li>
          <li className={final ? 'done' : undefined} aria-current={final ? 'step' : undefined}>
            Final
          </li>
        </>
      )}
    </ol>
  );
}
