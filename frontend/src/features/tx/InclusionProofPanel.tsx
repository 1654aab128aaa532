'use client';
/** The transaction's Merkle audit path to its block's txRoot, checked here in the browser. */
import { verifyInclusion, type InclusionProof } from '@waybill/shared/merkle';
import { useMemo } from 'react';
import { Hash } from '@/components/Hash';

export function InclusionProofPanel({
  hash,
  proof,
  txRoot,
}: {
  hash: string;
  proof: InclusionProof;
  txRoot: string;
}) {
  const valid = useMemo(() => {
    try {
      return verifyInclusion(hash, proof, txRoot);
    } catch {
      return false;
    }
  }, [hash, proof, txRoot]);
  return (
    <section className="card" aria-labelledby="proof-heading">
      <h2 id="proof-heading">Inclusion proof</h2>
      <p>
        {valid ? (
          <span className="badge ok">Verified in your browser</span>
        ) : (
          <span className="badge bad">Does not verify</span>
        )}{' '}
        Leaf {proof.leafIndex} of {proof.treeSize} under the block&apos;s transactions root{' '}
        <Hash value={txRoot} label="transactions root" />.
      </p>
      {proof.path.length > 0 ? (
        <ol aria-label="Audit path">
          {proof.path.map((node, i) => (
            <li key={i}>
              <Hash value={node} label="proof node" />
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">The only transaction of its block: its hash is the root.</p>
      )}
    </section>
  );
}
