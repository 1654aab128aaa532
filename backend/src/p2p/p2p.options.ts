/** The options of the libp2p host and their defaults; built from NodeConfig by P2pModule. */
import type { NodeConfig } from '../config/node-config.js';

export interface P2pOptions {
  /** Namespaces every topic and protocol: nodes of different chains never exchange messages. */
  chainId: string;
  /** IP address to listen on. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Full multiaddrs ending in /p2p/<peer id>; dialled at start, redialled with backoff. */
  bootstrap: readonly string[];
  /** Permissioned mode when non-empty: every other peer id is refused, inbound and outbound. */
  allowedPeers: readonly string[];
  /** The node's libp2p identity (created when missing, see peer-key.ts). */
  peerKeyFile: string;
  /** Largest gossip message, and largest request/response frame, in bytes. */
  maxMessageBytes: number;
  /** How long a penalized peer stays disconnected and refused. */
  penaltyMs: number;
  /** Rejected gossip messages from one peer within `rejectWindowMs` that get it penalized. */
  maxRejects: number;
  rejectWindowMs: number;
  /** Deadline of a status or blocks request, from dialling to the last byte. */
  requestTimeoutMs: number;
  /** Bootstrap redial backoff: first retry after `redialMinMs`, doubling up to `redialMaxMs`. */
  redialMinMs: number;
  redialMaxMs: number;
  /** Most blocks served per blocks request. */
  maxBlocksPerRequest: number;
}

export const P2P_DEFAULTS = {
  penaltyMs: 60_000,
  maxRejects: 3,
  rejectWindowMs: 60_000,
  requestTimeoutMs: 10_000,
  redialMinMs: 500,
  redialMaxMs: 10_000,
  maxBlocksPerRequest: 64,
} as const satisfies Partial<P2pOptions>;

/**
 * Who may connect. Set explicitly (a list, or `*` for anyone), that is the answer. Otherwise an
 * authority is permissioned by default: it accepts only the peers it was told to dial (its
 * bootstrap list), so a stranger can neither take its connection slots nor send it consensus
 * traffic; an observer, a public read node, accepts anyone. Empty means open.
 */
export function allowedPeersFor(
  config: Pick<NodeConfig, 'allowedPeers' | 'bootstrap'>,
  isAuthority: boolean,
): string[] {
  if (config.allowedPeers.includes('*')) return [];
  if (config.allowedPeers.length > 0) return config.allowedPeers;
  if (!isAuthority) return [];
  return config.bootstrap.map((address) => address.slice(address.lastIndexOf('/p2p/') + 5));
}

export function p2pOptionsFromConfig(
  config: NodeConfig,
  chainId: string,
  isAuthority: boolean,
): P2pOptions {
  return {
    ...P2P_DEFAULTS,
    chainId,
    host: config.p2pHost,
    port: config.p2pPort,
    bootstrap: config.bootstrap,
    allowedPeers: allowedPeersFor(config, isAuthority),
    peerKeyFile: config.peerKeyFile,
    maxMessageBytes: config.maxMessageBytes,
    penaltyMs: config.peerPenaltyMs,
  };
}
