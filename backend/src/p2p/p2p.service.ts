/**
 * The node's libp2p host: TCP + Noise + Yamux, identify and ping, gossipsub for the two topics,
 * and the status/blocks request-response protocols that sync serves from the chain. Also the
 * peering policy: static bootstrap peers kept connected, an optional allow-list (permissioned
 * mode), and penalties (disconnect and refuse for a while) for peers that send invalid data.
 *
 * It carries bytes and never interprets them: topic handlers decide validity, and blocks fetched
 * from peers are returned unverified for the caller to check.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub, TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub';
import { createPeerScoreParams, createTopicScoreParams } from '@libp2p/gossipsub/score';
import { identify, type Identify } from '@libp2p/identify';
import type {
  Connection,
  ConnectionGater,
  IdentifyResult,
  Libp2p,
  PeerId,
  Stream,
} from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { ping, type Ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Block } from '@waybill/shared/block';
import { createLibp2p } from 'libp2p';
import { isIP } from 'node:net';
import { P2pError } from './errors.js';
import { GossipStreamWatchdog } from './gossip-watchdog.js';
import {
  GOSSIP_TOPICS,
  type BlockSource,
  type GossipHandler,
  type GossipTopic,
  type PeerStatus,
  type PeerSummary,
  type Verdict,
} from './interface.js';
import type { P2pOptions } from './p2p.options.js';
import { loadOrCreatePeerKey } from './peer-key.js';
import { PeerPenalties } from './penalties.js';
import {
  blocksProtocol,
  decodeJson,
  encodeJson,
  MAX_REQUEST_BYTES,
  parseBlock,
  parseBlocksHead,
  parseBlocksRequest,
  parseStatusHead,
  statusProtocol,
  topicName,
} from './protocol.js';
import { Redialer, type RedialTarget } from './redialer.js';

/** Injection tokens: P2pModule binds them to the node config and ChainService. */
export const P2P_OPTIONS = Symbol('P2P_OPTIONS');
export const BLOCK_SOURCE = Symbol('BLOCK_SOURCE');

export type {
  BlockSource,
  GossipHandler,
  GossipTopic,
  PeerStatus,
  PeerSummary,
  Verdict,
} from './interface.js';

type Services = { identify: Identify; ping: Ping; pubsub: GossipSub };

/** Room for the gossipsub envelope (signature, key, seqno, topic, control) around one message. */
const RPC_OVERHEAD_BYTES = 64 * 1024;
/**
 * gossipsub 17 length-prefixes every outgoing RPC with it-length-prefixed's default limit of 4 MiB
 * and drops (logging only) any RPC above it, whatever its options say. So a gossip message can be
 * at most this big, whatever WAYBILL_MAX_MESSAGE_BYTES allows; request/response frames are not
 * affected.
 */
export const GOSSIP_WIRE_LIMIT_BYTES = 4 * 1024 * 1024 - RPC_OVERHEAD_BYTES;
/**
 * A blocks response stops adding blocks past this many bytes (it always has at least one): a
 * catching-up node holds a whole response, decoded, until its last block is stored, and the
 * serving node holds it encoded. 4 MiB is a few thousand events, seconds of a sync's work per
 * round trip. With the former budget, four 8 MiB frames, a syncing observer peaked about 200 MB
 * higher (docs/benchmarks.md, "Memory").
 */
const RESPONSE_BUDGET_BYTES = 4 * 1024 * 1024;
/** Concurrent inbound request streams per connection and protocol. */
const MAX_INBOUND_REQUESTS = 4;
/** How often every peer's gossipsub stream is checked (see gossip-watchdog.ts). */
const WATCHDOG_INTERVAL_MS = 2_000;
const WATCHDOG_FIRST_CHECK_MS = 300;
/** At stop, how long a connection may take to close gracefully before it is cut. */
const CLOSE_GRACE_MS = 200;

