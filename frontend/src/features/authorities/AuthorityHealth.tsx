import { isOnline } from '@/features/dashboard/live-state';

/** Online or offline by its last signature, and any equivocations recorded against it. */
export function AuthorityHealth({
  lastSignedHeight,
  height,
  evidenceCount,
}: {
  lastSignedHeight: number | null;
  height: number;
  evidenceCount: number;
}) {
  return (
    <>
      {isOnline(lastSignedHeight, height) ? (
        <span className="badge ok">Online</span>
      ) : (
        <span className="badge bad">Offline</span>
      )}{' '}
      {evidenceCount > 0 ? (
        <span className="badge bad">
          {evidenceCount} equivocation{evidenceCount === 1 ? '' : 's'}
        </span>
      ) : null}
    </>
  );
}
