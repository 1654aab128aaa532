import { beforeEach, describe, expect, it } from 'vitest';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import { applyTx, statusOf, type Thing } from '../src/state/index.js';
import {
  PARTICIPANTS,
  registerParticipants,
  TEST_GTINS,
  TestChain,
  testKey,
  withCheckDigit,
  type Participants,
  type SubmitResult,
} from '../src/testing/index.js';
import type { SignedTx } from '../src/tx/index.js';

const { milk, cheese } = TEST_GTINS;
const SSCC = withCheckDigit('10950600000000001');
const SSCC2 = withCheckDigit('10950600000000002');
const pallet = unitEpc(SSCC);
const crate = unitEpc(SSCC2);
const bottle = (serial: string) => itemEpc(milk, serial);

let chain: TestChain;
let p: Participants;
const at = () => chain.nextTimestamp();

function expectOk(result: SubmitResult): asserts result is Extract<SubmitResult, { ok: true }> {
  if (!result.ok) expect.fail(`expected success, got ${result.code}: ${result.message}`);
}
function expectRejected(result: SubmitResult, code: string, path?: string): void {
  if (result.ok) expect.fail(`expected ${code}, but the transaction applied`);
  expect(result.code).toBe(code);
  if (path !== undefined) expect(result.path).toBe(path);
}
const thing = (epc: string): Thing => {
  const record = chain.state.get('thing', epc);
  if (!record) expect.fail(`${epc} does not exist`);
  return record;
};

async function defineMilk() {
  expectOk(
    await chain.submit(
      'product.define',
      {
        gtin: milk,
        name: 'Whole milk 1 L',
        brand: 'Acme',
        conditions: [{ type: 'gs1:Temperature', uom: 'CEL', min: '2', max: '6' }],
      },
      p.staff.acme,
    ),
  );
}
async function commissionBottles(...serials: string[]) {
  expectOk(
    await chain.submit(
      'product.commission',
      { gtin: milk, serials, eventTime: at() },
      p.staff.acme,
    ),
  );
}
async function handover(epcs: string[], to: string, by = p.staff.acme) {
  const result = await chain.submit('custody.handover', { epcs, to, eventTime: at() }, by);
  expectOk(result);
  return result.hash;
}

beforeEach(async () => {
  chain = new TestChain({ authorities: 4 });
  p = await registerParticipants(chain);
});

