/**
 * RFC 6962 (Certificate Transparency) Merkle tree over 32-byte hashes: leaf `sha256(0x00 || h)`,
 * node `sha256(0x01 || l || r)`, empty tree `sha256()`. Built level by level, carrying a lone last
 * node up unchanged, which is exactly RFC 6962's split at the largest power of two below n.
 */
import {
  bytesToHex,
  concatBytes,
  equalBytes,
  hexToBytes,
  isHex,
  sha256,
} from '../encoding/index.js';
import { WaybillError } from '../errors.js';

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Audit path, sibling hashes from the leaf up, lowercase hex. */
  readonly path: readonly string[];
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(item: Uint8Array): Uint8Array {
  return sha256(concatBytes(LEAF, item));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(NODE, left, right));
}

function toLeaves(itemsHex: readonly string[]): Uint8Array[] {
  return itemsHex.map((item, i) => leafHash(hexToBytes(item, 32, `leaf ${i}`)));
}

/** Every level of the tree, leaves first; the last level holds the root. */
function levels(leaves: Uint8Array[]): Uint8Array[][] {
  const out = [leaves];
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1];
      next.push(right ? nodeHash(left, right) : left);
    }
    out.push(next);
    level = next;
  }
  return out;
}

/** Root of the tree over `itemsHex` (32-byte hashes in hex). */
export function merkleRoot(itemsHex: readonly string[]): string {
  if (itemsHex.length === 0) return bytesToHex(sha256(new Uint8Array(0)));
  const all = levels(toLeaves(itemsHex));
  return bytesToHex((all[all.length - 1] as Uint8Array[])[0] as Uint8Array);
}

/** Audit paths of every leaf at once (a block serves all its transactions' proofs). */
export function inclusionProofs(itemsHex: readonly string[]): InclusionProof[] {
  const all = levels(toLeaves(itemsHex));
  return itemsHex.map((_, leafIndex) => {
    const path: string[] = [];
    let index = leafIndex;
    for (const level of all.slice(0, -1)) {
      const sibling = level[index ^ 1];
      if (sibling) path.push(bytesToHex(sibling));
      index >>= 1;
    }
    return { leafIndex, treeSize: itemsHex.length, path };
  });
}

export function inclusionProof(itemsHex: readonly string[], leafIndex: number): InclusionProof {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= itemsHex.length) {
    throw new WaybillError(
      'INVALID_PROOF',
      `leaf index ${leafIndex} is outside a tree of ${itemsHex.length} leaves`,
    );
  }
  return inclusionProofs(itemsHex)[leafIndex] as InclusionProof;
}

/**
 * RFC 9162 section 2.1.3.2 verification: true when `itemHex` is leaf `proof.leafIndex` of a tree
 * of `proof.treeSize` leaves whose root is `rootHex`. False, never a throw, on malformed input.
 */
export function verifyInclusion(itemHex: string, proof: InclusionProof, rootHex: string): boolean {
  const { leafIndex, treeSize, path } = proof;
  if (!isHex(itemHex, 32) || !isHex(rootHex, 32) || !Array.isArray(path)) return false;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return false;
  if (leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let hash = leafHash(hexToBytes(itemHex));
  for (const siblingHex of path) {
    if (sn === 0 || !isHex(siblingHex, 32)) return false;
    const sibling = hexToBytes(siblingHex);
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(hash, hexToBytes(rootHex));
}
