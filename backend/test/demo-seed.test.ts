import { eventTimeMs, txHash, type SignedTx } from '@waybill/shared/tx';
import { statusOf, type Thing } from '@waybill/shared/state';
import { TestChain, testKey } from '@waybill/shared/testing';
import { describe, expect, it } from 'vitest';
import { buildDemoSeed, type DemoSeed } from '../src/demo/index.js';

const CHAIN_ID = 'waybill-demo';
const WINTER = new Date('2026-11-23T10:15:00.000Z');
const SUMMER = new Date('2026-07-01T00:30:00.000Z');

function seedFor(now: Date): DemoSeed {
  return buildDemoSeed({ chainId: CHAIN_ID, authority: testKey('authority-0'), now });
}

/** Commits each wave as one block (optionally in reverse order) and fails with every rejection. */
async function applySeed(seed: DemoSeed, now: Date, reverse = false): Promise<TestChain> {
  const chain = new TestChain({
    chainId: CHAIN_ID,
    authorities: 1,
    genesisTime: new Date(now.getTime() - 60_000).toISOString(),
  });
  for (const [i, wave] of seed.waves.entries()) {
    const txs = reverse ? [...wave].reverse() : wave;
    const { execution } = await chain.commit(txs);
    const rejected = execution.rejected.map((r) => {
      const tx = txs[r.index] as SignedTx;
      return { wave: i, type: tx.type, code: r.code, message: r.message, path: r.path };
    });
    expect(rejected, JSON.stringify(rejected, null, 2)).toEqual([]);
  }
  return chain;
}

const thingOf = (chain: TestChain, epc: string): Thing => {
  const thing = chain.state.get('thing', epc);
  if (!thing) expect.fail(`${epc} does not exist`);
  return thing;
};

const eventTimes = (seed: DemoSeed) =>
  seed.waves.flat().flatMap((tx) => {
    const { eventTime } = tx.payload as { eventTime?: string };
    return eventTime === undefined ? [] : [eventTime];
  });

describe('demo seed', () => {
  it('applies wave by wave without a rejection, and tells the story it promises', async () => {
    const seed = seedFor(WINTER);
    const { summary, keys } = seed;
    console.log(
      `demo seed: ${summary.transactions} transactions in ${summary.waves} waves`,
      summary.byType,
    );
    expect(summary.transactions).toBeGreaterThanOrEqual(150);
    expect(summary.transactions).toBeLessThanOrEqual(400);
    expect(seed.waves.flat()).toHaveLength(summary.transactions);

    const chain = await applySeed(seed, WINTER);
    const recalls = chain.state.all('recall');
    const { featured } = summary;

    // Organizations, keys and master data.
    expect(chain.state.all('organization')).toHaveLength(5);
    for (const org of Object.values(keys)) {
      expect(org.members).toHaveLength(3);
      for (const member of org.members) {
        expect(chain.state.get('member', member.publicKey)).toMatchObject({
          orgId: org.orgId,
          role: member.role,
          label: member.label,
          active: true,
        });
        expect(testKey(member.keyName).publicKey).toBe(member.publicKey);
      }
    }
    expect(keys['alpen-dairy'].members[0]?.keyName).toBe('demo:alpen:admin');
    expect(chain.state.all('location')).toHaveLength(summary.locations);
    expect(chain.state.all('product')).toHaveLength(summary.products);

    // The featured bottle went all the way to the Amsterdam store, and is still on the shelf.
    const bottle = thingOf(chain, featured.bottle);
    expect(bottle).toMatchObject({ custodian: 'green-basket', owner: 'green-basket' });
    expect(statusOf(bottle, recalls)).toBe('active');
    expect(bottle.parent).toBeUndefined();
    expect(bottle.history.count).toBeGreaterThanOrEqual(15);
    expect(thingOf(chain, featured.soldBottle)).toMatchObject({
      status: 'decommissioned',
      decommissionReason: 'sold',
    });

    // The pallet and roll cage exist and were unpacked at their destination.
    expect(thingOf(chain, featured.pallet)).toMatchObject({
      kind: 'unit',
      custodian: 'rotterdam-cold-hub',
      children: [],
    });
    expect(thingOf(chain, featured.rollCage)).toMatchObject({
      kind: 'unit',
      custodian: 'green-basket',
    });

    // The recalled yoghurt lot, made from the raw milk lot like the cheese.
    const recalled = thingOf(chain, featured.recalledLot);
    expect(statusOf(recalled, recalls)).toBe('recalled');
    expect(recalled.custodian).toBe('rotterdam-cold-hub');
    expect(recalled.inputs).toEqual([featured.rawMilkLot]);
    expect(recalls).toHaveLength(1);
    expect(recalls[0]).toMatchObject({ id: featured.recall, issuer: 'fsa-nl', open: true });
    expect(thingOf(chain, featured.cheeseLot).inputs).toEqual([featured.rawMilkLot]);
    expect(thingOf(chain, featured.rawMilkLot).quantity).toBe('14800');

    // A pallet on its way: handed over to the cold store, not yet accepted.
    const onTheRoad = thingOf(chain, featured.inTransitPallet);
    expect(onTheRoad).toMatchObject({
      custodian: 'nordic-reefer',
      pendingTransfer: featured.inTransitHandover,
    });
    expect(statusOf(onTheRoad, recalls)).toBe('in_transit');

    // Temperature readings, exactly one of them out of range, all on chain.
    const readings = chain.blocks
      .flatMap((b) => b.block.txs)
      .flatMap((tx) => (tx.type === 'event.observe' ? (tx.payload.sensorReadings ?? []) : []));
    expect(readings.length).toBe(summary.sensorReadings);
    expect(readings.length).toBeGreaterThan(50);
    expect(readings.every((r) => r.type === 'gs1:Temperature' && r.uom === 'CEL')).toBe(true);
    const outOfRange = readings.filter((r) => Number(r.value) < 2 || Number(r.value) > 6);
    expect(outOfRange.map((r) => r.value)).toEqual(['8.4']);
    expect(summary.outOfRangeReadings).toBe(1);

    const decommissioned = chain.state
      .all('thing')
      .filter((thing) => thing.decommissionReason === 'sold');
    expect(decommissioned).toHaveLength(summary.sold);
  });

  it('never dates an event after now, and is reproducible for a given now', () => {
    const seed = seedFor(WINTER);
    const times = eventTimes(seed).map((time) => eventTimeMs(time) ?? Number.NaN);
    expect(times.every((ms) => ms <= WINTER.getTime())).toBe(true);
    expect(Math.min(...times)).toBeGreaterThan(WINTER.getTime() - 8 * 86_400_000);
    expect(eventTimes(seed)[0]).toMatch(/\+01:00$/);

    const again = seedFor(WINTER);
    expect(again.waves.map((wave) => wave.map(txHash))).toEqual(
      seed.waves.map((wave) => wave.map(txHash)),
    );
    expect(again.summary).toEqual(seed.summary);
  });

  it('has waves whose transactions are independent of each other (any order applies)', async () => {
    const seed = seedFor(SUMMER);
    expect(eventTimes(seed)[0]).toMatch(/\+02:00$/);
    expect(
      eventTimes(seed).every((time) => (eventTimeMs(time) ?? Infinity) <= SUMMER.getTime()),
    ).toBe(true);
    await applySeed(seed, SUMMER, true);
  });
});