describe('organizations and keys', () => {
  it('registers organizations with their admin and staff keys', () => {
    expect(chain.state.get('organization', 'acme')).toMatchObject({
      name: PARTICIPANTS.acme.name,
      roles: ['manufacturer'],
    });
    expect(chain.state.get('member', p.admin.acme.publicKey)).toMatchObject({
      orgId: 'acme',
      role: 'admin',
      active: true,
    });
    expect(chain.state.get('member', p.staff.swift.publicKey)).toMatchObject({
      orgId: 'swift',
      role: 'staff',
    });
  });

  it('lets only authorities register, and only once per id and key', async () => {
    const admin = testKey('new-admin');
    const payload = {
      orgId: 'newco',
      name: 'NewCo',
      roles: ['retailer' as const],
      admin: admin.publicKey,
    };
    expectRejected(
      await chain.submit('org.register', payload, p.admin.acme),
      'NOT_AUTHORIZED',
      '$.signer',
    );
    expectRejected(
      await chain.submit('org.register', payload, testKey('stranger')),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit('org.register', { ...payload, orgId: 'acme' }, chain.authorityKeys[1]!),
      'ALREADY_EXISTS',
      '$.payload.orgId',
    );
    expectRejected(
      await chain.submit(
        'org.register',
        { ...payload, admin: p.staff.acme.publicKey },
        chain.authorityKeys[1]!,
      ),
      'ALREADY_EXISTS',
      '$.payload.admin',
    );
    expectOk(await chain.submit('org.register', payload, chain.authorityKeys[1]!));
  });

  it('updates an organization by its admin only', async () => {
    expectOk(
      await chain.submit(
        'org.update',
        { orgId: 'shop', name: 'Corner Grocer & Deli' },
        p.admin.shop,
      ),
    );
    expect(chain.state.get('organization', 'shop')?.name).toBe('Corner Grocer & Deli');
    expectRejected(
      await chain.submit('org.update', { orgId: 'shop', name: 'x' }, p.staff.shop),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit('org.update', { orgId: 'shop', name: 'x' }, p.admin.acme),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit('org.update', { orgId: 'nobody', name: 'x' }, p.admin.acme),
      'NOT_FOUND',
      '$.payload.orgId',
    );
  });

  it('lets no organization give itself the inspector role; an inspector may keep it', async () => {
    expectRejected(
      await chain.submit(
        'org.update',
        { orgId: 'shop', roles: ['retailer', 'inspector'] },
        p.admin.shop,
      ),
      'NOT_AUTHORIZED',
      '$.payload.roles[1]',
    );
    expect(chain.state.get('organization', 'shop')?.roles).toEqual(['retailer']);
    expectOk(
      await chain.submit(
        'org.update',
        { orgId: 'fda', roles: ['inspector'], name: 'Food Safety Authority' },
        p.admin.fda,
      ),
    );
  });

  it('adds and revokes member keys; a revoked key signs nothing new', async () => {
    const worker = testKey('cold-worker');
    expectRejected(
      await chain.submit(
        'member.add',
        { orgId: 'cold', publicKey: worker.publicKey, role: 'staff' },
        p.staff.cold,
      ),
      'NOT_AUTHORIZED',
    );
    expectOk(
      await chain.submit(
        'member.add',
        { orgId: 'cold', publicKey: worker.publicKey, role: 'staff' },
        p.admin.cold,
      ),
    );
    expectRejected(
      await chain.submit(
        'member.add',
        { orgId: 'cold', publicKey: worker.publicKey, role: 'staff' },
        p.admin.cold,
      ),
      'ALREADY_EXISTS',
    );
    expectRejected(
      await chain.submit(
        'member.add',
        { orgId: 'cold', publicKey: chain.authorityKeys[0]!.publicKey, role: 'staff' },
        p.admin.cold,
      ),
      'ALREADY_EXISTS',
    );
    expectOk(
      await chain.submit(
        'org.update',
        { orgId: 'cold', gln: PARTICIPANTS.cold.gln },
        worker === worker ? p.admin.cold : p.admin.cold,
      ),
    );
    expectRejected(
      await chain.submit(
        'member.revoke',
        { orgId: 'cold', publicKey: p.staff.acme.publicKey },
        p.admin.cold,
      ),
      'NOT_FOUND',
    );
    expectOk(
      await chain.submit(
        'member.revoke',
        { orgId: 'cold', publicKey: worker.publicKey, reason: 'left' },
        p.admin.cold,
      ),
    );
    expect(chain.state.get('member', worker.publicKey)).toMatchObject({ active: false });
    expectRejected(
      await chain.submit(
        'location.define',
        {
          gln: withCheckDigit('950600000100'),
          name: 'Dock',
          address: { city: 'Rotterdam', country: 'NL' },
        },
        worker,
      ),
      'KEY_REVOKED',
      '$.signer',
    );
    expectRejected(
      await chain.submit(
        'member.revoke',
        { orgId: 'cold', publicKey: worker.publicKey },
        p.admin.cold,
      ),
      'NOT_FOUND',
    );
  });

  it('refuses unknown signers and authority keys acting for organizations', async () => {
    await defineMilk();
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['1'], eventTime: at() },
        testKey('stranger'),
      ),
      'UNKNOWN_SIGNER',
      '$.signer',
    );
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['1'], eventTime: at() },
        chain.authorityKeys[0]!,
      ),
      'NOT_AUTHORIZED',
      '$.signer',
    );
  });
});

