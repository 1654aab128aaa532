/**
 * Every transaction type through a real node: the demo seed (real journeys), then the types the
 * seed does not use. Every query is read back from the same chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signVote, type Vote } from '@waybill/shared/block';
import { verifyBundle } from '@waybill/shared/bundle';
import { itemEpc } from '@waybill/shared/gs1';
import { evidencePayload } from '@waybill/shared/state';
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

  it('records equivocation evidence once and lists it, newest first', async () => {
    // The solo authority is both the accused and the reporter: it precommits two blocks at
    // height 1 (rounds 0 and 1), which the node then records.
    const accused = chain.authority;
    const precommit = (round: number, blockHash: string | null) => {
      const vote: Vote = {
        type: 'precommit',
        chainId: chain.genesis.chainId,
        height: 1,
        round,
        blockHash,
        validator: accused.publicKey,
      };
      return signVote(vote, accused.secretKey);
    };
    const pair = (round: number) =>
      evidencePayload(precommit(round, 'aa'.repeat(32)), precommit(round, null));
    const recorded = await submit(chain.sign('authority.evidence', pair(0), chain.authority));
    expect(recorded.status).toBe('FINAL');
    const duplicate = await submit(chain.sign('authority.evidence', pair(0), chain.authority));
    expect(duplicate).toMatchObject({ status: 'REJECTED', code: 'ALREADY_EXISTS' });
    const { first, second } = pair(2);
    const forged = await submit(
      chain.sign(
        'authority.evidence',
        { first, second: { ...second, signature: first.signature } },
        chain.authority,
      ),
    );
    expect(forged).toMatchObject({ status: 'REJECTED', code: 'INVALID_EVIDENCE' });
    const later = await submit(chain.sign('authority.evidence', pair(1), chain.authority));
    expect(later.status).toBe('FINAL');

    interface Page {
      evidence: { nextCursor: string | null; evidence: Record<string, unknown>[] };
    }
    const query = `query ($validator: String, $after: String) {
      evidence(validator: $validator, first: 1, after: $after) {
        nextCursor
        evidence {
          validator height round type firstBlockHash secondBlockHash
          first second reporter recordedAt txHash
        }
      }
    }`;
    const newest = await node.client.request<Page>(query, { validator: accused.publicKey });
    const recordedAt = (hash: string) => node.client.transaction(hash).then((t) => t?.height);
    expect(newest.evidence.evidence).toEqual([
      {
        validator: accused.publicKey,
        height: 1,
        round: 1,
        type: 'precommit',
        firstBlockHash: null,
        secondBlockHash: 'aa'.repeat(32),
        first: pair(1).first,
        second: pair(1).second,
        reporter: chain.authority.publicKey,
        recordedAt: await recordedAt(later.hash!),
        txHash: later.hash,
      },
    ]);
    expect(newest.evidence.nextCursor).toEqual(expect.any(String));
    const older = await node.client.request<Page>(query, {
      validator: accused.publicKey,
      after: newest.evidence.nextCursor,
    });
    expect(older.evidence.evidence).toMatchObject([
      { round: 0, txHash: recorded.hash, recordedAt: await recordedAt(recorded.hash!) },
    ]);
    expect(older.evidence.nextCursor).toBeNull();
    const nobody = await node.client.request<Page>(query, {
      validator: testKey('nobody').publicKey,
    });
    expect(nobody.evidence).toEqual({ nextCursor: null, evidence: [] });
    for (const variables of [{ validator: 'XYZ' }, { after: 'not-a-cursor' }])
      await expect(node.client.request(query, variables)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });

    const { chain: info } = await node.client.request<{
      chain: { authorities: { publicKey: string; evidenceCount: number }[] };
    }>('{ chain { authorities { publicKey evidenceCount } } }');
    expect(info.authorities).toEqual([{ publicKey: accused.publicKey, evidenceCount: 2 }]);
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
  // second authority never runs here (network.integration.test.ts adds one that does).
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
