/**
 * Building a bundle: which transactions, blocks and records prove a thing's history. The rule
 * lives here once; a node answers the few lookups of {@link BundleSource} from its database and
 * tests answer them from memory.
 */
import type { MaybePromise, Thing } from '../state/index.js';
import type { SignedTx } from '../tx/index.js';
import {
  BUNDLE_KIND,
  BUNDLE_VERSION,
  type BundleBlock,
  type BundleRecord,
  type BundleTx,
  type ProvenanceBundle,
} from './types.js';
import type { GenesisConfig } from '../block/index.js';

export interface BundleSource {
  genesis(): MaybePromise<GenesisConfig>;
  /** The thing's latest record, proven, with its events. */
  thingRecord(epc: string): MaybePromise<BundleRecord | undefined>;
  tx(hash: string): MaybePromise<BundleTx | undefined>;
  block(height: number): MaybePromise<BundleBlock | undefined>;
  /** Every authority.vote on chain, in order. */
  authorityVotes(): MaybePromise<string[]>;
  /** The org.register or member.add that brought this key in, and the org's register tx. */
  identityTxs(publicKey: string): MaybePromise<string[]>;
  /** The latest product.define of a GTIN and the recall txs about it. */
  productTxs(gtin: string): MaybePromise<string[]>;
  /** location.define and updates of a GLN. */
  locationTxs(gln: string): MaybePromise<string[]>;
}

/** How many things one bundle may pull in (its pallets, their containers, transformation inputs). */
export const MAX_BUNDLE_THINGS = 200;

/** Collects the bundle of `subject`; undefined when the thing does not exist. */
export async function buildBundle(
  source: BundleSource,
  subject: string,
): Promise<ProvenanceBundle | undefined> {
  const first = await source.thingRecord(subject);
  if (!first) return undefined;
  const records = new Map<string, BundleRecord>([[subject, first]]);
  const txs = new Map<string, BundleTx>();
  const queue = [subject];
  const addTx = async (hash: string) => {
    if (txs.has(hash)) return undefined;
    const entry = await source.tx(hash);
    if (entry) txs.set(hash, entry);
    return entry;
  };
  const addThing = (epc: string) => {
    if (!records.has(epc) && records.size < MAX_BUNDLE_THINGS && !queue.includes(epc))
      queue.push(epc);
  };
  while (queue.length > 0) {
    const epc = queue.shift() as string;
    let record = records.get(epc);
    if (!record) {
      record = await source.thingRecord(epc);
      if (!record) continue;
      records.set(epc, record);
    }
    const thing = record.change.value as Thing;
    for (const input of thing.inputs ?? []) addThing(input);
    for (const hash of record.events) {
      const entry = await addTx(hash);
      // The pallets it travelled in: their events (temperatures, handovers) are part of its journey.
      const payload = entry?.tx.payload as { parent?: string; children?: string[] } | undefined;
      if (entry?.tx.type === 'aggregate.pack' && payload?.children?.includes(epc) && payload.parent)
        addThing(payload.parent);
    }
  }
  const context = new Set<string>(await source.authorityVotes());
  const gtins = new Set<string>();
  for (const record of records.values()) {
    const { gtin } = record.change.value as Thing;
    if (gtin !== undefined) gtins.add(gtin);
  }
  for (const gtin of gtins) for (const hash of await source.productTxs(gtin)) context.add(hash);
  const signers = new Set<string>();
  const glns = new Set<string>();
  for (const { tx } of txs.values()) {
    signers.add(tx.signer);
    for (const gln of locationsOf(tx)) glns.add(gln);
  }
  for (const gln of glns) for (const hash of await source.locationTxs(gln)) context.add(hash);
  for (const hash of context) {
    const entry = await addTx(hash);
    if (entry) signers.add(entry.tx.signer);
  }
  for (const key of signers) for (const hash of await source.identityTxs(key)) await addTx(hash);
  const ordered = [...txs.values()].sort(
    (a, b) => a.height - b.height || a.proof.leafIndex - b.proof.leafIndex,
  );
  const heights = new Set([
    ...ordered.map((t) => t.height),
    ...[...records.values()].map((r) => r.height),
  ]);
  const blocks: BundleBlock[] = [];
  for (const height of [...heights].sort((a, b) => a - b)) {
    const block = await source.block(height);
    if (block) blocks.push(block);
  }
  return {
    kind: BUNDLE_KIND,
    version: BUNDLE_VERSION,
    subject,
    genesis: await source.genesis(),
    blocks,
    txs: ordered,
    records: [...records.values()],
  };
}

/** The GLNs a transaction names as where it happened. */
export function locationsOf(tx: SignedTx): string[] {
  const payload = tx.payload as { bizLocation?: string; readPoint?: string };
  return [payload.bizLocation, payload.readPoint].filter((gln): gln is string => gln !== undefined);
}
