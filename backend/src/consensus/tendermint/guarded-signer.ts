/**
 * The last line against double-signing: before an authority signs a vote or a proposal it checks
 * what it already signed for that height, round and step, and hands back the earlier signature
 * instead of a conflicting one. The record survives restarts through `SignatureRecord`, so a node
 * that crashed mid-round cannot equivocate by voting again from a fresh engine.
 */
import type { Proposal, SignedProposal, SignedVote, Vote } from '@waybill/shared/block';
import type { EngineSigner } from './types.js';

/** Where signed messages are remembered: a file or table on a node, a map in tests. */
export interface SignatureRecord {
  get(slot: string): SignedVote | SignedProposal | undefined;
  /** Must be durable before it returns: the signature leaves the node right after. */
  put(slot: string, signed: SignedVote | SignedProposal): void;
  /** Forgets slots below `height` (they can never be signed again). */
  prune(height: number): void;
}

export interface RawSigner {
  readonly publicKey: string;
  signVote(vote: Vote): SignedVote;
  signProposal(proposal: Proposal): SignedProposal;
}

export function voteSlot(v: Pick<Vote, 'height' | 'round' | 'type'>): string {
  return `${v.height}:${v.round}:${v.type}`;
}

export function proposalSlot(p: Pick<Proposal, 'height' | 'round'>): string {
  return `${p.height}:${p.round}:proposal`;
}

export class GuardedSigner implements EngineSigner {
  constructor(
    private readonly raw: RawSigner,
    private readonly record: SignatureRecord,
  ) {}

  get publicKey(): string {
    return this.raw.publicKey;
  }

  signVote(vote: Vote): SignedVote {
    const slot = voteSlot(vote);
    const earlier = this.record.get(slot);
    if (earlier && 'type' in earlier) return earlier;
    const signed = this.raw.signVote(vote);
    this.record.put(slot, signed);
    return signed;
  }

  signProposal(proposal: Proposal): SignedProposal {
    const slot = proposalSlot(proposal);
    const earlier = this.record.get(slot);
    if (earlier && 'proposer' in earlier) return earlier;
    const signed = this.raw.signProposal(proposal);
    this.record.put(slot, signed);
    return signed;
  }
}

/** A record in memory only: for observers' tests and the simulation. */
export class MemorySignatureRecord implements SignatureRecord {
  private readonly slots = new Map<string, SignedVote | SignedProposal>();

  get(slot: string): SignedVote | SignedProposal | undefined {
    return this.slots.get(slot);
  }

  put(slot: string, signed: SignedVote | SignedProposal): void {
    this.slots.set(slot, signed);
  }

  prune(height: number): void {
    for (const slot of this.slots.keys()) {
      if (Number(slot.slice(0, slot.indexOf(':'))) < height) this.slots.delete(slot);
    }
  }
}
