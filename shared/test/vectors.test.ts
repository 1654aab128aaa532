import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyCommitCertificate } from '../src/block/index.js';
import { verifyInclusion } from '../src/merkle/index.js';
import { buildVectors } from '../src/testing/vectors.js';
import { decodeTx, TX_TYPES, verifyTxSignature } from '../src/tx/index.js';

const committed = JSON.parse(
  readFileSync(new URL('vectors/protocol.json', import.meta.url), 'utf8'),
) as ReturnType<typeof buildVectors>;

describe('committed protocol vectors', () => {
  it('match what the code computes, byte for byte (regenerate with `pnpm vectors` after a deliberate change)', () => {
    expect(JSON.parse(JSON.stringify(buildVectors()))).toEqual(committed);
  });

  it('cover every transaction type, each decoding and verifying', () => {
    expect(committed.transactions.map((t) => t.type).sort()).toEqual([...TX_TYPES].sort());
    for (const vector of committed.transactions)
      expect(verifyTxSignature(decodeTx(vector.tx))).toBe(true);
  });

  it('hold a valid certificate and Merkle proofs for 1 to 17 leaves', () => {
    const { commitCertificate, block, keys } = committed;
    expect(
      verifyCommitCertificate({
        certificate: commitCertificate,
        chainId: block.header.chainId,
        validators: keys.authorities,
        header: block.header,
      }).ok,
    ).toBe(true);
    expect(committed.merkle.trees).toHaveLength(17);
    for (const tree of committed.merkle.trees) {
      tree.proofs.forEach((proof, i) => {
        expect(verifyInclusion(tree.leaves[i]!, proof, tree.root)).toBe(true);
      });
    }
  });
});