describe('authority votes', () => {
  it('changes the set after a majority of the current set, effective at the next height', async () => {
    const newcomer = testKey('authority-new');
    const [a0, a1, a2] = chain.authorityKeys as [
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
    ];
    expectOk(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: newcomer.publicKey, name: 'New' },
        a0,
      ),
    );
    expectRejected(
      await chain.submit('authority.vote', { action: 'add', authority: newcomer.publicKey }, a0),
      'ALREADY_EXISTS',
      '$.signer',
    );
    expectOk(
      await chain.submit('authority.vote', { action: 'add', authority: newcomer.publicKey }, a1),
    );
    expect(chain.currentValidators()).toHaveLength(4);
    const third = await chain.submit(
      'authority.vote',
      { action: 'add', authority: newcomer.publicKey },
      a2,
    );
    expectOk(third);
    expect(chain.currentValidators()).toContain(newcomer.publicKey);
    const set = chain.state.get('authorities', 'current')!;
    expect(set.history).toEqual([
      {
        height: third.height + 1,
        action: 'add',
        authority: newcomer.publicKey,
        name: 'New',
        tx: third.hash,
      },
    ]);
    expect(set.votes).toEqual([]);
    expectRejected(
      await chain.submit('authority.vote', { action: 'add', authority: newcomer.publicKey }, a0),
      'ALREADY_EXISTS',
      '$.payload.authority',
    );
    expectRejected(
      await chain.submit(
        'authority.vote',
        { action: 'remove', authority: testKey('x').publicKey },
        a0,
      ),
      'NOT_FOUND',
    );
    expectRejected(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: p.staff.acme.publicKey },
        a0,
      ),
      'ALREADY_EXISTS',
    );
    expectRejected(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: testKey('y').publicKey },
        p.admin.acme,
      ),
      'NOT_AUTHORIZED',
    );
  });

  it('removes an authority and drops its pending votes; never the last one', async () => {
    const solo = new TestChain({ authorities: 1 });
    expectRejected(
      await solo.submit(
        'authority.vote',
        { action: 'remove', authority: solo.authorityKeys[0]!.publicKey },
        solo.authorityKeys[0]!,
      ),
      'NOT_AUTHORIZED',
    );
    const [a0, a1, a2, a3] = chain.authorityKeys as [
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
      ReturnType<typeof testKey>,
    ];
    expectOk(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: testKey('z').publicKey },
        a3,
      ),
    );
    for (const voter of [a0, a1, a2])
      expectOk(
        await chain.submit('authority.vote', { action: 'remove', authority: a3.publicKey }, voter),
      );
    expect(chain.currentValidators()).not.toContain(a3.publicKey);
    expect(chain.state.get('authorities', 'current')!.votes).toEqual([]);
    expectRejected(
      await chain.submit(
        'authority.vote',
        { action: 'add', authority: testKey('z').publicKey },
        a3,
      ),
      'NOT_AUTHORIZED',
    );
  });
});

describe('products and locations', () => {
  it('defines a product class once per manufacturer, who may update it', async () => {
    await defineMilk();
    expectOk(
      await chain.submit(
        'product.define',
        { gtin: milk, name: 'Whole milk 1 L (new label)' },
        p.admin.acme,
      ),
    );
    expect(chain.state.get('product', milk)).toMatchObject({
      owner: 'acme',
      name: 'Whole milk 1 L (new label)',
    });
    expectRejected(
      await chain.submit('product.define', { gtin: milk, name: 'x' }, p.staff.shop),
      'NOT_AUTHORIZED',
    );
    expectOk(
      await chain.submit(
        'org.update',
        { orgId: 'shop', roles: ['retailer', 'manufacturer'] },
        p.admin.shop,
      ),
    );
    expectRejected(
      await chain.submit('product.define', { gtin: milk, name: 'x' }, p.staff.shop),
      'NOT_AUTHORIZED',
      '$.payload.gtin',
    );
  });

  it('rejects a bad GS1 check digit with the path, before anything is signed', () => {
    const bad = `${milk.slice(0, 13)}${(Number(milk[13]) + 1) % 10}`;
    expect(() => chain.sign('product.define', { gtin: bad, name: 'x' }, p.staff.acme)).toThrow(
      expect.objectContaining({ code: 'INVALID_GS1', details: { path: '$.payload.gtin' } }),
    );
  });

  it('defines and updates locations by the operating org admin', async () => {
    const gln = withCheckDigit('950600000101');
    const loc = {
      gln,
      name: 'Rotterdam cold store, dock 4',
      address: { street: 'Maasvlakte 1', city: 'Rotterdam', country: 'NL' },
      coordinates: { latitude: '51.95', longitude: '4.05' },
    };
    expectRejected(await chain.submit('location.define', loc, p.staff.cold), 'NOT_AUTHORIZED');
    expectOk(await chain.submit('location.define', loc, p.admin.cold));
    expectRejected(await chain.submit('location.define', loc, p.admin.cold), 'ALREADY_EXISTS');
    expectOk(await chain.submit('location.update', { gln, name: 'Dock 4 (north)' }, p.admin.cold));
    expect(chain.state.get('location', gln)).toMatchObject({
      name: 'Dock 4 (north)',
      orgId: 'cold',
    });
    expectRejected(
      await chain.submit('location.update', { gln, name: 'mine' }, p.admin.swift),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit(
        'location.update',
        { gln: withCheckDigit('950600000102'), name: 'x' },
        p.admin.cold,
      ),
      'NOT_FOUND',
    );
  });
});

