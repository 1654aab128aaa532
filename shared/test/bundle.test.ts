import { beforeAll, describe, expect, it } from 'vitest';
import { signVote } from '../src/block/index.js';
import { buildBundle, verifyBundle, type ProvenanceBundle } from '../src/bundle/index.js';
import { bytesToHex, hexToBytes } from '../src/encoding/index.js';
import { sign } from '../src/crypto/index.js';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import {
  registerParticipants,
  TEST_GTINS,
  TestChain,
  testKey,
  withCheckDigit,
  type Participants,
  type SubmitResult,
} from '../src/testing/index.js';
import { txHash } from '../src/tx/index.js';

const { milk } = TEST_GTINS;
const bottle = itemEpc(milk, 'B1');
const pallet = unitEpc(withCheckDigit('10950600000000001'));
const dock = withCheckDigit('950600000101');

let chain: TestChain;
let p: Participants;
let bundle: ProvenanceBundle;

function ok(result: SubmitResult): string {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.hash;
}

const clone = (): ProvenanceBundle => structuredClone(bundle);

beforeAll(async () => {
  chain = new TestChain({ authorities: 4 });
  p = await registerParticipants(chain);
  const at = () => chain.nextTimestamp();
  ok(
    await chain.submit(
      'location.define',
      {
        gln: dock,
        name: 'Rotterdam cold store, dock 4',
        address: { city: 'Rotterdam', country: 'NL' },
      },
      p.admin.cold,
    ),
  );
  ok(
    await chain.submit(
      'product.define',
      { gtin: milk, name: 'Whole milk 1 L', brand: 'Acme' },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'product.commission',
      { gtin: milk, serials: ['B1', 'B2'], lot: 'L7', eventTime: at() },
      p.staff.acme,
    ),
  );
  ok(
    await chain.submit(
      'aggregate.pack',
      { parent: pallet, children: [bottle, itemEpc(milk, 'B2')], eventTime: at() },
      p.staff.acme,
    ),
  );
  const toCarrier = ok(
    await chain.submit(
      'custody.handover',
      { epcs: [pallet], to: 'swift', eventTime: at() },
      p.staff.acme,
    ),
  );
  ok(await chain.submit('custody.accept', { transfer: toCarrier, eventTime: at() }, p.staff.swift));
  // The authority set changes mid-journey: later blocks are certified by the new set.
  const newcomer = testKey('authority-4');
  for (const voter of chain.authorityKeys.slice(0, 3)) {
    ok(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: newcomer.publicKey, name: 'Port authority' },
        voter,
      ),
    );
  }
  chain.authorityKeys.push(newcomer);
  ok(
    await chain.submit(
      'event.observe',
      {
        epcs: [pallet],
        sensorReadings: [{ type: 'gs1:Temperature', value: '4.5', uom: 'CEL' }],
        eventTime: at(),
      },
      p.staff.swift,
    ),
  );
  const toWarehouse = ok(
    await chain.submit(
      'custody.handover',
      { epcs: [pallet], to: 'cold', eventTime: at() },
      p.staff.swift,
    ),
  );
  ok(
    await chain.submit(
      'custody.accept',
      { transfer: toWarehouse, bizLocation: dock, eventTime: at() },
      p.staff.cold,
    ),
  );
  ok(await chain.submit('aggregate.unpack', { parent: pallet, eventTime: at() }, p.staff.cold));
  ok(
    await chain.submit(
      'event.observe',
      { epcs: [pallet], note: 'after unpacking: not part of the bottle journey', eventTime: at() },
      p.staff.cold,
    ),
  );
  ok(
    await chain.submit(
      'recall.issue',
      { gtin: milk, lots: ['L7'], reason: 'Listeria found in lot L7', eventTime: at() },
      p.staff.acme,
    ),
  );
  bundle = (await buildBundle(chain.bundleSource(), bottle)) as ProvenanceBundle;
});

