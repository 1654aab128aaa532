/**
 * A discrete-event simulation of a network of Tendermint engines: seeded randomness decides
 * message delays, drops, duplicates and reordering, which authorities crash (and come back) and
 * which equivocate. No sockets, no timers: simulated time only, so a failing seed replays exactly.
 *
 * Before `gstMs` (the "global stabilization time") the network is hostile; after it every message
 * between live nodes arrives within `calmDelayMs`. Safety is checked over everything ever sent;
 * liveness is every live honest node reaching `targetHeight`.
 */
import type { SignedProposal, SignedVote, Vote } from '@waybill/shared/block';
import { TendermintEngine } from '../../src/consensus/tendermint/engine.js';
import {
  GuardedSigner,
  MemorySignatureRecord,
} from '../../src/consensus/tendermint/guarded-signer.js';
import type { EngineAction, Timeouts } from '../../src/consensus/tendermint/types.js';

export interface SimBlock {
  readonly height: number;
  readonly round: number;
  readonly proposer: string;
  readonly salt: number;
  /** Byzantine proposers sometimes propose blocks that do not execute. */
  readonly valid: boolean;
}

export function simBlockHash(block: SimBlock): string {
  return `${block.height}/${block.round}/${block.proposer}/${block.salt}/${block.valid ? 'ok' : 'bad'}`;
}

export interface SimOptions {
  readonly seed: number;
  readonly validators: number;
  /** Authorities that crash at a random time before GST; half of them come back later. */
  readonly crashed: number;
  /** Authorities that double-vote and propose two blocks. */
  readonly byzantine: number;
  readonly targetHeight: number;
  readonly gstMs: number;
  readonly chaos: {
    readonly drop: number;
    readonly duplicate: number;
    readonly maxDelayMs: number;
  };
  readonly calmDelayMs: number;
  /** Simulated time after GST by which every live honest node must reach the target. */
  readonly livenessBudgetMs: number;
  readonly timeouts: Timeouts;
}

export interface SimResult {
  readonly safe: boolean;
  readonly live: boolean;
  readonly problems: string[];
  readonly heights: number[];
  readonly evidenceAgainst: Set<string>;
  readonly equivocators: Set<string>;
  readonly endMs: number;
  readonly messages: number;
}

