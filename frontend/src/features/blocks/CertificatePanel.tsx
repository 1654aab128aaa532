import { Hash } from '@/components/Hash';
import type { BlockSigner } from './queries';

/** Which authorities of the block's set signed its commit certificate, and which did not. */
export function CertificatePanel({ signers, round }: { signers: BlockSigner[]; round: number }) {
  const signed = signers.filter((s) => s.signed).length;
  const quorum = Math.floor((2 * signers.length) / 3) + 1;
  return (
    <section className="card" aria-labelledby="certificate-heading">
      <h2 id="certificate-heading">Commit certificate</h2>
      <p>
        Signed by <strong>{signed}</strong> of {signers.length} authorities in round {round} (quorum{' '}
        {quorum}).{' '}
        {signed >= quorum ? (
          <span className="badge ok">Final</span>
        ) : (
          <span className="badge bad">Below quorum</span>
        )}
      </p>
      <ul className="live-list" aria-label="Authorities of this block">
        {signers.map((s) => (
          <li key={s.publicKey}>
            <span>
              {s.name ?? 'Unnamed authority'} <Hash value={s.publicKey} label="authority key" />
            </span>
            {s.signed ? (
              <span className="badge ok">Signed</span>
            ) : (
              <span className="badge warn">Did not sign</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
