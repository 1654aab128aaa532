/**
 * Regressions found in review: each test fails on the code before its fix.
 */
import { describe, expect, it } from 'vitest';
import { createGenesisHeader } from '../src/block/index.js';
import { buildBundle, verifyBundle, type ProvenanceBundle } from '../src/bundle/index.js';
import { sign } from '../src/crypto/index.js';
import { bytesToHex, hexToBytes } from '../src/encoding/index.js';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import { inclusionProof, merkleRoot } from '../src/merkle/index.js';
import { executeTxs, stateChangeHash, type StateChange, type Thing } from '../src/state/index.js';
import {
  registerParticipants,
  TEST_GTINS,
  TestChain,
  testKey,
  withCheckDigit,
  type Participants,
  type SubmitResult,
} from '../src/testing/index.js';
import {
  createTx,
  decodeTx,
  eventTimeMs,
  txHash,
  verifyTxSignature,
  type SignedTx,
} from '../src/tx/index.js';

const { milk, cheese } = TEST_GTINS;
const pallet = unitEpc(withCheckDigit('10950600000000001'));
const bottle = (serial: string) => itemEpc(milk, serial);

function ok(result: SubmitResult): string {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.hash;
}

async function setup(): Promise<{ chain: TestChain; p: Participants; at: () => string }> {
  const chain = new TestChain({ authorities: 4 });
  const p = await registerParticipants(chain);
  ok(await chain.submit('product.define', { gtin: milk, name: 'Whole milk 1 L' }, p.staff.acme));
  return { chain, p, at: () => chain.nextTimestamp() };
}

function observe(eventTime: string): unknown {
  const tx = createTx({
    chainId: 'waybill-test',
    type: 'event.observe',
    payload: { epcs: [bottle('B1')], eventTime: '2026-11-23T12:00:00.000Z' },
    secretKey: testKey('acme-staff').secretKey,
  });
  return { ...tx, payload: { ...tx.payload, eventTime } };
}

