/**
 * How a finalized block changes what the dashboard shows, as a pure function so it is tested
 * without sockets: the head, latest blocks and events, the current minute's bucket, and each
 * authority's last signed height.
 */
import type { DashboardData, LiveBlock, LiveTx } from './model';

export const LATEST_BLOCKS = 10;
export const LATEST_EVENTS = 12;
/** An authority that signed none of the last this-many blocks is shown offline. */
export const ONLINE_WINDOW = 20;

export interface DashboardState {
  height: number;
  blocks: LiveBlock[];
  events: (LiveTx & { height: number })[];
  activity: DashboardData['activity'];
  authorities: DashboardData['chain']['authorities'];
}

export function initialState(data: DashboardData): DashboardState {
  return {
    height: data.chain.height,
    blocks: data.blocks.blocks.slice(0, LATEST_BLOCKS),
    events: data.transactions.transactions.slice(0, LATEST_EVENTS),
    activity: data.activity,
    authorities: data.chain.authorities,
  };
}

function minuteOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 60_000);
}

export function withBlock(state: DashboardState, block: LiveBlock): DashboardState {
  if (state.blocks.some((b) => b.hash === block.hash)) return state;
  const activity = [...state.activity];
  const last = activity.at(-1);
  const minute = minuteOf(block.timestamp);
  if (last && minuteOf(last.start) === minute) {
    activity[activity.length - 1] = {
      ...last,
      blocks: last.blocks + 1,
      transactions: last.transactions + block.txCount,
    };
  } else if (!last || minute > minuteOf(last.start)) {
    activity.push({
      start: new Date(minute * 60_000).toISOString(),
      blocks: 1,
      transactions: block.txCount,
    });
    if (activity.length > 60) activity.shift();
  }
  const signed = new Set(block.signers.filter((s) => s.signed).map((s) => s.publicKey));
  return {
    height: Math.max(state.height, block.height),
    blocks: [block, ...state.blocks].slice(0, LATEST_BLOCKS),
    events: [
      ...block.transactions.map((tx) => ({ ...tx, height: block.height })),
      ...state.events,
    ].slice(0, LATEST_EVENTS),
    activity,
    authorities: state.authorities.map((a) =>
      signed.has(a.publicKey)
        ? { ...a, lastSignedHeight: block.height, lastSignedAt: block.timestamp }
        : a,
    ),
  };
}

export function isOnline(lastSignedHeight: number | null, height: number): boolean {
  return lastSignedHeight !== null && height - lastSignedHeight < ONLINE_WINDOW;
}