describe('commissioning', () => {
  it('creates items and lots owned and held by the GTIN owner', async () => {
    await defineMilk();
    await commissionBottles('A1', 'A2');
    expect(thing(bottle('A1'))).toMatchObject({
      kind: 'item',
      owner: 'acme',
      custodian: 'acme',
      status: 'active',
      serial: 'A1',
    });
    expectOk(
      await chain.submit(
        'product.commission',
        {
          gtin: milk,
          lot: 'L42',
          quantity: '1200',
          unit: 'EA',
          expiry: '2026-12-31',
          eventTime: at(),
        },
        p.staff.acme,
      ),
    );
    expect(thing(lotEpc(milk, 'L42'))).toMatchObject({ kind: 'lot', quantity: '1200', unit: 'EA' });
  });

  it('refuses duplicates, undefined GTINs and other manufacturers', async () => {
    await defineMilk();
    await commissionBottles('A1');
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['A2', 'A1'], eventTime: at() },
        p.staff.acme,
      ),
      'ALREADY_EXISTS',
      '$.payload.serials[1]',
    );
    expect(chain.state.get('thing', bottle('A2'))).toBeUndefined();
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: cheese, serials: ['1'], eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
      '$.payload.gtin',
    );
    expectOk(
      await chain.submit(
        'org.update',
        { orgId: 'shop', roles: ['retailer', 'manufacturer'] },
        p.admin.shop,
      ),
    );
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['S1'], eventTime: at() },
        p.staff.shop,
      ),
      'NOT_AUTHORIZED',
      '$.payload.gtin',
    );
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['S1'], eventTime: at() },
        p.staff.swift,
      ),
      'NOT_AUTHORIZED',
      '$.signer',
    );
  });

  it('refuses an eventTime more than five minutes after the block time', async () => {
    await defineMilk();
    const late = new Date(Date.parse(at()) + 5 * 60_000 + 1000).toISOString();
    expectRejected(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['1'], eventTime: late },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
      '$.payload.eventTime',
    );
    const fine = new Date(Date.parse(at()) + 4 * 60_000).toISOString();
    expectOk(
      await chain.submit(
        'product.commission',
        { gtin: milk, serials: ['1'], eventTime: fine },
        p.staff.acme,
      ),
    );
  });
});

