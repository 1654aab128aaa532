/**
 * Recalls through the provenance graph, against one real node: a milk lot recalled two
 * transformations upstream of a yoghurt cup reaches the cup, the pallet it is on and what else is
 * packed there, with their custodians (`recallImpact`), and the cup says why (`recallReasons`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemEpc, lotEpc, unitEpc } from '@waybill/shared/gs1';
import { TEST_GTINS, withCheckDigit, type Participants } from '@waybill/shared/testing';
import type { PayloadOf, TxType } from '@waybill/shared/tx';
import {
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  submitFinal,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

const { milk, cheese, yoghurt } = TEST_GTINS;
const milkLot = lotEpc(milk, 'M1');
const cheeseLot = lotEpc(cheese, 'G1');
const cup = (serial: string) => itemEpc(yoghurt, serial);
const pallet = unitEpc(withCheckDigit('10950600000000001'));
const looseCheese = itemEpc(cheese, 'C9');

let chain: SoloChain;
let node: NodeProcess;
let keys: Participants;
let recall: string;
let minute = 0;

function act<T extends TxType>(
  type: T,
  payload: Omit<PayloadOf<T>, 'eventTime'>,
  key = keys.staff.acme,
) {
  minute++;
  const eventTime = new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString();
  return submitFinal(node, chain.sign(type, { ...payload, eventTime } as PayloadOf<T>, key));
}

interface Step {
  epc: string;
  via: string;
}

beforeAll(async () => {
  chain = soloChain('waybill-recalls');
  node = await startNode(chain.dataDir);
  keys = await registerParticipantsOverApi(node, chain);
  for (const [gtin, name] of [
    [milk, 'Whole milk 1 L'],
    [cheese, 'Gouda'],
    [yoghurt, 'Cheesecake yoghurt'],
  ] as const)
    await submitFinal(node, chain.sign('product.define', { gtin, name }, keys.staff.acme));
  await act('product.commission', { gtin: milk, lot: 'M1', quantity: '1000', unit: 'LTR' });
  await act('transform', {
    inputs: [{ epc: milkLot, quantity: '600' }],
    outputs: [{ gtin: cheese, lot: 'G1', quantity: '60', unit: 'KGM' }],
  });
  await act('transform', {
    inputs: [{ epc: cheeseLot, quantity: '2' }],
    outputs: [{ gtin: yoghurt, serials: ['Y1', 'Y2'] }],
  });
  await act('product.commission', { gtin: cheese, serials: ['C9'] });
  await act('aggregate.pack', { parent: pallet, children: [cup('Y1'), looseCheese] });
  const handover = await act('custody.handover', { epcs: [pallet], to: 'swift' });
  await act('custody.accept', { transfer: handover }, keys.staff.swift);
  recall = await act(
    'recall.issue',
    { gtin: milk, lots: ['M1'], reason: 'Listeria in raw milk' },
    keys.staff.fda,
  );
}, 60_000);

afterAll(cleanUp);

describe('recalls that follow the provenance graph, through the API', () => {
  it('lists what a recall two transformations upstream concerns, with custodians and paths', async () => {
    const { recallImpact } = await node.client.request<{
      recallImpact: {
        recall: { id: string; issuedTime: string };
        complete: boolean;
        affected: { thing: { epc: string; custodian: string; status: string }; path: Step[] }[];
      };
    }>(
      `query ($id: String!) { recallImpact(recall: $id) {
        recall { id issuedTime } complete
        affected { thing { epc custodian status } path { epc via } }
      } }`,
      { id: recall },
    );
    expect(recallImpact.complete).toBe(true);
    expect(recallImpact.recall.id).toBe(recall);
    expect(Date.parse(recallImpact.recall.issuedTime)).not.toBeNaN();
    const byEpc = new Map(recallImpact.affected.map((a) => [a.thing.epc, a]));
    expect([...byEpc.keys()].sort()).toEqual(
      [milkLot, cheeseLot, cup('Y1'), cup('Y2'), pallet, looseCheese].sort(),
    );
    expect(byEpc.get(milkLot)?.thing.status).toBe('recalled');
    expect(byEpc.get(cup('Y2'))?.thing).toMatchObject({ custodian: 'acme', status: 'active' });
    // The pallet went to the carrier with the cup on it: the carrier is who to call.
    expect(byEpc.get(pallet)?.thing.custodian).toBe('swift');
    expect(byEpc.get(looseCheese)?.path.map((s) => s.via)).toEqual([
      'recalled',
      'made-from',
      'made-from',
      'contains',
      'packed-in',
    ]);
  });

  it('tells a downstream thing which recall concerns it and why', async () => {
    const { thing } = await node.client.request<{
      thing: {
        status: string;
        recallReasons: { complete: boolean; reasons: { recall: { id: string }; path: Step[] }[] };
      };
    }>(
      `query ($epc: String!) { thing(epc: $epc) {
        status recallReasons { complete reasons { recall { id } path { epc via } } }
      } }`,
      { epc: cup('Y2') },
    );
    expect(thing.recallReasons).toEqual({
      complete: true,
      reasons: [
        {
          recall: { id: recall },
          path: [
            { epc: milkLot, via: 'recalled' },
            { epc: cheeseLot, via: 'made-from' },
            { epc: cup('Y2'), via: 'made-from' },
          ],
        },
      ],
    });
  });

  it('refuses a malformed recall id and answers null for an unknown one', async () => {
    await expect(
      node.client.request('{ recallImpact(recall: "nope") { complete } }'),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { recallImpact } = await node.client.request<{ recallImpact: null }>(
      `{ recallImpact(recall: "${'0'.repeat(64)}") { complete } }`,
    );
    expect(recallImpact).toBeNull();
  });

  it('concerns nothing once the recall is closed', async () => {
    await act('recall.close', { recall }, keys.staff.fda);
    const { recallImpact, thing } = await node.client.request<{
      recallImpact: { affected: unknown[] };
      thing: { recallReasons: { reasons: unknown[] } };
    }>(
      `query ($id: String!, $epc: String!) {
        recallImpact(recall: $id) { affected { path { epc } } }
        thing(epc: $epc) { recallReasons { reasons { path { epc } } } }
      }`,
      { id: recall, epc: cup('Y2') },
    );
    expect(recallImpact.affected).toEqual([]);
    expect(thing.recallReasons.reasons).toEqual([]);
  });
});
