/**
 * Keeps the node connected to its static bootstrap peers: dials each at start and again whenever
 * it is not connected, backing off exponentially between failed attempts (so a network of a few
 * nodes heals after any of them restarts).
 */

export interface RedialTarget {
  peerId: string;
  address: string;
}

export interface RedialerOptions {
  minMs: number;
  maxMs: number;
  /** Dials the address; rejects when the peer cannot be reached. */
  dial: (target: RedialTarget) => Promise<void>;
  isConnected: (peerId: string) => boolean;
  /** Milliseconds the peer is still refused for (0 when not): no dialling before that. */
  blockedForMs: (peerId: string) => number;
  onFailure?: (target: RedialTarget, attempt: number, error: unknown) => void;
}

interface TargetState {
  target: RedialTarget;
  failures: number;
  timer?: NodeJS.Timeout;
  dialling: boolean;
}

export class Redialer {
  private readonly states = new Map<string, TargetState>();
  private stopped = true;

  constructor(
    targets: readonly RedialTarget[],
    private readonly options: RedialerOptions,
  ) {
    for (const target of targets)
      this.states.set(target.peerId, { target, failures: 0, dialling: false });
  }

  start(): void {
    this.stopped = false;
    for (const state of this.states.values()) this.schedule(state, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.states.values()) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  /** A peer went away: redial it soon if it is one of ours. */
  disconnected(peerId: string): void {
    const state = this.states.get(peerId);
    if (state) this.schedule(state, this.options.minMs);
  }

  /** A peer connected (either way): forget its failures. */
  connected(peerId: string): void {
    const state = this.states.get(peerId);
    if (state) state.failures = 0;
  }

  /** Read through a method: the flag changes while a dial is awaited. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private schedule(state: TargetState, delayMs: number): void {
    if (this.stopped || state.timer !== undefined || state.dialling) return;
    const wait = Math.max(delayMs, this.options.blockedForMs(state.target.peerId));
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.attempt(state);
    }, wait);
  }

  private async attempt(state: TargetState): Promise<void> {
    if (this.stopped || this.options.isConnected(state.target.peerId)) return;
    if (this.options.blockedForMs(state.target.peerId) > 0) {
      this.schedule(state, 0);
      return;
    }
    state.dialling = true;
    try {
      await this.options.dial(state.target);
      state.failures = 0;
    } catch (error) {
      state.failures += 1;
      this.options.onFailure?.(state.target, state.failures, error);
    } finally {
      state.dialling = false;
    }
    if (this.isStopped() || this.options.isConnected(state.target.peerId)) return;
    const backoff = Math.min(
      this.options.maxMs,
      this.options.minMs * 2 ** Math.min(state.failures, 20),
    );
    this.schedule(state, backoff);
  }
}
