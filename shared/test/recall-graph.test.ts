import { beforeEach, describe, expect, it } from 'vitest';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import {
  affectedBy,
  recallReasons,
  type ProvenanceGraph,
  type Recall,
} from '../src/state/index.js';
import {
  memoryProvenanceGraph,
  registerParticipants,
  TEST_GTINS,
  TestChain,
  withCheckDigit,
  type Participants,
  type SubmitResult,
} from '../src/testing/index.js';
import type { PayloadOf, TxType } from '../src/tx/index.js';

const { milk, cheese, yoghurt } = TEST_GTINS;
const pallet = unitEpc(withCheckDigit('10950600000000001'));
const milkLot = lotEpc(milk, 'M1');
const otherMilkLot = lotEpc(milk, 'M2');
const cheeseLot = lotEpc(cheese, 'G1');
const cup = (serial: string) => itemEpc(yoghurt, serial);
const cheeseItem = itemEpc(cheese, 'C9');

let chain: TestChain;
let p: Participants;
let graph: ProvenanceGraph;

async function ok<T extends TxType>(type: T, payload: Omit<PayloadOf<T>, 'eventTime'>) {
  const result: SubmitResult = await chain.submit(
    type,
    { ...payload, eventTime: chain.nextTimestamp() } as PayloadOf<T>,
    p.staff.acme,
  );
  if (!result.ok) expect.fail(`${type}: ${result.code}: ${result.message}`);
  return result.hash;
}

async function recallMilkLot(): Promise<Recall> {
  const hash = await ok('recall.issue', { gtin: milk, lots: ['M1'], reason: 'listeria' });
  const recall = chain.state.get('recall', hash);
  if (!recall) expect.fail('recall not recorded');
  return recall;
}

/** Every thing on chain: concerned by the forward walk exactly when the backward walk says so. */
async function expectWalksAgree(recall: Recall): Promise<void> {
  const impact = await affectedBy(graph, recall);
  const affected = new Set(impact.affected.map((a) => a.epc));
  for (const thing of chain.state.all('thing')) {
    const { reasons } = await recallReasons(graph, thing.epc);
    expect(
      reasons.some((r) => r.recall.id === recall.id),
      `${thing.epc}: forward ${affected.has(thing.epc)}`,
    ).toBe(affected.has(thing.epc));
  }
}

beforeEach(async () => {
  chain = new TestChain({ authorities: 1 });
  p = await registerParticipants(chain);
  graph = memoryProvenanceGraph(chain.state);
  for (const [gtin, name] of [
    [milk, 'Whole milk 1 L'],
    [cheese, 'Gouda'],
    [yoghurt, 'Cheesecake yoghurt'],
  ] as const) {
    const defined = await chain.submit('product.define', { gtin, name }, p.staff.acme);
    if (!defined.ok) expect.fail(defined.message);
  }
  await ok('product.commission', { gtin: milk, lot: 'M1', quantity: '1000', unit: 'LTR' });
  await ok('product.commission', { gtin: milk, lot: 'M2', quantity: '1000', unit: 'LTR' });
  // Milk lot M1 becomes cheese lot G1, and part of G1 becomes yoghurt cups: two transformations.
  await ok('transform', {
    inputs: [{ epc: milkLot }],
    outputs: [{ gtin: cheese, lot: 'G1', quantity: '100', unit: 'KGM' }],
  });
  await ok('transform', {
    inputs: [
      { epc: cheeseLot, quantity: '10' },
      { epc: otherMilkLot, quantity: '5' },
    ],
    outputs: [{ gtin: yoghurt, serials: ['Y1', 'Y2'] }],
  });
  await ok('product.commission', { gtin: cheese, serials: ['C9'] });
  await ok('aggregate.pack', { parent: pallet, children: [cup('Y1'), cheeseItem] });
});

describe('recalls that follow the provenance graph', () => {
  it('reaches through two transformations and the pallet they share', async () => {
    const recall = await recallMilkLot();
    const impact = await affectedBy(graph, recall);
    expect(impact.complete).toBe(true);
    const paths = Object.fromEntries(
      impact.affected.map((a) => [a.epc, a.path.map((s) => `${s.via} ${s.epc}`)]),
    );
    expect(paths).toEqual({
      [milkLot]: [`recalled ${milkLot}`],
      [cheeseLot]: [`recalled ${milkLot}`, `made-from ${cheeseLot}`],
      [cup('Y1')]: [`recalled ${milkLot}`, `made-from ${cheeseLot}`, `made-from ${cup('Y1')}`],
      [cup('Y2')]: [`recalled ${milkLot}`, `made-from ${cheeseLot}`, `made-from ${cup('Y2')}`],
      [pallet]: [
        `recalled ${milkLot}`,
        `made-from ${cheeseLot}`,
        `made-from ${cup('Y1')}`,
        `contains ${pallet}`,
      ],
      [cheeseItem]: [
        `recalled ${milkLot}`,
        `made-from ${cheeseLot}`,
        `made-from ${cup('Y1')}`,
        `contains ${pallet}`,
        `packed-in ${cheeseItem}`,
      ],
    });
    // The other input of the yoghurt is not concerned: the graph follows products, not makers.
    expect(paths[otherMilkLot]).toBeUndefined();
    await expectWalksAgree(recall);
  });

  it('explains from the downstream product back to the recalled lot', async () => {
    const recall = await recallMilkLot();
    const { reasons, complete } = await recallReasons(graph, cup('Y2'));
    expect(complete).toBe(true);
    expect(reasons).toEqual([
      {
        recall,
        path: [
          { epc: milkLot, via: 'recalled' },
          { epc: cheeseLot, via: 'made-from' },
          { epc: cup('Y2'), via: 'made-from' },
        ],
      },
    ]);
    expect((await recallReasons(graph, otherMilkLot)).reasons).toEqual([]);
  });

  it('stops concerning what was packed with it once unpacked, and all of it once closed', async () => {
    const recall = await recallMilkLot();
    await ok('aggregate.unpack', { parent: pallet, children: [cheeseItem] });
    expect((await recallReasons(graph, cheeseItem)).reasons).toEqual([]);
    expect((await recallReasons(graph, pallet)).reasons).toHaveLength(1);
    await expectWalksAgree(recall);

    await ok('recall.close', { recall: recall.id });
    const closed = chain.state.get('recall', recall.id) as Recall;
    expect((await affectedBy(graph, closed)).affected).toEqual([]);
    expect((await recallReasons(graph, cup('Y1'))).reasons).toEqual([]);
  });

  it('says when its bound stopped the walk', async () => {
    const recall = await recallMilkLot();
    const impact = await affectedBy(graph, recall, 3);
    expect(impact.complete).toBe(false);
    expect(impact.affected.map((a) => a.epc)).toEqual([milkLot, cheeseLot, cup('Y1')]);
    const reasons = await recallReasons(graph, cheeseItem, 2);
    expect(reasons.complete).toBe(false);
  });
});
