/** What the dashboard shows, as the node's GraphQL answers it; shared by server and browser. */

export interface ActivityBucket {
  start: string;
  blocks: number;
  transactions: number;
}

export interface AuthorityStatus {
  publicKey: string;
  name: string | null;
  lastSignedHeight: number | null;
  lastSignedAt: string | null;
  evidenceCount: number;
}

export interface LiveTx {
  hash: string;
  type: string | null;
  signer: string | null;
  tx: unknown;
}

export interface LiveBlock {
  height: number;
  hash: string;
  timestamp: string;
  proposer: string;
  txCount: number;
  transactions: LiveTx[];
  signers: { publicKey: string; signed: boolean }[];
}

export interface Peer {
  peerId: string;
  address: string;
  direction: string;
  latencyMs: number | null;
}

export interface NetworkStatus {
  peerId: string;
  peers: Peer[];
  consensus: { mode: string; height: number; round: number; step: string };
}

export interface DashboardData {
  chain: {
    chainId: string;
    height: number;
    authorities: AuthorityStatus[];
    throughput: { transactionsPerSecond: number; windowSeconds: number };
  };
  network: NetworkStatus;
  blocks: { blocks: LiveBlock[] };
  /** The latest final transactions of the chain, which may be far below the head. */
  transactions: { transactions: (LiveTx & { height: number })[] };
  activity: ActivityBucket[];
}

export const LIVE_BLOCK_FIELDS =
  'height hash timestamp proposer txCount transactions { hash type signer tx } signers { publicKey signed }';

export const NETWORK_FIELDS =
  'peerId peers { peerId address direction latencyMs } consensus { mode height round step }';