describe('custody', () => {
  beforeEach(async () => {
    await defineMilk();
    await commissionBottles('B1', 'B2', 'B3');
  });

  it('hands over and accepts: custody moves only on accept', async () => {
    const transfer = await handover([bottle('B1')], 'swift');
    expect(thing(bottle('B1'))).toMatchObject({
      custodian: 'acme',
      status: 'in_transit',
      pendingTransfer: transfer,
    });
    expect(chain.state.get('transfer', transfer)).toMatchObject({
      from: 'acme',
      to: 'swift',
      status: 'pending',
    });
    expectOk(await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.swift));
    expect(thing(bottle('B1'))).toMatchObject({
      custodian: 'swift',
      owner: 'acme',
      status: 'active',
    });
    expect(thing(bottle('B1')).pendingTransfer).toBeUndefined();
    expect(chain.state.get('transfer', transfer)).toMatchObject({ status: 'accepted' });
  });

  it('refuses a handover by a non-custodian and a second one while one is pending', async () => {
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('B1')], to: 'cold', eventTime: at() },
        p.staff.swift,
      ),
      'NOT_CUSTODIAN',
      '$.payload.epcs[0]',
    );
    await handover([bottle('B1')], 'swift');
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('B2'), bottle('B1')], to: 'cold', eventTime: at() },
        p.staff.acme,
      ),
      'TRANSFER_PENDING',
      '$.payload.epcs[1]',
    );
    expect(thing(bottle('B2')).status).toBe('active');
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('B2')], to: 'acme', eventTime: at() },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
      '$.payload.to',
    );
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('B2')], to: 'ghost', eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
      '$.payload.to',
    );
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('ZZ')], to: 'swift', eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
      '$.payload.epcs[0]',
    );
  });

  it('refuses an accept by the wrong org, and closed transfers', async () => {
    const transfer = await handover([bottle('B1')], 'swift');
    expectRejected(
      await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.cold),
      'NOT_AUTHORIZED',
      '$.signer',
    );
    expectRejected(
      await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.acme),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit(
        'custody.accept',
        { transfer: '00'.repeat(32), eventTime: at() },
        p.staff.swift,
      ),
      'NOT_FOUND',
      '$.payload.transfer',
    );
    expectOk(await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.swift));
    expectRejected(
      await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.swift),
      'NOT_FOUND',
    );
  });

  it('rejects and cancels: custody unchanged, the thing is free again', async () => {
    const t1 = await handover([bottle('B1')], 'swift');
    expectRejected(
      await chain.submit('custody.reject', { transfer: t1, eventTime: at() }, p.staff.acme),
      'NOT_AUTHORIZED',
    );
    expectOk(
      await chain.submit(
        'custody.reject',
        { transfer: t1, reason: 'damaged', eventTime: at() },
        p.staff.swift,
      ),
    );
    expect(thing(bottle('B1'))).toMatchObject({ custodian: 'acme', status: 'active' });
    const t2 = await handover([bottle('B1')], 'swift');
    expectRejected(
      await chain.submit('custody.cancel', { transfer: t2, eventTime: at() }, p.staff.swift),
      'NOT_AUTHORIZED',
    );
    expectOk(await chain.submit('custody.cancel', { transfer: t2, eventTime: at() }, p.staff.acme));
    expect(chain.state.get('transfer', t2)?.status).toBe('cancelled');
    await handover([bottle('B1')], 'cold');
  });

  it('transfers ownership by the owner only; custody stays', async () => {
    expectRejected(
      await chain.submit(
        'ownership.transfer',
        { epcs: [bottle('B1')], to: 'cold', eventTime: at() },
        p.staff.shop,
      ),
      'NOT_AUTHORIZED',
      '$.payload.epcs[0]',
    );
    expectRejected(
      await chain.submit(
        'ownership.transfer',
        { epcs: [bottle('B1')], to: 'acme', eventTime: at() },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
    );
    expectOk(
      await chain.submit(
        'ownership.transfer',
        { epcs: [bottle('B1')], to: 'shop', eventTime: at() },
        p.staff.acme,
      ),
    );
    expect(thing(bottle('B1'))).toMatchObject({ owner: 'shop', custodian: 'acme' });
  });

  it('observes by the custodian or any inspector, with sensor readings', async () => {
    const readings = [{ type: 'gs1:Temperature', value: '4.5', uom: 'CEL' }];
    expectOk(
      await chain.submit(
        'event.observe',
        { epcs: [bottle('B1')], sensorReadings: readings, bizStep: 'inspecting', eventTime: at() },
        p.staff.acme,
      ),
    );
    expectOk(
      await chain.submit(
        'event.observe',
        { epcs: [bottle('B1')], note: 'spot check', eventTime: at() },
        p.staff.fda,
      ),
    );
    expectRejected(
      await chain.submit('event.observe', { epcs: [bottle('B1')], eventTime: at() }, p.staff.swift),
      'NOT_CUSTODIAN',
      '$.payload.epcs[0]',
    );
    expectRejected(
      await chain.submit(
        'event.observe',
        { epcs: [bottle('nope')], eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
    );
  });
});

describe('packing', () => {
  beforeEach(async () => {
    await defineMilk();
    await commissionBottles('P1', 'P2', 'P3');
  });

  it('packs into a new unit, moves children with it, and unpacks', async () => {
    expectOk(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('P1'), bottle('P2')], eventTime: at() },
        p.staff.acme,
      ),
    );
    expect(thing(pallet)).toMatchObject({
      kind: 'unit',
      sscc: SSCC,
      children: [bottle('P1'), bottle('P2')],
      custodian: 'acme',
    });
    expect(thing(bottle('P1')).parent).toBe(pallet);
    expectRejected(
      await chain.submit(
        'custody.handover',
        { epcs: [bottle('P1')], to: 'swift', eventTime: at() },
        p.staff.acme,
      ),
      'NOT_AUTHORIZED',
      '$.payload.epcs[0]',
    );
    const transfer = await handover([pallet], 'swift');
    expect(thing(bottle('P2')).status).toBe('in_transit');
    expectRejected(
      await chain.submit('aggregate.unpack', { parent: pallet, eventTime: at() }, p.staff.acme),
      'TRANSFER_PENDING',
    );
    expectOk(await chain.submit('custody.accept', { transfer, eventTime: at() }, p.staff.swift));
    expect(thing(bottle('P1'))).toMatchObject({
      custodian: 'swift',
      status: 'active',
      parent: pallet,
    });
    expectRejected(
      await chain.submit('aggregate.unpack', { parent: pallet, eventTime: at() }, p.staff.acme),
      'NOT_CUSTODIAN',
    );
    expectRejected(
      await chain.submit(
        'aggregate.unpack',
        { parent: pallet, children: [bottle('P3')], eventTime: at() },
        p.staff.swift,
      ),
      'NOT_FOUND',
      '$.payload.children[0]',
    );
    expectOk(
      await chain.submit(
        'aggregate.unpack',
        { parent: pallet, children: [bottle('P1')], eventTime: at() },
        p.staff.swift,
      ),
    );
    expect(thing(bottle('P1')).parent).toBeUndefined();
    expect(thing(pallet).children).toEqual([bottle('P2')]);
    expectOk(
      await chain.submit('aggregate.unpack', { parent: pallet, eventTime: at() }, p.staff.swift),
    );
    expect(thing(pallet).children).toEqual([]);
  });

  it('refuses packing what you do not hold, what is packed already, and cycles', async () => {
    expectOk(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('P1')], eventTime: at() },
        p.staff.acme,
      ),
    );
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: crate, children: [bottle('P1')], eventTime: at() },
        p.staff.acme,
      ),
      'ALREADY_EXISTS',
      '$.payload.children[0]',
    );
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: crate, children: [bottle('P2')], eventTime: at() },
        p.staff.swift,
      ),
      'NOT_CUSTODIAN',
      '$.payload.children[0]',
    );
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [pallet], eventTime: at() },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
    );
    expectOk(
      await chain.submit(
        'aggregate.pack',
        { parent: crate, children: [pallet], eventTime: at() },
        p.staff.acme,
      ),
    );
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [crate], eventTime: at() },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
      '$.payload.children[0]',
    );
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('missing')], eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
    );
    const transfer = await handover([bottle('P3')], 'swift');
    expectRejected(
      await chain.submit(
        'aggregate.pack',
        { parent: crate, children: [bottle('P3')], eventTime: at() },
        p.staff.acme,
      ),
      'TRANSFER_PENDING',
    );
    expect(transfer).toHaveLength(64);
  });
});

