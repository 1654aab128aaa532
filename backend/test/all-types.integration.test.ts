/**
 * Every transaction type through a real node: the demo seed (real journeys), then the types the
 * seed does not use. Every query is read back from the same chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '@waybill/shared/bundle';
import { itemEpc } from '@waybill/shared/gs1';
import { testKey, withCheckDigit, type TestKey } from '@waybill/shared/testing';
import { TX_TYPES, txHash, type SignedTx, type TxType } from '@waybill/shared/tx';
import { buildDemoSeed, type DemoOrgId, type DemoSeed } from '../src/demo/index.js';
import { cleanUp, soloChain, startNode, type NodeProcess, type SoloChain } from './harness.js';

let chain: SoloChain;
let node: NodeProcess;
let seed: DemoSeed;
const settled = new Map<string, { type: TxType; status: string; code?: string }>();

function key(org: DemoOrgId, role: 'admin' | 'staff'): TestKey {
  const member = seed.keys[org].members.find((m) => m.role === role);
  if (!member) throw new Error(`no ${role} key for ${org}`);
  return testKey(member.keyName);
}

async function submit(tx: SignedTx): Promise<{ status: string; code?: string; hash?: string }> {
  const result = await node.client.submit(tx, { waitFinal: true });
  settled.set(txHash(tx), {
    type: tx.type,
    status: result.status,
    ...(result.code !== undefined && { code: result.code }),
  });
  return result;
}

const now = () => new Date().toISOString();

beforeAll(async () => {
  chain = soloChain('waybill-all-types');
  node = await startNode(chain.dataDir, { WAYBILL_HEARTBEAT_MS: '5000' });
  seed = buildDemoSeed({
    chainId: 'waybill-all-types',
    authority: chain.authority,
    now: new Date(),
  });
  for (const wave of seed.waves) {
    const results = await node.client.submitMany(wave, { waitFinal: true });
    wave.forEach((tx, i) =>
      settled.set(txHash(tx), { type: tx.type, status: results[i]?.status ?? 'MISSING' }),
    );
    expect(results.filter((r) => r.status !== 'FINAL')).toEqual([]);
  }
}, 240_000);

afterAll(cleanUp);

describe('every transaction type, end to end', () => {
  it('applies the types the demo does not use', async () => {
    const alpenAdmin = key('alpen-dairy', 'admin');
    const alpen = key('alpen-dairy', 'staff');
    const nordic = key('nordic-reefer', 'staff');
    const fsa = key('fsa-nl', 'staff');
    expect(
      (
        await submit(
          chain.sign(
            'org.update',
            { orgId: 'alpen-dairy', name: 'Alpen Dairy Cooperative eG' },
            alpenAdmin,
          ),
        )
      ).status,
    ).toBe('FINAL');
    const temp = testKey('temporary-scanner');
    expect(
      (
        await submit(
          chain.sign(
            'member.add',
            { orgId: 'alpen-dairy', publicKey: temp.publicKey, role: 'staff' },
            alpenAdmin,
          ),
        )
      ).status,
    ).toBe('FINAL');
    expect(
      (
        await submit(
          chain.sign(
            'member.revoke',
            { orgId: 'alpen-dairy', publicKey: temp.publicKey, reason: 'scanner lost' },
            alpenAdmin,
          ),
        )
      ).status,
    ).toBe('FINAL');
    const plant = seed.keys['alpen-dairy'].gln;
    const gln = withCheckDigit('952100100999');
    expect(
      (
        await submit(
          chain.sign(
            'location.define',
            { gln, name: 'Spare dock', address: { city: 'Kempten', country: 'DE' } },
            alpenAdmin,
          ),
        )
      ).status,
    ).toBe('FINAL');
    expect(
      (await submit(chain.sign('location.update', { gln, name: 'Spare dock (north)' }, alpenAdmin)))
        .status,
    ).toBe('FINAL');
    expect(plant).toMatch(/^\d{13}$/);

    // A fresh item to send back and forth.
    const product = await node.client.request<{ products: { things: { gtin: string }[] } }>(
      '{ products(custodian: "alpen-dairy", first: 1) { things { gtin } } }',
    );
    const gtin = product.products.things[0]!.gtin;
    const item = itemEpc(gtin, 'ALLTYPES1');
    expect(
      (
        await submit(
          chain.sign(
            'product.commission',
            { gtin, serials: ['ALLTYPES1'], eventTime: now() },
            alpen,
          ),
        )
      ).status,
    ).toBe('FINAL');
    const rejected = await submit(
      chain.sign(
        'custody.handover',
        { epcs: [item], to: 'nordic-reefer', eventTime: now() },
        alpen,
      ),
    );
    expect(
      (
        await submit(
          chain.sign(
            'custody.reject',
            { transfer: rejected.hash!, reason: 'no space on the truck', eventTime: now() },
            nordic,
          ),
        )
      ).status,
    ).toBe('FINAL');
    const cancelled = await submit(
      chain.sign(
        'custody.handover',
        { epcs: [item], to: 'nordic-reefer', eventTime: now() },
        alpen,
      ),
    );
    expect(
      (
        await submit(
          chain.sign('custody.cancel', { transfer: cancelled.hash!, eventTime: now() }, alpen),
        )
      ).status,
    ).toBe('FINAL');
    const observed = await submit(
      chain.sign(
        'event.observe',
        { epcs: [item], note: 'wrong label scanned', eventTime: now() },
        alpen,
      ),
    );
    expect(
      (
        await submit(
          chain.sign(
            'event.correct',
            { target: observed.hash!, reason: 'did_not_occur', eventTime: now() },
            alpen,
          ),
        )
      ).status,
    ).toBe('FINAL');
    expect(
      (
        await submit(
          chain.sign(
            'recall.close',
            { recall: seed.summary.featured.recall, eventTime: now() },
            fsa,
          ),
        )
      ).status,
    ).toBe('FINAL');
    const refused = await submit(
      chain.sign(
        'authority.vote',
        { action: 'remove', authority: testKey('nobody').publicKey },
        chain.authority,
      ),
    );
    expect(refused).toMatchObject({ status: 'REJECTED', code: 'NOT_FOUND' });
  });

  it('has settled a transaction of every type, and reads each back', async () => {
    const seen = new Set([...settled.values()].map((s) => s.type));
    expect([...TX_TYPES].filter((t) => !seen.has(t))).toEqual([]);
    for (const [hash, { status }] of settled) {
      expect((await node.client.transaction(hash))?.status).toBe(status);
    }
  });

  it('answers every query about the seeded chain', async () => {
    const { featured } = seed.summary;
    const data = await node.client.request<Record<string, unknown>>(
      `query ($bottle: String!, $lot: String!, $pallet: String!) {
        chain { height throughput { blocks transactions } }
        blocks(limit: 3) { nextCursor blocks { height txCount transactions { hash type } } }
        block(height: 2) { hash transactions { type status proof } }
        item(epc: $bottle) { custodian events { type } }
        lot(epc: $lot) { status }
        logisticUnit(epc: $pallet) { kind children }
        organization(id: "green-basket") { name members { role } }
        recalls { gtin open }
        search(q: "Green") { kind id label }
      }`,
      { bottle: featured.bottle, lot: featured.recalledLot, pallet: featured.pallet },
    );
    expect(data.item).toMatchObject({ custodian: 'green-basket' });
    expect(data.logisticUnit).toMatchObject({ kind: 'unit' });
    expect((data.block as { transactions: unknown[] }).transactions.length).toBeGreaterThan(0);
    expect(
      (data.chain as { throughput: { transactions: number } }).throughput.transactions,
    ).toBeGreaterThan(0);
    const { bundle } = await node.client.request<{ bundle: unknown }>(
      'query ($epc: String!) { bundle(epc: $epc) }',
      { epc: featured.bottle },
    );
    const verdict = await verifyBundle(bundle, {
      expectedGenesisHash: (await node.client.chain()).genesisHash,
      expectedSubject: featured.bottle,
    });
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.journey.length).toBeGreaterThan(10);
  });

  // Last, because it ends block production: with two authorities a quorum needs both, and this
  // single-authority node cannot certify alone (the BFT network of issue 4 can).
  it('applies an authority vote: the set grows from the next height', async () => {
    const newcomer = testKey('second-authority');
    const vote = await submit(
      chain.sign(
        'authority.vote',
        { action: 'add', authority: newcomer.publicKey, name: 'Second authority' },
        chain.authority,
      ),
    );
    expect(vote.status).toBe('FINAL');
    expect((await node.client.chain()).authorities.map((a) => a.name)).toContain(
      'Second authority',
    );
  });
});