describe('eventTime and dates are parsed the same way by every engine', () => {
  it.each([
    ['the 30th of February', '2026-02-30T12:00:00Z'],
    ['the 31st of April', '2026-04-31T00:00:00+01:00'],
    ['the 29th of February of a common year', '2025-02-29T12:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
  ])('refuses %s, which V8 rolls over and other engines refuse', (_, value) => {
    expect(() => decodeTx(observe(value))).toThrow(/not a real date-time/);
  });

  it('refuses an expiry date that does not exist', () => {
    const tx = createTx({
      chainId: 'waybill-test',
      type: 'product.commission',
      payload: { gtin: milk, serials: ['B1'], eventTime: '2026-11-23T12:00:00.000Z' },
      secretKey: testKey('acme-staff').secretKey,
    });
    expect(() => decodeTx({ ...tx, payload: { ...tx.payload, expiry: '2026-02-30' } })).toThrow(
      /not a real date/,
    );
    expect(decodeTx({ ...tx, payload: { ...tx.payload, expiry: '2028-02-29' } })).toBeTruthy();
  });

  it('computes the instant Date.parse computes for every real date-time', () => {
    for (const value of [
      '2026-11-23T12:00:00.000+01:00',
      '2026-11-23T12:00:00Z',
      '2024-02-29T23:59:59.999-23:59',
      '0001-01-01T00:00:00.5Z',
      '1969-12-31T23:59:59.123456789+05:30',
      '9999-12-31T23:59:59Z',
    ]) {
      expect(eventTimeMs(value)).toBe(Date.parse(value));
    }
  });
});

describe('the state machine', () => {
  it('refuses an authority key as the admin key of a new organization', async () => {
    const chain = new TestChain({ authorities: 4 });
    const [a0, a1] = chain.authorityKeys as [
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
    ];
    const result = await chain.submit(
      'org.register',
      { orgId: 'mallory', name: 'Mallory', roles: ['inspector'], admin: a1.publicKey },
      a0,
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.code).toBe('ALREADY_EXISTS');
    expect(chain.state.get('member', a1.publicKey)).toBeUndefined();
  });

  it('rejects, with a code, a block transaction that never went through decodeTx', async () => {
    const { chain } = await setup();
    const staff = testKey('acme-staff');
    const unsigned = {
      chainId: chain.chainId,
      type: 'event.observe' as const,
      signer: staff.publicKey,
      nonce: 'ab'.repeat(16),
      payload: { epcs: 'not a list', eventTime: '2026-11-23T12:00:00.000Z' },
    };
    const signature = bytesToHex(
      sign(hexToBytes(txHash(unsigned as unknown as SignedTx)), staff.secretKey),
    );
    const tx = { ...unsigned, signature } as unknown as SignedTx;
    const execution = await executeTxs(chain.state, [tx], {
      chainId: chain.chainId,
      height: chain.height + 1,
      timestamp: chain.nextTimestamp(),
      prevStateRoot: chain.headHeader.stateRoot,
    });
    expect(execution.applied).toEqual([]);
    expect(execution.rejected).toEqual([
      expect.objectContaining({ code: 'INVALID_PAYLOAD', path: '$.payload.epcs' }),
    ]);
  });

  it('does not let a faster verifier accept a small-order signer key', () => {
    const tx = createTx({
      chainId: 'waybill-test',
      type: 'event.observe',
      payload: { epcs: [bottle('B1')], eventTime: '2026-11-23T12:00:00.000Z' },
      secretKey: testKey('acme-staff').secretKey,
    });
    const identity = `01${'00'.repeat(31)}`;
    const permissive = () => true;
    expect(verifyTxSignature(tx, permissive)).toBe(true);
    expect(verifyTxSignature({ ...tx, signer: identity }, permissive)).toBe(false);
  });
});

/** A proven record of `epc` as block `height` wrote it (the source serves only the latest). */
function recordAt(chain: TestChain, epc: string, height: number, events: string[]) {
  const i = height - 1;
  const { execution } = chain.blocks[i]!;
  const at = execution.changes.findIndex((c) => c.kind === 'thing' && c.key === epc);
  if (at < 0) throw new Error(`block ${height} did not write ${epc}`);
  const leaves = execution.changes.map(stateChangeHash);
  const change = execution.changes[at] as StateChange;
  return {
    height,
    change,
    prevStateRoot:
      i === 0
        ? createGenesisHeader(chain.genesis).stateRoot
        : chain.blocks[i - 1]!.block.header.stateRoot,
    changesRoot: merkleRoot(leaves),
    proof: inclusionProof(leaves, at),
    events: events.slice(0, (change.value as Thing).history.count),
  };
}

describe('the bundle verifier', () => {
  it('does not show what happened to a case after the subject was sold out of it', async () => {
    const { chain, p, at } = await setup();
    ok(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['B1', 'B2'], eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('B1'), bottle('B2')], eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'product.decommission',
        { epcs: [bottle('B1')], reason: 'sold', eventTime: at() },
        p.staff.acme,
      ),
    );
    const transfer = ok(
      await chain.submit(
        'custody.handover',
        { epcs: [pallet], to: 'swift', eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.swift));
    const bundle = (await buildBundle(chain.bundleSource(), bottle('B1'))) as ProvenanceBundle;
    const result = await verifyBundle(bundle, { expectedSubject: bottle('B1') });
    expect(result.ok).toBe(true);
    expect(result.journey.map((s) => s.type)).toEqual([
      'product.commission',
      'aggregate.pack',
      'product.decommission',
    ]);
  });

  it("refuses a pallet record older than the subject's packing instead of borrowing its past", async () => {
    const { chain, p, at } = await setup();
    ok(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['B1', 'B2'], eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('B2')], eventTime: at() },
        p.staff.acme,
      ),
    );
    const hot = await chain.submit(
      'event.observe',
      {
        epcs: [pallet],
        sensorReadings: [{ type: 'gs1:Temperature', value: '19', uom: 'CEL' }],
        eventTime: at(),
      },
      p.staff.acme,
    );
    ok(hot);
    const packed = ok(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('B1')], eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'event.observe',
        {
          epcs: [pallet],
          sensorReadings: [{ type: 'gs1:Temperature', value: '25', uom: 'CEL' }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
    );
    const bundle = (await buildBundle(chain.bundleSource(), bottle('B1'))) as ProvenanceBundle;
    const honest = await verifyBundle(bundle);
    expect(honest.ok).toBe(true);
    expect(honest.journey.filter((s) => s.via === pallet)).toHaveLength(1);

    // The server swaps in the pallet's record from before the bottle was packed.
    const index = bundle.records.findIndex((r) => r.change.key === pallet);
    const latest = bundle.records[index]!;
    expect(latest.events).toContain(packed);
    const stale = recordAt(chain, pallet, hot.ok ? hot.height : 0, latest.events);
    const tampered = structuredClone(bundle);
    tampered.records[index] = stale;
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/no record of .* that covers that time/);
    expect(result.journey.filter((s) => s.via === pallet)).toEqual([]);
  });

  it('reads names, products and recalls in chain order, whatever order the bundle lists', async () => {
    const { chain, p, at } = await setup();
    ok(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['B1'], lot: 'L7', eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'product.define',
        { gtin: milk, name: 'Whole milk 1 L, new recipe' },
        p.staff.acme,
      ),
    );
    const recall = ok(
      await chain.submit(
        'recall.issue',
        { gtin: milk, lots: ['L7'], reason: 'precaution', eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(await chain.submit('recall.close', { recall, eventTime: at() }, p.staff.acme));
    const bundle = (await buildBundle(chain.bundleSource(), bottle('B1'))) as ProvenanceBundle;
    const reversed = { ...bundle, txs: [...bundle.txs].reverse() };
    for (const candidate of [bundle, reversed]) {
      const result = await verifyBundle(candidate);
      expect(result.ok).toBe(true);
      expect(result.product?.name).toBe('Whole milk 1 L, new recipe');
      expect(result.recalls).toEqual([expect.objectContaining({ hash: recall, open: false })]);
    }
  });

  it("is not ok when a transformation input's history has a step it cannot verify", async () => {
    const { chain, p, at } = await setup();
    ok(await chain.submit('product.define', { gtin: cheese, name: 'Gouda' }, p.staff.acme));
    ok(
      await chain.submit(
        'product.commission',
        { gtin: milk, lot: 'L1', quantity: '100', unit: 'LTR', eventTime: at() },
        p.staff.acme,
      ),
    );
    const checked = ok(
      await chain.submit(
        'event.observe',
        { epcs: [lotEpc(milk, 'L1')], note: 'raw milk tested', eventTime: at() },
        p.staff.acme,
      ),
    );
    ok(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: lotEpc(milk, 'L1') }],
          outputs: [{ gtin: cheese, serials: ['W1'] }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
    );
    const wheel = itemEpc(cheese, 'W1');
    const bundle = (await buildBundle(chain.bundleSource(), wheel)) as ProvenanceBundle;
    expect((await verifyBundle(bundle)).ok).toBe(true);

    // The input's test result sits in a block whose certificate is cut short of quorum.
    const tampered = structuredClone(bundle);
    const height = tampered.txs.find((t) => txHash(t.tx) === checked)!.height;
    const block = tampered.blocks.find((b) => b.header.height === height)!;
    (block.commit as { signatures: unknown[] }).signatures = block.commit.signatures.slice(0, 1);
    const result = await verifyBundle(tampered);
    const input = result.related[lotEpc(milk, 'L1')] ?? [];
    expect(input.find((s) => s.hash === checked)?.verified).toBe(false);
    expect(result.ok).toBe(false);
  });
});