describe('transformation, decommissioning, recalls and corrections', () => {
  beforeEach(async () => {
    await defineMilk();
    expectOk(
      await chain.submit('product.define', { gtin: cheese, name: 'Gouda 500 g' }, p.staff.acme),
    );
    expectOk(
      await chain.submit(
        'product.commission',
        { gtin: milk, lot: 'M1', quantity: '1000', unit: 'LTR', eventTime: at() },
        p.staff.acme,
      ),
    );
    await commissionBottles('T1', 'T2');
  });

  it('transforms inputs into outputs linked to them', async () => {
    const milkLot = lotEpc(milk, 'M1');
    expectOk(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: milkLot, quantity: '400.5' }, { epc: bottle('T1') }],
          outputs: [{ gtin: cheese, lot: 'G1', quantity: '40', unit: 'EA' }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
    );
    expect(thing(milkLot).quantity).toBe('599.5');
    expect(thing(bottle('T1'))).toMatchObject({
      status: 'decommissioned',
      decommissionReason: 'consumed',
    });
    expect(thing(lotEpc(cheese, 'G1'))).toMatchObject({
      inputs: [milkLot, bottle('T1')],
      quantity: '40',
    });
    expectRejected(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: milkLot, quantity: '600' }],
          outputs: [{ gtin: cheese, serials: ['C1'] }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
      '$.payload.inputs[0].quantity',
    );
    expectRejected(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: bottle('T2'), quantity: '1' }],
          outputs: [{ gtin: cheese, serials: ['C1'] }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
    );
    expectOk(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: milkLot, quantity: '599.5' }],
          outputs: [{ gtin: cheese, serials: ['C1'] }],
          eventTime: at(),
        },
        p.staff.acme,
      ),
    );
    expect(thing(milkLot).status).toBe('decommissioned');
    expectRejected(
      await chain.submit(
        'transform',
        {
          inputs: [{ epc: bottle('T2') }],
          outputs: [{ gtin: cheese, serials: ['C2'] }],
          eventTime: at(),
        },
        p.staff.fda,
      ),
      'NOT_AUTHORIZED',
    );
  });

  it('decommissions what the org holds, once', async () => {
    expectOk(
      await chain.submit(
        'aggregate.pack',
        { parent: pallet, children: [bottle('T1'), bottle('T2')], eventTime: at() },
        p.staff.acme,
      ),
    );
    expectOk(
      await chain.submit(
        'product.decommission',
        { epcs: [bottle('T1')], reason: 'sold', eventTime: at() },
        p.staff.acme,
      ),
    );
    expect(thing(bottle('T1'))).toMatchObject({
      status: 'decommissioned',
      decommissionReason: 'sold',
    });
    expect(thing(pallet).children).toEqual([bottle('T2')]);
    expectRejected(
      await chain.submit(
        'product.decommission',
        { epcs: [bottle('T1')], reason: 'sold', eventTime: at() },
        p.staff.acme,
      ),
      'INVALID_PAYLOAD',
    );
    expectRejected(
      await chain.submit(
        'product.decommission',
        { epcs: [bottle('T2')], reason: 'lost', eventTime: at() },
        p.staff.shop,
      ),
      'NOT_CUSTODIAN',
    );
  });

  it('recalls by the GTIN owner or an inspector, and closes', async () => {
    expectRejected(
      await chain.submit(
        'recall.issue',
        { gtin: milk, lots: ['M1'], reason: 'listeria', eventTime: at() },
        p.staff.swift,
      ),
      'NOT_AUTHORIZED',
    );
    const recall = await chain.submit(
      'recall.issue',
      { gtin: milk, lots: ['M1'], reason: 'listeria', eventTime: at() },
      p.staff.fda,
    );
    expectOk(recall);
    const recalls = chain.state.all('recall');
    expect(statusOf(thing(lotEpc(milk, 'M1')), recalls)).toBe('recalled');
    expect(statusOf(thing(bottle('T1')), recalls)).toBe('active');
    expectOk(
      await chain.submit(
        'recall.issue',
        { gtin: milk, serials: ['T2'], reason: 'cap defect', eventTime: at() },
        p.staff.acme,
      ),
    );
    expect(statusOf(thing(bottle('T2')), chain.state.all('recall'))).toBe('recalled');
    expectRejected(
      await chain.submit('recall.close', { recall: recall.hash, eventTime: at() }, p.staff.swift),
      'NOT_AUTHORIZED',
    );
    expectOk(
      await chain.submit('recall.close', { recall: recall.hash, eventTime: at() }, p.staff.acme),
    );
    expect(statusOf(thing(lotEpc(milk, 'M1')), chain.state.all('recall'))).toBe('active');
    expectRejected(
      await chain.submit('recall.close', { recall: recall.hash, eventTime: at() }, p.staff.acme),
      'NOT_FOUND',
    );
    const whole = await chain.submit(
      'recall.issue',
      { gtin: milk, reason: 'all of it', eventTime: at() },
      p.staff.acme,
    );
    expectOk(whole);
    expect(statusOf(thing(bottle('T1')), chain.state.all('recall'))).toBe('recalled');
  });

  it('corrects an event by its signer org or an inspector', async () => {
    const observed = await chain.submit(
      'event.observe',
      { epcs: [bottle('T1')], eventTime: at() },
      p.staff.acme,
    );
    expectOk(observed);
    const fix = await chain.submit(
      'event.observe',
      { epcs: [bottle('T1')], eventTime: at(), note: 'the right reading' },
      p.staff.acme,
    );
    expectOk(fix);
    expectRejected(
      await chain.submit(
        'event.correct',
        { target: observed.hash, reason: 'incorrect_data', eventTime: at() },
        p.staff.swift,
      ),
      'NOT_AUTHORIZED',
    );
    expectRejected(
      await chain.submit(
        'event.correct',
        { target: 'ab'.repeat(32), reason: 'incorrect_data', eventTime: at() },
        p.staff.acme,
      ),
      'NOT_FOUND',
      '$.payload.target',
    );
    expectRejected(
      await chain.submit(
        'event.correct',
        {
          target: observed.hash,
          reason: 'incorrect_data',
          correctiveTxs: ['cd'.repeat(32)],
          eventTime: at(),
        },
        p.staff.acme,
      ),
      'NOT_FOUND',
      '$.payload.correctiveTxs[0]',
    );
    const correction = await chain.submit(
      'event.correct',
      {
        target: observed.hash,
        reason: 'incorrect_data',
        correctiveTxs: [fix.hash],
        eventTime: at(),
      },
      p.staff.acme,
    );
    expectOk(correction);
    expect(chain.state.get('event', observed.hash)?.corrections).toEqual([correction.hash]);
    expect(chain.state.get('event', correction.hash)?.epcs).toEqual([bottle('T1')]);
    expectOk(
      await chain.submit(
        'event.correct',
        { target: observed.hash, reason: 'did_not_occur', eventTime: at() },
        p.staff.fda,
      ),
    );
  });
});

