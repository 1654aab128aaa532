/**
 * Works around a race in gossipsub 17 (@libp2p/gossipsub 17.1): when a peer disconnects and comes
 * back quickly (a restart), an outbound stream opened on the dying connection can be stored after
 * the peer was removed, and the registrar's disconnect notice can arrive after the new
 * connection's. gossipsub then keeps a dead outbound stream for the peer and never opens a new
 * one, so the peer never learns our subscriptions and gets nothing from us until we restart.
 * (libp2p/js-libp2p#3531 removes outbound streams when they close, but a stream that is already
 * closed when it is stored is never removed; seen here in about half the restarts under load.)
 *
 * The watchdog checks, shortly after a peer identifies and then every few seconds, that every
 * connected peer has a live outbound gossipsub stream, and opens one where it is missing. It reads
 * gossipsub's internals through a narrow, checked view: if a future version renames them, the
 * watchdog does nothing (and the redial test catches the regression).
 */
import type { Connection, PeerId } from '@libp2p/interface';

/** The parts of gossipsub's internals the watchdog touches. */
interface GossipsubView {
  peers: Map<string, PeerId>;
  streamsOutbound: Map<string, { rawStream?: { status?: string } }>;
  addPeer(peerId: PeerId, direction: Connection['direction'], addr: Connection['remoteAddr']): void;
  createOutboundStream(peerId: PeerId, connection: Connection): Promise<void>;
  isStarted(): boolean;
}

function viewOf(pubsub: unknown): GossipsubView | undefined {
  const candidate = pubsub as Partial<GossipsubView>;
  return candidate.peers instanceof Map &&
    candidate.streamsOutbound instanceof Map &&
    typeof candidate.addPeer === 'function' &&
    typeof candidate.createOutboundStream === 'function' &&
    typeof candidate.isStarted === 'function'
    ? (candidate as GossipsubView)
    : undefined;
}

export interface WatchdogOptions {
  /** Connections to check: open connections of peers that speak gossipsub. */
  connections: () => Connection[];
  intervalMs: number;
  onRepair?: (peer: string) => void;
}

export class GossipStreamWatchdog {
  private readonly view: GossipsubView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(
    pubsub: unknown,
    private readonly options: WatchdogOptions,
  ) {
    this.view = viewOf(pubsub);
  }

  start(): void {
    if (!this.view) return;
    this.timer = setInterval(() => {
      this.checkAll();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  /** Checks one connection after `delayMs` (gossipsub sets its streams up asynchronously). */
  checkSoon(connection: Connection, delayMs: number): void {
    if (!this.view) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      this.check(connection);
    }, delayMs);
    timer.unref();
    this.pending.add(timer);
  }

  private checkAll(): void {
    const seen = new Set<string>();
    for (const connection of this.options.connections()) {
      const peer = connection.remotePeer.toString();
      if (seen.has(peer)) continue;
      seen.add(peer);
      this.check(connection);
    }
  }

  private check(connection: Connection): void {
    const view = this.view;
    if (!view?.isStarted() || connection.status !== 'open') return;
    const id = connection.remotePeer.toString();
    const outbound = view.streamsOutbound.get(id);
    if (outbound !== undefined && outbound.rawStream?.status === 'open') return;
    if (outbound !== undefined) view.streamsOutbound.delete(id);
    if (!view.peers.has(id)) {
      view.addPeer(connection.remotePeer, connection.direction, connection.remoteAddr);
    }
    this.options.onRepair?.(id);
    void view.createOutboundStream(connection.remotePeer, connection).catch(() => undefined);
  }
}
