/**
 * Who is refused and why: counts rejected gossip per peer in a sliding window and keeps the deny
 * list of penalized peers. Plain bookkeeping over an injected clock; the host acts on its answers.
 */

export interface PenaltyOptions {
  /** Rejects within `rejectWindowMs` that turn into a penalty. */
  maxRejects: number;
  rejectWindowMs: number;
  /** How long a penalty lasts. */
  penaltyMs: number;
  now?: () => number;
}

/** Past this many tracked peers, entries that no longer matter are dropped. */
const PRUNE_ABOVE = 1024;

export class PeerPenalties {
  private readonly rejects = new Map<string, number[]>();
  private readonly deniedUntil = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: PenaltyOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Records one rejected message; true when it brings the peer to the limit. */
  recordReject(peer: string): boolean {
    const now = this.now();
    const recent = (this.rejects.get(peer) ?? []).filter(
      (at) => now - at < this.options.rejectWindowMs,
    );
    recent.push(now);
    this.rejects.set(peer, recent);
    if (this.rejects.size > PRUNE_ABOVE) this.prune(now);
    return recent.length >= this.options.maxRejects;
  }

  /** Refuses the peer for `penaltyMs` from now; returns when the penalty ends. */
  deny(peer: string): number {
    const until = this.now() + this.options.penaltyMs;
    this.deniedUntil.set(peer, Math.max(until, this.deniedUntil.get(peer) ?? 0));
    this.rejects.delete(peer);
    if (this.deniedUntil.size > PRUNE_ABOVE) this.prune(this.now());
    return until;
  }

  isDenied(peer: string): boolean {
    const until = this.deniedUntil.get(peer);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.deniedUntil.delete(peer);
    return false;
  }

  /** Milliseconds left of the peer's penalty, 0 when it has none. */
  remainingMs(peer: string): number {
    return this.isDenied(peer) ? (this.deniedUntil.get(peer) ?? 0) - this.now() : 0;
  }

  /** Forgets rejects that left the window and penalties that ended (bounded memory). */
  private prune(now: number): void {
    for (const [peer, times] of this.rejects) {
      if (times.every((at) => now - at >= this.options.rejectWindowMs)) this.rejects.delete(peer);
    }
    for (const [peer, until] of this.deniedUntil) {
      if (until <= now) this.deniedUntil.delete(peer);
    }
  }
}