describe('transaction-level checks', () => {
  it('rejects a replay, a wrong chain id and a bad signature', async () => {
    await defineMilk();
    const tx = chain.sign(
      'product.commission',
      { gtin: milk, serials: ['R1'], eventTime: at() },
      p.staff.acme,
    ) as SignedTx;
    const first = await chain.commit([tx]);
    expect(first.execution.rejected).toEqual([]);
    const replay = await chain.commit([tx]);
    expect(replay.execution.rejected[0]?.code).toBe('DUPLICATE');
    const context = { chainId: chain.chainId, height: chain.height + 1, timestamp: at() };
    expect(await applyTx(chain.state, tx, { ...context, chainId: 'other-chain' })).toMatchObject({
      ok: false,
      code: 'WRONG_CHAIN',
    });
    const forged = { ...tx, payload: { ...tx.payload, serials: ['R2'] } } as SignedTx;
    expect(await applyTx(chain.state, forged, context)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('applies a block whole per transaction: a rejected tx leaves no trace and later txs still apply', async () => {
    await defineMilk();
    const bad = chain.sign(
      'product.commission',
      { gtin: milk, serials: ['X1', 'X1b'], eventTime: at() },
      p.staff.swift,
    ) as SignedTx;
    const good = chain.sign(
      'product.commission',
      { gtin: milk, serials: ['X1'], eventTime: at() },
      p.staff.acme,
    ) as SignedTx;
    const dup = chain.sign(
      'product.commission',
      { gtin: milk, serials: ['X1'], eventTime: at() },
      p.staff.acme,
    ) as SignedTx;
    const { execution, block } = await chain.commit([bad, good, dup]);
    expect(execution.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'NOT_AUTHORIZED'],
      [2, 'ALREADY_EXISTS'],
    ]);
    expect(block.txs).toEqual([good]);
    expect(chain.state.get('thing', bottle('X1b'))).toBeUndefined();
  });
});