describe('provenance bundle', () => {
  it('verifies a bundle built from a valid chain and reconstructs the journey', async () => {
    const result = await verifyBundle(JSON.parse(JSON.stringify(bundle)), {
      expectedSubject: bottle,
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.journey.map((s) => [s.type, s.org?.id, s.via ?? null])).toEqual([
      ['product.commission', 'acme', null],
      ['aggregate.pack', 'acme', null],
      ['custody.handover', 'acme', null],
      ['custody.accept', 'swift', null],
      ['event.observe', 'swift', pallet],
      ['custody.handover', 'swift', null],
      ['custody.accept', 'cold', null],
      ['aggregate.unpack', 'cold', null],
    ]);
    expect(
      result.journey.find((s) => s.type === 'custody.accept' && s.org?.id === 'cold')?.location,
    ).toEqual({ gln: dock, name: 'Rotterdam cold store, dock 4' });
    expect(result.product).toMatchObject({ name: 'Whole milk 1 L', brand: 'Acme' });
    expect(result.thing).toMatchObject({ custodian: 'cold', lot: 'L7' });
    expect(result.recalls).toEqual([
      expect.objectContaining({ reason: 'Listeria found in lot L7', open: true }),
    ]);
    expect(result.organizations.map((o) => o.name)).toEqual([
      'Acme Dairy',
      'Rotterdam Cold Store',
      'Swift Freight',
    ]);
    expect(result.authorities).toHaveLength(5);
    expect(result.authorities.map((a) => a.name)).toContain('Port authority');
    expect(Object.keys(result.related)).toEqual([pallet]);
  });

  it('returns nothing for an unknown thing, and refuses a bundle about something else', async () => {
    expect(await buildBundle(chain.bundleSource(), lotEpc(milk, 'nope'))).toBeUndefined();
    const result = await verifyBundle(bundle, { expectedSubject: itemEpc(milk, 'B2') });
    expect(result.ok).toBe(false);
  });

  it('rejects an altered event and says which step', async () => {
    const tampered = clone();
    const entry = tampered.txs.find((t) => t.tx.type === 'event.observe')!;
    (entry.tx.payload as { sensorReadings: { value: string }[] }).sensorReadings[0]!.value = '3.9';
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    const step = result.journey.find((s) => s.type === 'event.observe')!;
    expect(step.verified).toBe(false);
    expect(step.reason).toMatch(/altered/);
  });

  it('rejects a dropped event', async () => {
    const tampered = clone();
    const handover = tampered.txs.findIndex((t) => t.tx.type === 'custody.handover');
    tampered.txs.splice(handover, 1);
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/missing from the bundle/);
    // Dropping it from the record's event list too breaks the proven history chain instead.
    const hidden = txHash(bundle.txs[handover]!.tx);
    for (const record of tampered.records)
      record.events = record.events.filter((h) => h !== hidden);
    const again = await verifyBundle(tampered);
    expect(again.ok).toBe(false);
    expect(again.problems.join('\n')).toMatch(/history holds/);
  });

  it('rejects a forged signature', async () => {
    const tampered = clone();
    const entry = tampered.txs.find((t) => t.tx.type === 'custody.accept')!;
    const mallory = testKey('mallory');
    entry.tx.signature = bytesToHex(sign(hexToBytes(txHash(entry.tx)), mallory.secretKey));
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(result.journey.find((s) => s.hash === txHash(entry.tx))?.reason).toMatch(/signature/);
  });

  it('rejects a certificate short of quorum', async () => {
    const tampered = clone();
    const height = tampered.txs.find((t) => t.tx.type === 'aggregate.pack')!.height;
    const block = tampered.blocks.find((b) => b.header.height === height)!;
    (block.commit as { signatures: unknown[] }).signatures = block.commit.signatures.slice(0, 2);
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    const step = result.journey.find((s) => s.type === 'aggregate.pack')!;
    expect(step.reason).toMatch(/2 of 4 authorities signed, quorum is 3/);
  });

  it('rejects a certificate signed by someone who was not an authority at that height', async () => {
    const tampered = clone();
    const height = tampered.txs.find((t) => t.tx.type === 'product.commission')!.height;
    const block = tampered.blocks.find((b) => b.header.height === height)!;
    // authority-4 joined later: at this height its signature does not count.
    const later = testKey('authority-4');
    const vote = {
      type: 'precommit' as const,
      chainId: chain.chainId,
      height,
      round: 0,
      blockHash: block.commit.blockHash,
      validator: later.publicKey,
    };
    const forged = signVote(vote, later.secretKey);
    (block.commit as { signatures: unknown[] }).signatures = [
      ...block.commit.signatures.slice(0, 2),
      { validator: forged.validator, signature: forged.signature },
    ];
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(result.journey.find((s) => s.type === 'product.commission')?.reason).toMatch(
      /not (a|an) .*authorit|not in the validator set|not one of/i,
    );
  });

  it('rejects a tampered state record and a malformed document without throwing', async () => {
    const tampered = clone();
    const record = tampered.records.find((r) => r.change.key === bottle)!;
    (record.change.value as { custodian: string }).custodian = 'shop';
    expect((await verifyBundle(tampered)).problems.join('\n')).toMatch(/proof fails/);
    expect((await verifyBundle({ kind: 'something else' })).ok).toBe(false);
    expect((await verifyBundle(null)).ok).toBe(false);
    const broken = clone() as unknown as Record<string, unknown>;
    broken.genesis = { chainId: 5 };
    expect((await verifyBundle(broken)).problems[0]).toMatch(/malformed/);
  });
});
