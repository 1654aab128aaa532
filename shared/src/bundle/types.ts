/**
 * The provenance bundle: everything a consumer's browser needs to check a product's history while
 * trusting only the chain's genesis. Transactions come with the block that holds them (header,
 * inclusion proof) and each block with its commit certificate; the state records of the things
 * involved come with Merkle proofs against their block's state root, and each names the events of
 * its history hash chain, so a dropped event shows.
 */
import type { BlockHeader, CommitCertificate, GenesisConfig } from '../block/index.js';
import type { InclusionProof } from '../merkle/index.js';
import type { StateChange } from '../state/index.js';
import type { SignedTx } from '../tx/index.js';

export const BUNDLE_KIND = 'waybill/provenance-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleBlock {
  header: BlockHeader;
  commit: CommitCertificate;
}

export interface BundleTx {
  tx: SignedTx;
  height: number;
  /** Inclusion of the tx hash under the block's txRoot. */
  proof: InclusionProof;
}

/** A thing's record as a block wrote it, proven against that block's state root. */
export interface BundleRecord {
  height: number;
  change: StateChange;
  prevStateRoot: string;
  changesRoot: string;
  /** Inclusion of the change's hash under `changesRoot`. */
  proof: InclusionProof;
  /** Hashes of the events in the record's history chain, in order. */
  events: string[];
}

export interface ProvenanceBundle {
  kind: typeof BUNDLE_KIND;
  version: typeof BUNDLE_VERSION;
  /** The EPC the bundle is about. */
  subject: string;
  genesis: GenesisConfig;
  /** Ascending height, each height once. */
  blocks: BundleBlock[];
  /** In chain order: events, their context (identities, products, locations) and authority votes. */
  txs: BundleTx[];
  records: BundleRecord[];
}
