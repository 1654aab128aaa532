/**
 * The seeded schedule of perturbations of a chaos run: the same seed gives the same faults on the
 * same nodes in the same order, so a failure reproduces.
 */

export type PerturbationKind =
  | 'kill' // SIGKILL an authority, then start it again
  | 'term' // SIGTERM an authority, then start it again
  | 'pause' // SIGSTOP an authority for holdMs, then SIGCONT
  | 'isolate' // cut an authority off from every peer for holdMs (its own connection gating)
  | 'stall' // stop two of four authorities: no block may be finalized; then start them again
  | 'skew' // restart an authority with its clock off by more than the allowed drift
  | 'restart-all'; // stop every node at once, then start them all

export const PERTURBATION_KINDS: readonly PerturbationKind[] = [
  'kill',
  'term',
  'pause',
  'isolate',
  'stall',
  'skew',
  'restart-all',
];

export interface Perturbation {
  kind: PerturbationKind;
  /** Node names the fault hits (none for restart-all: every node). */
  targets: string[];
  /** How long the fault lasts before it is removed. */
  holdMs: number;
}

/** Mulberry32: a small seeded PRNG, enough to pick faults reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const HOLD_MS = 10_000;
/** The file in a node's data directory that sets its clock skew (see node-with-clock.ts). */
export const SKEW_FILE = 'clock-skew-ms';
/** The clock skew of a `skew` fault: well past the 5 s a block timestamp may lead. */
export const SKEW_MS = 30_000;

function perturbation(
  random: () => number,
  kind: PerturbationKind,
  authorities: readonly string[],
): Perturbation {
  switch (kind) {
    case 'stall':
      return { kind, targets: shuffled(random, authorities).slice(0, 2), holdMs: HOLD_MS };
    case 'restart-all':
      return { kind, targets: [], holdMs: 0 };
    case 'kill':
    case 'term':
      return { kind, targets: [pick(random, authorities)], holdMs: 0 };
    default:
      return { kind, targets: [pick(random, authorities)], holdMs: HOLD_MS };
  }
}

/** Every kind of fault once, in a seeded order, each on seeded targets. */
export function shortSchedule(seed: number, authorities: readonly string[]): Perturbation[] {
  const random = prng(seed);
  return shuffled(random, PERTURBATION_KINDS).map((kind) =>
    perturbation(random, kind, authorities),
  );
}

/**
 * Faults for a long run: every kind once, then random kinds, `count` in all (a fault with its
 * recovery and the pause after it takes about 16 s on two cores, so an hour is about 220).
 */
export function longSchedule(
  seed: number,
  authorities: readonly string[],
  count: number,
): Perturbation[] {
  const random = prng(seed);
  const schedule = shortSchedule(seed, authorities);
  while (schedule.length < count)
    schedule.push(perturbation(random, pick(random, PERTURBATION_KINDS), authorities));
  return schedule.slice(0, Math.max(count, 0));
}