/** sfc32: small, fast, seedable; every random choice of a run flows from the seed. */
export function random(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

type Message =
  | { readonly kind: 'vote'; readonly vote: SignedVote }
  | {
      readonly kind: 'proposal';
      readonly proposal: SignedProposal;
      readonly block: SimBlock;
      readonly polka: readonly SignedVote[];
    };

interface Event {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** A binary min-heap of events by (time, insertion order). */
class Agenda {
  private readonly heap: Event[] = [];
  private seq = 0;

  push(at: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): Event | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Event, y: Event): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

interface Committed {
  readonly hash: string;
  readonly round: number;
  readonly precommits: readonly SignedVote[];
}

interface SimNode {
  readonly key: string;
  readonly byzantine: boolean;
  engine: TendermintEngine<SimBlock>;
  /** Bumped on every restart, so timers of a previous life are ignored. */
  life: number;
  up: boolean;
  chain: Committed[];
  readonly record: MemorySignatureRecord;
  syncing: boolean;
  lastProgressHeight: number;
}

const CHAIN_ID = 'sim';

function fakeSign<T extends object>(message: T, signer: string): T & { signature: string } {
  return { ...message, signature: `sig:${signer}` };
}

export function simulate(options: SimOptions): SimResult {
  const rand = random(options.seed);
  const int = (max: number) => Math.floor(rand() * max);
  const agenda = new Agenda();
  const problems: string[] = [];
  let now = 0;
  let messages = 0;
  const keys = Array.from(
    { length: options.validators },
    (_, i) => `v${String(i).padStart(2, '0')}`,
  );
  const byzantine = new Set(keys.slice(0, options.byzantine));
  const crashing = keys.slice(options.byzantine, options.byzantine + options.crashed);
  const validators = [...keys];
  const quorumSize = Math.floor((2 * keys.length) / 3) + 1;
  const evidenceAgainst = new Set<string>();
  const equivocators = new Set<string>();
  /** Every precommit anyone sent: height → round → hash → validators. */
  const precommitsSent = new Map<number, Map<number, Map<string, Set<string>>>>();

  const makeEngine = (node: Pick<SimNode, 'key' | 'record'>) =>
    new TendermintEngine<SimBlock>({
      chainId: CHAIN_ID,
      timeouts: options.timeouts,
      signer: new GuardedSigner(
        {
          publicKey: node.key,
          signVote: (vote: Vote) => fakeSign(vote, node.key),
          signProposal: (proposal) => fakeSign(proposal, node.key),
        },
        node.record,
      ),
    });

  const nodes: SimNode[] = keys.map((key) => {
    const record = new MemorySignatureRecord();
    return {
      key,
      byzantine: byzantine.has(key),
      engine: makeEngine({ key, record }),
      life: 0,
      up: true,
      chain: [],
      record,
      syncing: false,
      lastProgressHeight: 0,
    };
  });

  const noteSent = (vote: SignedVote) => {
    if (vote.type !== 'precommit' || vote.blockHash === null) return;
    let rounds = precommitsSent.get(vote.height);
    if (!rounds)
      precommitsSent.set(vote.height, (rounds = new Map<number, Map<string, Set<string>>>()));
    let hashes = rounds.get(vote.round);
    if (!hashes) rounds.set(vote.round, (hashes = new Map<string, Set<string>>()));
    let senders = hashes.get(vote.blockHash);
    if (!senders) hashes.set(vote.blockHash, (senders = new Set()));
    senders.add(vote.validator);
  };

  const deliverLater = (to: SimNode, message: Message) => {
    const calm = now >= options.gstMs;
    const copies = !calm && rand() < options.chaos.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (!calm && rand() < options.chaos.drop) continue;
      const delay = 1 + int(calm ? options.calmDelayMs : options.chaos.maxDelayMs);
      messages++;
      agenda.push(now + delay, () => {
        if (!to.up) return;
        if (message.kind === 'vote') {
          perform(to, to.engine.onVote(message.vote));
        } else {
          for (const vote of message.polka) perform(to, to.engine.onVote(vote));
          perform(to, to.engine.onProposal(message.proposal, message.block));
        }
      });
    }
  };

  const send = (from: SimNode, message: Message, recipients: SimNode[]) => {
    if (message.kind === 'vote') noteSent(message.vote);
    for (const to of recipients) if (to !== from) deliverLater(to, message);
  };

  /** The byzantine twist: a second, conflicting message to half of the network. */
  const equivocate = (from: SimNode, message: Message) => {
    const others = nodes.filter((n) => n !== from);
    const split = 1 + int(others.length - 1);
    const [first, second] = [others.slice(0, split), others.slice(split)];
    let twin: Message;
    if (message.kind === 'proposal') {
      const block: SimBlock = {
        ...message.block,
        salt: message.block.salt + 1,
        valid: rand() < 0.7,
      };
      const proposal = fakeSign(
        { ...message.proposal, blockHash: simBlockHash(block), signature: undefined },
        from.key,
      );
      twin = { kind: 'proposal', proposal, block, polka: [] };
    } else {
      const hash = message.vote.blockHash === null ? `forged/${int(1e9)}` : null;
      const vote = fakeSign({ ...message.vote, blockHash: hash }, from.key);
      equivocators.add(from.key);
      twin = { kind: 'vote', vote };
    }
    send(from, message, first);
    send(from, twin, second);
  };

  const perform = (node: SimNode, actions: EngineAction<SimBlock>[]) => {
    const life = node.life;
    const alive = () => node.up && node.life === life;
    for (const action of actions) {
      switch (action.type) {
        case 'build': {
          const block: SimBlock = {
            height: action.height,
            round: action.round,
            proposer: node.key,
            salt: int(1e9),
            valid: true,
          };
          agenda.push(now + int(5), () => {
            if (alive()) {
              perform(
                node,
                node.engine.onBlockBuilt(action.height, action.round, simBlockHash(block), block),
              );
            }
          });
          break;
        }
        case 'validate':
          agenda.push(now + int(4), () => {
            if (alive()) {
              perform(
                node,
                node.engine.onValidated(action.height, action.blockHash, action.block.valid),
              );
            }
          });
          break;
        case 'broadcastProposal': {
          const message: Message = {
            kind: 'proposal',
            proposal: action.proposal,
            block: action.block,
            polka: action.polka,
          };
          if (node.byzantine && rand() < 0.8) equivocate(node, message);
          else send(node, message, nodes);
          break;
        }
        case 'broadcastVote': {
          const message: Message = { kind: 'vote', vote: action.vote };
          if (node.byzantine && rand() < 0.6) equivocate(node, message);
          else send(node, message, nodes);
          break;
        }
        case 'schedule':
          agenda.push(now + action.delayMs, () => {
            if (alive()) perform(node, node.engine.onTimeout(action.timeout));
          });
          break;
        case 'commit':
          commit(node, action.height, {
            hash: action.blockHash,
            round: action.round,
            precommits: action.precommits,
          });
          break;
        case 'evidence':
          if (!node.byzantine) {
            if (action.first.validator !== action.second.validator) {
              problems.push(`evidence pairs votes of two validators at ${now} ms`);
            }
            evidenceAgainst.add(action.first.validator);
          }
          break;
        case 'behind':
          agenda.push(now + 50, () => {
            if (alive()) sync(node, action.height);
          });
          break;
      }
    }
  };

  /** What a node's host does with a decision: check the certificate, store, move on. */
  const commit = (node: SimNode, height: number, block: Committed) => {
    if (height !== node.chain.length + 1) {
      problems.push(`${node.key} committed height ${height} on top of ${node.chain.length}`);
      return;
    }
    const signers = new Set(
      block.precommits
        .filter(
          (v) =>
            v.type === 'precommit' &&
            v.height === height &&
            v.round === block.round &&
            v.blockHash === block.hash,
        )
        .map((v) => v.validator),
    );
    if (signers.size < quorumSize) {
      problems.push(`${node.key} committed ${block.hash} with only ${signers.size} precommits`);
    }
    node.chain.push(block);
    node.record.prune(height);
    enterNext(node);
  };

  const enterNext = (node: SimNode) => {
    const life = node.life;
    perform(node, node.engine.startHeight(node.chain.length + 1, validators));
    // The host wakes the height when it has work: here, after a short random pause.
    agenda.push(now + int(20), () => {
      if (node.up && node.life === life) perform(node, node.engine.wake());
    });
  };

  /** Block sync: copy certified blocks from a peer that has them (honest peers serve what they stored). */
  const sync = (node: SimNode, seen: number) => {
    if (node.syncing || node.chain.length + 1 >= seen) return;
    const source = nodes.find(
      (n) => n !== node && n.up && !n.byzantine && n.chain.length > node.chain.length,
    );
    if (!source) {
      // Whoever is ahead has not stored the block yet, or is down: ask again shortly.
      const life = node.life;
      agenda.push(now + 200, () => {
        if (node.up && node.life === life) sync(node, seen);
      });
      return;
    }
    node.syncing = true;
    agenda.push(now + 5 + int(20), () => {
      node.syncing = false;
      if (!node.up) return;
      const from = node.chain.length;
      const blocks = source.chain.slice(from);
      if (blocks.length === 0) return;
      for (const [i, block] of blocks.entries()) {
        node.chain.push(block);
        node.record.prune(from + i + 1);
      }
      enterNext(node);
    });
  };

  const crash = (node: SimNode) => {
    node.up = false;
    node.life++;
  };

  const restart = (node: SimNode) => {
    node.up = true;
    node.life++;
    // A fresh engine, as after a process restart; the signature record survives (it is on disk).
    node.engine = makeEngine(node);
    enterNext(node);
  };

  for (const node of nodes) enterNext(node);
  crashing.forEach((key, i) => {
    const node = nodes.find((n) => n.key === key)!;
    const at = int(Math.max(1, options.gstMs));
    agenda.push(at, () => {
      crash(node);
    });
    // Half of the crashed authorities come back, some before GST and some after.
    if (i % 2 === 0) {
      agenda.push(at + 200 + int(options.gstMs + 500), () => {
        restart(node);
      });
    }
  });

  // The host's nudge: re-send own messages when a height makes no progress.
  const rebroadcastEvery = 4 * (options.timeouts.propose + options.timeouts.delta);
  const nudge = () => {
    for (const node of nodes) {
      if (!node.up) continue;
      if (node.chain.length === node.lastProgressHeight) perform(node, node.engine.rebroadcast());
      node.lastProgressHeight = node.chain.length;
    }
    agenda.push(now + rebroadcastEvery, nudge);
  };
  agenda.push(rebroadcastEvery, nudge);

  const deadline = options.gstMs + options.livenessBudgetMs;
  const honestLive = () => nodes.filter((n) => n.up && !n.byzantine);
  const reachedTarget = () => honestLive().every((n) => n.chain.length >= options.targetHeight);
  let steps = 0;
  for (;;) {
    const event = agenda.pop();
    if (!event || event.at > deadline) break;
    now = event.at;
    event.run();
    if (++steps % 64 === 0 && now >= options.gstMs && reachedTarget()) break;
    if (steps > 5_000_000) {
      problems.push('the simulation ran away (5 million events)');
      break;
    }
  }

  // Safety 1: no height has two blocks with a quorum of precommits, counting everything sent.
  for (const [height, rounds] of precommitsSent) {
    const certified = new Set<string>();
    for (const hashes of rounds.values()) {
      for (const [hash, senders] of hashes) if (senders.size >= quorumSize) certified.add(hash);
    }
    if (certified.size > 1) {
      problems.push(`two certified blocks at height ${height}: ${[...certified].join(', ')}`);
    }
  }
  // Safety 2: every node's chain agrees with every other's, height by height.
  for (const node of nodes) {
    if (node.byzantine) continue;
    for (const [i, block] of node.chain.entries()) {
      for (const other of nodes) {
        const theirs = other.byzantine ? undefined : other.chain[i];
        if (theirs && theirs.hash !== block.hash) {
          problems.push(`${node.key} and ${other.key} disagree at height ${i + 1}`);
        }
      }
    }
  }
  // Evidence only ever names an authority that really equivocated.
  for (const accused of evidenceAgainst) {
    if (!byzantine.has(accused)) problems.push(`evidence against honest authority ${accused}`);
  }
  const safe = problems.length === 0;
  const live = reachedTarget();
  if (!live) {
    problems.push(
      `not live: heights ${honestLive()
        .map((n) => `${n.key}=${n.chain.length}`)
        .join(' ')} at ${now} ms, target ${options.targetHeight}`,
    );
  }
  return {
    safe,
    live,
    problems,
    heights: nodes.map((n) => n.chain.length),
    evidenceAgainst,
    equivocators,
    endMs: now,
    messages,
  };
}
