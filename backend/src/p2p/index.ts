/** The p2p module's public surface. */
export { P2pModule } from './p2p.module.js';
export { P2pService } from './p2p.service.js';
export { P2pError, type P2pErrorCode } from './errors.js';
export { loadOrCreatePeerKey, peerIdOfKeyFile, type PeerKey } from './peer-key.js';
export type {
  BlockSource,
  GossipHandler,
  GossipTopic,
  PeerStatus,
  PeerSummary,
  Verdict,
} from './interface.js';
export type { P2pOptions } from './p2p.options.js';
