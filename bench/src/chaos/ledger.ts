/**
 * What a chaos run's clients were told, and what it saw of each node's chain: the facts the
 * invariants are checked against. Pure bookkeeping, tested without a network.
 */

export type Told = 'FINAL' | 'REJECTED';

/** Every transaction a client was told is FINAL or REJECTED, and by which node. */
export class ClientLedger {
  readonly told = new Map<string, { status: Told; node: string; at: number; code?: string }>();
  /** A node said FINAL and another (or later) said REJECTED, or the reverse. */
  readonly contradictions: string[] = [];

  tell(hash: string, status: Told, node: string, code?: string, at = Date.now()): void {
    const before = this.told.get(hash);
    if (before && before.status !== status) {
      this.contradictions.push(
        `transaction ${hash}: ${before.node} said ${before.status}, ${node} said ${status}`,
      );
      return;
    }
    if (!before) this.told.set(hash, { status, node, at, ...(code !== undefined && { code }) });
  }

  /** Rejections by code. */
  rejectionCodes(): Record<string, number> {
    const codes: Record<string, number> = {};
    for (const t of this.told.values())
      if (t.status === 'REJECTED') codes[t.code ?? '?'] = (codes[t.code ?? '?'] ?? 0) + 1;
    return codes;
  }

  hashes(status: Told): string[] {
    return [...this.told].filter(([, t]) => t.status === status).map(([hash]) => hash);
  }
}

/**
 * Certified blocks seen at each height, from any node: two different hashes at one height is a
 * fork, the one thing a BFT chain must never show.
 */
export class ForkDetector {
  private readonly seen = new Map<number, { hash: string; node: string }>();
  readonly forks: string[] = [];
  observations = 0;

  observe(node: string, height: number, hash: string): void {
    this.observations++;
    const first = this.seen.get(height);
    if (!first) {
      this.seen.set(height, { hash, node });
      return;
    }
    if (first.hash !== hash)
      this.forks.push(`height ${height}: ${first.node} has ${first.hash}, ${node} has ${hash}`);
  }

  get heights(): number {
    return this.seen.size;
  }
}

/** p50 and max of a list of durations (ms); undefined for an empty list. */
export function recoverySummary(
  durations: readonly number[],
): { p50: number; max: number } | undefined {
  if (durations.length === 0) return undefined;
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor((sorted.length - 1) / 2)] as number,
    max: sorted[sorted.length - 1] as number,
  };
}
