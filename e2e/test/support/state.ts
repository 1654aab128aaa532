/** What global set-up found and started, written once and read by every test. */
import { readFileSync } from 'node:fs';
import { STATE_FILE } from './paths.js';

export interface Featured {
  bottle: string;
  soldBottle: string;
  pallet: string;
  recalledLot: string;
  recall: string;
  /** Made from a product made from `recalledLot`: the recall reaches it two transformations on. */
  parfait: string;
  inTransitPallet: string;
  inTransitHandover: string;
  rollCage: string;
  [name: string]: string;
}

export interface RunState {
  explorerUrl: string;
  /** The node the explorer reads (and browsers call): the observer. */
  nodeUrl: string;
  nodeName: string;
  /** An authority's API: it builds blocks, so it settles a refused transaction as REJECTED. */
  authorityUrl: string;
  /** Its data directory's node.env, to run it again by hand. */
  nodeEnvFile: string;
  genesisHash: string;
  devnetDir: string;
  keystoresDir: string;
  featured: Featured;
  /** An item the retailer holds besides the featured bottle: the one the fake camera shows. */
  scannedItem: string;
}

let cached: RunState | undefined;

export function runState(): RunState {
  cached ??= JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RunState;
  return cached;
}
