/** How long and how much each version of the benchmark runs. */

export type ProfileName = 'full' | 'quick' | 'smoke';

export interface Profile {
  name: ProfileName;
  /** Load client processes per network. */
  clients: number;
  /** Maximum-rate runs: warm-up, then the measured window. */
  throughput: { warmupMs: number; durationMs: number };
  /** Offered rates (events/s) for finality latency, 4 authorities, each for `durationMs`. */
  latency: { rates: number[]; warmupMs: number; durationMs: number };
  /** Events stored before the query benchmark (through the node's block path). */
  storedEvents: number;
  /** Query benchmark: how long, and the load offered meanwhile (events/s). */
  queries: { durationMs: number; backgroundRate: number };
  drainMs: number;
  /** The longest a wiped observer's sync is timed (it stops earlier when it has caught up). */
  syncMs: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  full: {
    name: 'full',
    clients: 2,
    throughput: { warmupMs: 10_000, durationMs: 60_000 },
    latency: { rates: [250, 500, 1_000, 2_000], warmupMs: 5_000, durationMs: 30_000 },
    storedEvents: 1_000_000,
    queries: { durationMs: 30_000, backgroundRate: 250 },
    drainMs: 30_000,
    syncMs: 300_000,
  },
  quick: {
    name: 'quick',
    clients: 2,
    throughput: { warmupMs: 5_000, durationMs: 20_000 },
    latency: { rates: [250, 1_000], warmupMs: 2_000, durationMs: 8_000 },
    storedEvents: 20_000,
    queries: { durationMs: 8_000, backgroundRate: 250 },
    drainMs: 15_000,
    syncMs: 180_000,
  },
  smoke: {
    name: 'smoke',
    clients: 2,
    throughput: { warmupMs: 1_000, durationMs: 3_000 },
    latency: { rates: [100], warmupMs: 500, durationMs: 3_000 },
    storedEvents: 2_000,
    queries: { durationMs: 2_000, backgroundRate: 50 },
    drainMs: 15_000,
    syncMs: 60_000,
  },
};
