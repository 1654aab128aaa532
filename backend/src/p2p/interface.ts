/**
 * The p2p module's public types: what the consensus engine and sync code see of the network, and the
 * narrow view of the chain the host serves blocks from.
 */
import type { BlockHeader, CommitCertificate } from '@waybill/shared/block';

/** The two gossip topics; the wire name is `/waybill/<chainId>/<topic>/1`. */
export type GossipTopic = 'transactions' | 'consensus';

export const GOSSIP_TOPICS: readonly GossipTopic[] = ['transactions', 'consensus'];

/**
 * What a topic handler says about a received message:
 * - `accept`: valid; delivered (the handler already has it) and forwarded to the mesh;
 * - `ignore`: not forwarded, nobody is blamed (duplicate, stale, not checkable yet);
 * - `reject`: provably invalid (bad signature, wrong chain, malformed); not forwarded and the peer
 *   that sent it is penalized.
 */
export type Verdict = 'accept' | 'ignore' | 'reject';

/**
 * Runs on every received message of its topic before it is forwarded, and must answer fast (well
 * under 100 ms: gossipsub holds the message meanwhile). `from` is the connected peer that delivered
 * the message to us (gossipsub's propagation source), the one a `reject` penalizes; it is not
 * necessarily the peer that first published it.
 */
export type GossipHandler = (data: Uint8Array, from: string) => Verdict | Promise<Verdict>;

export interface PeerSummary {
  peerId: string;
  /** The remote multiaddr of the connection. */
  address: string;
  direction: 'inbound' | 'outbound';
  /** Round-trip time measured by libp2p's connection monitor (a ping every 10 s), when known. */
  latencyMs?: number;
}

/** A peer's finalized head. */
export interface PeerStatus {
  height: number;
  hash: string;
}

/** A stored block as the host serves it. */
export interface SourceBlock {
  header: BlockHeader;
  commit: CommitCertificate;
}

/**
 * What the host needs of the chain to answer status and block requests; ChainService fits it, and
 * tests pass an in-memory chain.
 */
export interface BlockSource {
  /** Height of the finalized head. */
  readonly height: number;
  /** `blockHash` of the finalized head. */
  readonly headHash: string;
  blockAt(height: number): Promise<SourceBlock | undefined>;
  /** The block's transactions, in block order. */
  txsOfBlock(height: number): Promise<readonly { tx: unknown }[]>;
  /** The refusals block `height` records, in order. */
  refusalsOfBlock(height: number): Promise<readonly { tx: unknown; code: string }[]>;
}