@Injectable()
export class P2pService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('p2p');
  private node: Libp2p<Services> | undefined;
  private ownId: string | undefined;
  /** performance.now() until which every peer is refused (test control; 0 = not isolated). */
  private isolatedUntil = 0;
  private readonly handlers = new Map<GossipTopic, GossipHandler>();
  private readonly connectedListeners = new Set<(peerId: string) => void>();
  /** Connected peers that identified with this chain's protocols. */
  private readonly ready = new Set<string>();
  private readonly penalties: PeerPenalties;
  private readonly allowed: ReadonlySet<string> | undefined;
  private readonly topics: Record<GossipTopic, string>;
  private readonly statusProtocol: string;
  private readonly blocksProtocol: string;
  private redialer: Redialer | undefined;
  private watchdog: GossipStreamWatchdog | undefined;

  constructor(
    @Inject(P2P_OPTIONS) private readonly options: P2pOptions,
    @Inject(BLOCK_SOURCE) private readonly source: BlockSource,
  ) {
    this.penalties = new PeerPenalties({
      maxRejects: options.maxRejects,
      rejectWindowMs: options.rejectWindowMs,
      penaltyMs: options.penaltyMs,
    });
    this.allowed = options.allowedPeers.length > 0 ? new Set(options.allowedPeers) : undefined;
    this.topics = {
      transactions: topicName(options.chainId, 'transactions'),
      consensus: topicName(options.chainId, 'consensus'),
    };
    this.statusProtocol = statusProtocol(options.chainId);
    this.blocksProtocol = blocksProtocol(options.chainId);
  }

  /**
   * Largest message publish() accepts and receivers take: WAYBILL_MAX_MESSAGE_BYTES, capped by
   * what gossipsub can carry (GOSSIP_WIRE_LIMIT_BYTES, just under 4 MiB).
   */
  get maxGossipBytes(): number {
    return Math.min(this.options.maxMessageBytes, GOSSIP_WIRE_LIMIT_BYTES);
  }

  /** This node's peer id (`12D3KooW…`); throws NOT_STARTED before start. */
  get peerId(): string {
    if (this.ownId === undefined) throw new P2pError('NOT_STARTED', 'the p2p host has not started');
    return this.ownId;
  }

  /** Full multiaddrs this node listens on, each ending in /p2p/<peer id>. */
  get listenAddresses(): string[] {
    const node = this.started();
    return node.getMultiaddrs().map((ma) => {
      const text = ma.toString();
      return text.includes('/p2p/') ? text : `${text}/p2p/${node.peerId.toString()}`;
    });
  }

  async onModuleInit(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (this.node) return;
    const { options } = this;
    const { privateKey, peerId } = await loadOrCreatePeerKey(options.peerKeyFile);
    const refuse = (peer: PeerId) => this.refuses(peer.toString());
    const gater: ConnectionGater = {
      denyDialPeer: refuse,
      denyInboundEncryptedConnection: refuse,
      denyOutboundEncryptedConnection: refuse,
    };
    const family = isIP(options.host) === 6 ? 'ip6' : 'ip4';
    const topicParams = createTopicScoreParams({
      topicWeight: 1,
      // Only invalid messages count: a small permissioned network is quiet, so delivery-rate
      // and time-in-mesh terms would punish honest peers for having nothing to say.
      timeInMeshWeight: 0,
      firstMessageDeliveriesWeight: 0,
      meshMessageDeliveriesWeight: 0,
      meshFailurePenaltyWeight: 0,
      // n rejects score -10·n²: 3 of them pass the graylist threshold (-80).
      invalidMessageDeliveriesWeight: -10,
      invalidMessageDeliveriesDecay: 0.9,
    });
    const node = await createLibp2p<Services>({
      start: false,
      privateKey,
      addresses: { listen: [`/${family}/${options.host}/tcp/${options.port}`] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: gater,
      connectionManager: {
        // Every devnet node is on 127.0.0.1: do not rate-limit inbound connections per host.
        inboundConnectionThreshold: 100,
        // Bootstrap peers are redialled by our own Redialer.
        reconnectRetries: 0,
        dialTimeout: Math.min(5_000, options.requestTimeoutMs),
      },
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub({
          globalSignaturePolicy: 'StrictSign',
          emitSelf: false,
          // Message ids are gossipsub's default for signed messages, from + seqno: republishing
          // the same bytes later is a new message, never a dropped duplicate.
          allowPublishToZeroTopicPeers: true,
          ignoreDuplicatePublishError: true,
          fallbackToFloodsub: false,
          doPX: false,
          allowedTopics: Object.values(this.topics),
          maxInboundDataLength:
            Math.min(options.maxMessageBytes, GOSSIP_WIRE_LIMIT_BYTES) + RPC_OVERHEAD_BYTES,
          scoreParams: createPeerScoreParams({
            // Devnets and consortia often share an IP; colocation says nothing here.
            IPColocationFactorWeight: 0,
            topics: {
              [this.topics.transactions]: topicParams,
              [this.topics.consensus]: topicParams,
            },
          }),
        }),
      },
    });
    await node.handle(
      this.statusProtocol,
      (stream, connection) =>
        this.serve(stream, connection, async (_request, lp, signal) => {
          const { height, headHash } = this.source;
          await lp.write(encodeJson({ ok: true, height, hash: headHash }), { signal });
        }),
      { maxInboundStreams: MAX_INBOUND_REQUESTS },
    );
    await node.handle(
      this.blocksProtocol,
      (stream, connection) =>
        this.serve(stream, connection, (request, lp, signal) =>
          this.serveBlocks(request, lp, signal),
        ),
      { maxInboundStreams: MAX_INBOUND_REQUESTS },
    );
    for (const topic of GOSSIP_TOPICS) {
      node.services.pubsub.topicValidators.set(this.topics[topic], (from, message) =>
        this.validate(topic, from, message),
      );
    }
    node.addEventListener('peer:connect', (event) => {
      const peer = event.detail.toString();
      this.logger.debug(`peer connected: ${peer}`);
      this.redialer?.connected(peer);
    });
    node.addEventListener('peer:disconnect', (event) => {
      const peer = event.detail.toString();
      this.ready.delete(peer);
      this.logger.debug(`peer disconnected: ${peer}`);
      this.redialer?.disconnected(peer);
    });
    node.addEventListener('peer:identify', (event) => {
      this.identified(event.detail);
    });

    this.node = node;
    this.ownId = peerId;
    this.watchdog = new GossipStreamWatchdog(node.services.pubsub, {
      intervalMs: WATCHDOG_INTERVAL_MS,
      connections: () =>
        node
          .getConnections()
          .filter((c) => c.status === 'open' && this.ready.has(c.remotePeer.toString())),
      onRepair: (peer) => {
        this.logger.debug(`reopened the gossip stream to ${peer}`);
      },
    });
    try {
      await node.start();
    } catch (error) {
      this.node = undefined;
      this.ownId = undefined;
      try {
        await node.stop();
      } catch {
        // Already failing: the start error is the one to report.
      }
      throw new P2pError(
        'LISTEN_FAILED',
        `cannot start libp2p on ${options.host}:${options.port} (WAYBILL_P2P_HOST, WAYBILL_P2P_PORT): ${describe(error)}`,
      );
    }
    this.watchdog.start();
    for (const topic of this.handlers.keys()) node.services.pubsub.subscribe(this.topics[topic]);
    this.logger.log(`p2p listening on ${this.listenAddresses.join(', ')}`);
    this.logger.log(
      this.allowed
        ? `p2p permissioned: ${this.allowed.size} peer ids may connect`
        : 'p2p open to any peer',
    );

    const targets = this.bootstrapTargets(peerId);
    this.redialer = new Redialer(targets, {
      minMs: options.redialMinMs,
      maxMs: options.redialMaxMs,
      dial: async (target) => {
        await node.dial(multiaddr(target.address));
      },
      isConnected: (peer) => node.getConnections(peerIdFromString(peer)).length > 0,
      blockedForMs: (peer) =>
        Math.max(this.penalties.remainingMs(peer), this.isolatedUntil - performance.now()),
      onFailure: (target, attempt, error) => {
        const log = attempt === 1 || attempt % 10 === 0 ? 'log' : 'debug';
        this.logger[log](
          `cannot reach bootstrap peer ${target.address} (attempt ${attempt}): ${describe(error)}`,
        );
      },
    });
    this.redialer.start();
  }

  async stop(): Promise<void> {
    const node = this.node;
    if (!node) return;
    this.node = undefined;
    this.redialer?.stop();
    this.redialer = undefined;
    this.watchdog?.stop();
    this.watchdog = undefined;
    this.ready.clear();
    // gossipsub 17 leaves its pending heartbeat timeout running after stop() (up to 1 s, keeping
    // the process alive): stop it first, clearing the timeout its stop() forgets.
    const pubsub = node.services.pubsub as unknown as GossipsubInternals;
    const heartbeat = pubsub.status?.heartbeatTimeout;
    const pubsubStopped = pubsub.stop?.();
    if (heartbeat !== undefined) clearTimeout(heartbeat);
    await pubsubStopped;
    // libp2p's stop() waits up to 500 ms per connection for a 'close' event that a graceful close
    // does not always emit: close them first, abruptly after a short grace.
    await Promise.all(
      node.getConnections().map(async (connection) => {
        try {
          await connection.close({ signal: AbortSignal.timeout(CLOSE_GRACE_MS) });
        } catch (error) {
          connection.abort(error instanceof Error ? error : new Error(describe(error)));
        }
      }),
    );
    await node.stop();
    // The address manager debounces a peer-store update (1 s) on 'transport:close' and has no
    // stop(): cancel it so nothing outlives the host.
    (
      node as unknown as Libp2pInternals
    ).components?.addressManager?._updatePeerStoreAddresses?.stop?.();
    this.logger.debug('p2p stopped');
  }

  /**
   * Sets the handler (and validator) of a topic and subscribes to it; one handler per topic. It
   * runs on every received message before it is forwarded or delivered: `accept` forwards,
   * `ignore` drops silently, `reject` drops and penalizes the delivering peer (gossipsub's
   * invalid-message score, and after `maxRejects` within `rejectWindowMs` a disconnect and a
   * refusal for `penaltyMs`). A handler that throws counts as `ignore`.
   */
  onGossip(topic: GossipTopic, handler: GossipHandler): void {
    if (this.handlers.has(topic)) {
      throw new P2pError('HANDLER_EXISTS', `the ${topic} topic already has a handler`);
    }
    this.handlers.set(topic, handler);
    this.node?.services.pubsub.subscribe(this.topics[topic]);
  }

  /**
   * Publishes to the topic. Resolves (does not throw) when no peer is subscribed yet: the message
   * is then lost, so callers that need delivery republish (a new message id each time). Rejects
   * with TOO_LARGE above `maxGossipBytes`.
   */
  async publish(topic: GossipTopic, data: Uint8Array): Promise<void> {
    const node = this.started();
    if (data.byteLength > this.maxGossipBytes) {
      throw new P2pError(
        'TOO_LARGE',
        `a ${topic} message of ${data.byteLength} bytes is over the gossip limit of ${this.maxGossipBytes} bytes`,
        { limit: this.maxGossipBytes, size: data.byteLength },
      );
    }
    try {
      await node.services.pubsub.publish(this.topics[topic], data);
    } catch (error) {
      const text = describe(error);
      if (text.includes('NoPeersSubscribedToTopic') || text.includes('Duplicate')) return;
      throw new P2pError('PUBLISH_FAILED', `publishing to ${topic} failed: ${text}`);
    }
  }

  /** Connected peers that identified with this chain's protocols (the ones worth asking). */
  peers(): PeerSummary[] {
    if (!this.node) return [];
    const summaries = new Map<string, PeerSummary>();
    for (const connection of this.node.getConnections()) {
      const peer = connection.remotePeer.toString();
      if (connection.status !== 'open' || !this.ready.has(peer) || summaries.has(peer)) continue;
      summaries.set(peer, {
        peerId: peer,
        address: connection.remoteAddr.toString(),
        direction: connection.direction,
        ...(connection.rtt !== undefined && { latencyMs: Math.round(connection.rtt) }),
      });
    }
    return [...summaries.values()];
  }

  /**
   * Calls `listener` with the peer id whenever a peer connects and has identified as a node of
   * this chain (so status and fetchBlocks can be asked of it). Returns the unsubscribe function.
   */
  onPeerConnected(listener: (peerId: string) => void): () => void {
    this.connectedListeners.add(listener);
    return () => {
      this.connectedListeners.delete(listener);
    };
  }

  /** A peer's finalized head. Rejects with TIMEOUT, REQUEST_FAILED, REMOTE_ERROR or BAD_RESPONSE. */
  async status(peerId: string): Promise<PeerStatus> {
    return this.request(peerId, this.statusProtocol, {}, async (lp, signal) =>
      parseStatusHead(decodeJson((await lp.read({ signal })).subarray(), 'status'), peerId),
    );
  }

  /**
   * Finalized blocks `fromHeight..toHeight` inclusive from a peer, in height order; the server may
   * return fewer (at most `maxBlocksPerRequest`, none past its head). Shape-checked, NOT verified:
   * the caller checks hashes, links and certificates.
   */
  async fetchBlocks(peerId: string, fromHeight: number, toHeight: number): Promise<Block[]> {
    if (!Number.isSafeInteger(fromHeight) || fromHeight < 1 || !Number.isSafeInteger(toHeight)) {
      throw new P2pError(
        'BAD_REQUEST',
        `cannot fetch blocks ${fromHeight}..${toHeight}: heights start at 1`,
      );
    }
    if (toHeight < fromHeight) return [];
    const max = Math.min(toHeight - fromHeight + 1, this.options.maxBlocksPerRequest);
    return this.request(
      peerId,
      this.blocksProtocol,
      { from: fromHeight, to: toHeight },
      async (lp, signal) => {
        const count = parseBlocksHead(
          decodeJson((await lp.read({ signal })).subarray(), 'blocks head'),
          peerId,
          max,
        );
        const blocks: Block[] = [];
        for (let i = 0; i < count; i++) {
          const frame = await lp.read({ signal });
          blocks.push(parseBlock(decodeJson(frame.subarray(), 'block'), fromHeight + i, peerId));
        }
        return blocks;
      },
    );
  }

  /** Drops the peer and refuses it, both ways, for `penaltyMs`; logs a warning with the reason. */
  penalize(peerId: string, reason: string): void {
    let peer: PeerId;
    try {
      peer = peerIdFromString(peerId);
    } catch {
      this.logger.warn(`cannot penalize "${peerId}": not a peer id (${reason})`);
      return;
    }
    this.penalties.deny(peerId);
    this.ready.delete(peerId);
    this.logger.warn(
      `penalized peer ${peerId} for ${Math.round(this.options.penaltyMs / 1000)} s: ${reason}`,
    );
    this.node?.hangUp(peer).catch((error: unknown) => {
      this.logger.debug(`hanging up on ${peerId} failed: ${describe(error)}`);
    });
  }

  private started(): Libp2p<Services> {
    if (!this.node) throw new P2pError('NOT_STARTED', 'the p2p host is not running');
    return this.node;
  }

  /**
   * Test control (WAYBILL_TEST_CONTROLS): hangs up on every peer and refuses every connection, both
   * ways, for `ms`; then the redialer reconnects as after any outage. A network partition of this
   * node, made by its own connection gating rather than the host's firewall.
   */
  isolate(ms: number): { until: string; peers: number } {
    const node = this.started();
    this.isolatedUntil = performance.now() + ms;
    const peers = node.getPeers();
    this.logger.warn(`isolated from every peer for ${ms} ms (test control)`);
    for (const peer of peers) {
      this.ready.delete(peer.toString());
      node.hangUp(peer).catch((error: unknown) => {
        this.logger.debug(`hanging up on ${peer.toString()} failed: ${describe(error)}`);
      });
    }
    return { until: new Date(Date.now() + ms).toISOString(), peers: peers.length };
  }

  /** The connection gater's answer: refused when penalized, or not on the allow-list. */
  private refuses(peer: string): boolean {
    if (performance.now() < this.isolatedUntil) return true;
    if (this.allowed !== undefined && !this.allowed.has(peer)) {
      this.logger.debug(`refused peer ${peer}: not in WAYBILL_ALLOWED_PEERS`);
      return true;
    }
    return this.penalties.isDenied(peer);
  }

  private bootstrapTargets(self: string): RedialTarget[] {
    const targets = new Map<string, RedialTarget>();
    for (const address of this.options.bootstrap) {
      const peer = address.slice(address.lastIndexOf('/p2p/') + 5);
      if (peer === self) continue; // a shared devnet list names this node too
      if (this.allowed !== undefined && !this.allowed.has(peer)) {
        this.logger.warn(`bootstrap peer ${address} is not in WAYBILL_ALLOWED_PEERS; skipped`);
        continue;
      }
      targets.set(peer, { peerId: peer, address });
    }
    return [...targets.values()];
  }

  /** After identify: a peer without our status protocol is on another chain (or version). */
  private identified(result: IdentifyResult): void {
    const peer = result.peerId.toString();
    if (!this.node || this.ready.has(peer)) return;
    if (!result.protocols.includes(this.statusProtocol)) {
      this.penalize(peer, `it does not speak ${this.statusProtocol} (another chain or version)`);
      return;
    }
    if (result.connection.status !== 'open') return;
    this.ready.add(peer);
    this.watchdog?.checkSoon(result.connection, WATCHDOG_FIRST_CHECK_MS);
    for (const listener of this.connectedListeners) {
      try {
        listener(peer);
      } catch (error) {
        this.logger.error(`a peer-connected listener failed: ${describe(error)}`);
      }
    }
  }

  private async validate(
    topic: GossipTopic,
    source: PeerId,
    message: Message,
  ): Promise<TopicValidatorResult> {
    const from = source.toString();
    if (this.penalties.isDenied(from) || performance.now() < this.isolatedUntil)
      return TopicValidatorResult.Ignore;
    if (message.data.byteLength > this.maxGossipBytes) {
      this.rejected(
        from,
        `a ${topic} message of ${message.data.byteLength} bytes (limit ${this.maxGossipBytes})`,
      );
      return TopicValidatorResult.Reject;
    }
    const handler = this.handlers.get(topic);
    if (!handler) return TopicValidatorResult.Ignore;
    let verdict: Verdict;
    try {
      verdict = await handler(message.data, from);
    } catch (error) {
      this.logger.error(`the ${topic} handler failed (message ignored): ${describe(error)}`);
      return TopicValidatorResult.Ignore;
    }
    switch (verdict) {
      case 'accept':
        return TopicValidatorResult.Accept;
      case 'ignore':
        return TopicValidatorResult.Ignore;
      case 'reject':
        this.rejected(from, `an invalid ${topic} message`);
        return TopicValidatorResult.Reject;
    }
  }

  private rejected(peer: string, what: string): void {
    this.logger.debug(`rejected ${what} from ${peer}`);
    if (this.penalties.recordReject(peer)) {
      this.penalize(
        peer,
        `${this.options.maxRejects} rejected gossip messages within ${Math.round(this.options.rejectWindowMs / 1000)} s, the last ${what}`,
      );
    }
  }

  /** One request/response exchange as the client, bounded by `requestTimeoutMs` end to end. */
  private async request<T>(
    peer: string,
    protocol: string,
    body: unknown,
    read: (lp: LengthPrefixedStream<Stream>, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const node = this.started();
    let target: PeerId;
    try {
      target = peerIdFromString(peer);
    } catch {
      throw new P2pError('BAD_REQUEST', `"${peer}" is not a peer id`);
    }
    if (peer === this.ownId) throw new P2pError('BAD_REQUEST', 'cannot send a request to self');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, this.options.requestTimeoutMs);
    const { signal } = controller;
    let stream: Stream | undefined;
    try {
      stream = await node.dialProtocol(target, protocol, { signal });
      stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, this.frameLimit() * 2);
      const lp = lpStream(stream, {
        maxDataLength: this.options.maxMessageBytes,
        maxBufferSize: this.frameLimit() * 2,
      });
      await lp.write(encodeJson(body), { signal });
      await stream.close({ signal });
      return await read(lp, signal);
    } catch (error) {
      stream?.abort(error instanceof Error ? error : new Error(describe(error)));
      if (signal.aborted) {
        throw new P2pError(
          'TIMEOUT',
          `${protocol} request to ${peer} took over ${this.options.requestTimeoutMs} ms`,
          { peer },
        );
      }
      if (error instanceof P2pError) throw error;
      throw new P2pError(
        'REQUEST_FAILED',
        `${protocol} request to ${peer} failed: ${describe(error)}`,
        {
          peer,
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Largest frame plus its length prefix. */
  private frameLimit(): number {
    return this.options.maxMessageBytes + 16;
  }

  /** One request/response exchange as the server. */
  private async serve(
    stream: Stream,
    connection: Connection,
    respond: (
      request: unknown,
      lp: LengthPrefixedStream<Stream>,
      signal: AbortSignal,
    ) => Promise<void>,
  ): Promise<void> {
    const peer = connection.remotePeer.toString();
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, this.options.requestTimeoutMs);
    const { signal } = controller;
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES });
      const frame = await lp.read({ signal });
      let request: unknown;
      try {
        request = decodeJson(frame.subarray(), 'request');
      } catch {
        request = undefined;
      }
      await respond(request, lp, signal);
      await stream.close({ signal });
    } catch (error) {
      this.logger.debug(`${stream.protocol} request from ${peer} failed: ${describe(error)}`);
      stream.abort(error instanceof Error ? error : new Error(describe(error)));
    } finally {
      clearTimeout(timer);
    }
  }

  private async serveBlocks(
    request: unknown,
    lp: LengthPrefixedStream<Stream>,
    signal: AbortSignal,
  ): Promise<void> {
    const range = parseBlocksRequest(request);
    if (range === undefined || range.from < 1 || range.to < range.from) {
      await lp.write(
        encodeJson({ ok: false, error: 'expected { from, to } with 1 <= from <= to' }),
        { signal },
      );
      return;
    }
    const last = Math.min(
      range.to,
      range.from + this.options.maxBlocksPerRequest - 1,
      this.source.height,
    );
    const frames: Uint8Array[] = [];
    let bytes = 0;
    for (let height = range.from; height <= last; height++) {
      const stored = await this.source.blockAt(height);
      if (!stored) break;
      const txs = await this.source.txsOfBlock(height);
      const refusals = await this.source.refusalsOfBlock(height);
      const frame = encodeJson({
        header: stored.header,
        txs: txs.map((t) => t.tx),
        ...(refusals.length > 0 && {
          refused: refusals.map((r) => ({ tx: r.tx, code: r.code })),
        }),
        commit: stored.commit,
      });
      if (frame.byteLength > this.options.maxMessageBytes) {
        this.logger.warn(
          `block ${height} is ${frame.byteLength} bytes, over WAYBILL_MAX_MESSAGE_BYTES; cannot serve it`,
        );
        break;
      }
      if (frames.length > 0 && bytes + frame.byteLength > RESPONSE_BUDGET_BYTES) break;
      frames.push(frame);
      bytes += frame.byteLength;
    }
    await lp.write(encodeJson({ ok: true, count: frames.length }), { signal });
    for (const frame of frames) await lp.write(frame, { signal });
  }
}

/** What P2pService reaches into libp2p for at stop (see stop()). */
interface Libp2pInternals {
  components?: { addressManager?: { _updatePeerStoreAddresses?: { stop?: () => void } } };
}

/** What P2pService reads of gossipsub's internals to clear its forgotten heartbeat timeout. */
interface GossipsubInternals {
  status?: { heartbeatTimeout?: ReturnType<typeof setTimeout> };
  stop?: () => Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
