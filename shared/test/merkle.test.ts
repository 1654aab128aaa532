import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes, sha256 } from '../src/encoding/index.js';
import {
  inclusionProof,
  inclusionProofs,
  merkleRoot,
  verifyInclusion,
} from '../src/merkle/index.js';
import { WaybillError } from '../src/errors.js';

/** RFC 6962 section 2.1, written recursively exactly as the RFC states it. */
function referenceRoot(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256(new Uint8Array(0));
  if (items.length === 1) return sha256(concatBytes(new Uint8Array([0]), items[0]!));
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return sha256(
    concatBytes(
      new Uint8Array([1]),
      referenceRoot(items.slice(0, k)),
      referenceRoot(items.slice(k)),
    ),
  );
}

function referencePath(m: number, items: Uint8Array[]): Uint8Array[] {
  if (items.length <= 1) return [];
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return m < k
    ? [...referencePath(m, items.slice(0, k)), referenceRoot(items.slice(k))]
    : [...referencePath(m - k, items.slice(k)), referenceRoot(items.slice(0, k))];
}

const item = (i: number) => bytesToHex(sha256(new Uint8Array([i & 0xff, i >> 8])));
const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));

describe('RFC 6962 Merkle tree', () => {
  it('has the empty-tree root sha256("")', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(Array.from({ length: 17 }, (_, i) => i + 1))(
    'matches the RFC definition for %i leaves, with every proof',
    (n) => {
      const leaves = items(n);
      const root = merkleRoot(leaves);
      expect(root).toBe(bytesToHex(referenceRoot(leaves.map((h) => hexToBytes(h)))));
      inclusionProofs(leaves).forEach((proof, i) => {
        expect(proof.path).toEqual(
          referencePath(
            i,
            leaves.map((h) => hexToBytes(h)),
          ).map(bytesToHex),
        );
        expect(verifyInclusion(leaves[i]!, proof, root)).toBe(true);
      });
    },
  );

  it('refuses proofs for another leaf, index, size or root', () => {
    const leaves = items(7);
    const root = merkleRoot(leaves);
    const proof = inclusionProof(leaves, 3);
    expect(verifyInclusion(leaves[4]!, proof, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, leafIndex: 2 }, root)).toBe(false);
    // The size matters where it changes the shape of the path: the last leaf.
    const last = inclusionProof(leaves, 6);
    expect(verifyInclusion(leaves[6]!, last, root)).toBe(true);
    expect(verifyInclusion(leaves[6]!, { ...last, treeSize: 8 }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, treeSize: 3 }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, path: proof.path.slice(1) }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, path: [...proof.path, item(99)] }, root)).toBe(
      false,
    );
    expect(verifyInclusion(leaves[3]!, proof, item(1))).toBe(false);
    expect(verifyInclusion('zz', proof, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, path: ['00'] }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, leafIndex: -1 }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { ...proof, leafIndex: 1.5 }, root)).toBe(false);
    expect(() => inclusionProof(leaves, 7)).toThrow(WaybillError);
  });

  it('proves any leaf of any tree, and a changed byte anywhere fails (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (n, pick, bytePick, flip) => {
          const leaves = items(n);
          const index = pick % n;
          const root = merkleRoot(leaves);
          const proof = inclusionProof(leaves, index);
          expect(verifyInclusion(leaves[index]!, proof, root)).toBe(true);
          const mask = (flip % 255) + 1;
          const tamper = (hex: string) => {
            const bytes = hexToBytes(hex);
            const at = bytePick % 32;
            bytes[at] = bytes[at]! ^ mask;
            return bytesToHex(bytes);
          };
          expect(verifyInclusion(tamper(leaves[index]!), proof, root)).toBe(false);
          expect(verifyInclusion(leaves[index]!, proof, tamper(root))).toBe(false);
          if (proof.path.length > 0) {
            const at = bytePick % proof.path.length;
            const path = proof.path.map((h, i) => (i === at ? tamper(h) : h));
            expect(verifyInclusion(leaves[index]!, { ...proof, path }, root)).toBe(false);
          }
        },
      ),
      { seed: 6962, numRuns: 300 },
    );
  });
});
