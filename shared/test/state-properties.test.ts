/**
 * Property tests of the state machine: random blocks of valid and invalid custody transactions
 * (signed by the right org, the wrong one, strangers, revoked keys and authorities) must never
 * corrupt the state. After every block the invariants below are checked over every record, a
 * second chain replays the same transactions (determinism), the block's included transactions
 * alone must give the same state root (a rejected transaction changes nothing), and a tiny
 * reference model of custody, ownership and packing must agree with the state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import {
  compareDecimal,
  eventChainOf,
  executeTxs,
  genesisChanges,
  InMemoryState,
  MAX_PACKING_DEPTH,
  RECORD_KINDS,
  type Thing,
  type ThingKind,
  type Transfer,
} from '../src/state/index.js';
import {
  registerParticipants,
  TEST_GTINS,
  TestChain,
  testKey,
  withCheckDigit,
  type ParticipantId,
  type Participants,
  type TestKey,
} from '../src/testing/index.js';
import type { PayloadOf, SignedTx } from '../src/tx/index.js';

// Seeded, so a failure reproduces; fast-check prints the counterexample and its path.
const RUNS = { numRuns: 25, seed: 20261123, endOnFailure: true };

const { milk, cheese, yoghurt } = TEST_GTINS;
const ORGS = ['acme', 'swift', 'cold', 'shop', 'fda'] as const satisfies readonly ParticipantId[];
type OrgId = (typeof ORGS)[number];

// The pool of identifiers commands pick from: some exist from the start, some are created by
// commissioning, transforming or packing, and GHOST never exists.
const SERIALS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'];
const ITEMS = SERIALS.map((s) => itemEpc(milk, s));
const LOTS = [
  lotEpc(cheese, 'L1'),
  lotEpc(cheese, 'L2'),
  lotEpc(cheese, 'L3'),
  lotEpc(yoghurt, 'Y1'),
  lotEpc(yoghurt, 'Y2'),
];
const UNITS = [1, 2, 3, 4, 5].map((i) => unitEpc(withCheckDigit(`1095060000000000${i}`)));
const GHOST = itemEpc(milk, 'ghost');
const GOODS = [...ITEMS, ...LOTS, GHOST];
const ALL = [...GOODS, ...UNITS];
const ANY_KIND: readonly ThingKind[] = ['item', 'lot', 'unit'];
const GOOD_KINDS: readonly ThingKind[] = ['item', 'lot'];
const MISSING_TRANSFER = 'ab'.repeat(32);

type Created = Omit<PayloadOf<'product.commission'>, 'eventTime'>;
/** Things transform creates (new, or already existing: then the transform is refused). */
const OUTPUTS: Created[] = [
  { gtin: yoghurt, lot: 'Y1', quantity: '5', unit: 'kg' },
  { gtin: yoghurt, lot: 'Y2', quantity: '0.75', unit: 'kg' },
  { gtin: milk, serials: ['s9'] },
  { gtin: milk, serials: ['s10'] },
  { gtin: cheese, lot: 'L3', quantity: '1.25', unit: 'kg' },
];
/** What commissioning is tried with: mostly duplicates of what exists. */
const COMMISSIONS: Created[] = [
  ...OUTPUTS,
  { gtin: milk, serials: ['s1'] },
  { gtin: milk, serials: ['s9', 's2'] },
  { gtin: cheese, lot: 'L1', quantity: '3', unit: 'kg' },
];
const QUANTITIES = ['0.5', '1', '2.5', '10', '0.000000001', 'all', undefined] as const;

type ActorSpec =
  | { kind: 'smart' }
  | { kind: 'staff' | 'admin'; org: OrgId }
  | { kind: 'stranger' | 'revoked' | 'authority' };

interface Picks {
  live: boolean;
  at: number[];
}

type Command =
  | { type: 'handover' | 'ownership'; actor: ActorSpec; epcs: Picks; to: number }
  | {
      type: 'close';
      actor: ActorSpec;
      outcome: 'accept' | 'reject' | 'cancel';
      transfer: number;
      pendingOnly: boolean;
    }
  | { type: 'pack'; actor: ActorSpec; parent: number; children: Picks }
  | { type: 'unpack'; actor: ActorSpec; parent: number; children: Picks | undefined }
  | { type: 'observe'; actor: ActorSpec; epcs: Picks }
  | { type: 'decommission'; actor: ActorSpec; epcs: Picks }
  | {
      type: 'transform';
      actor: ActorSpec;
      live: boolean;
      inputs: { epc: number; quantity: number }[];
      output: number;
    }
  | { type: 'recall'; actor: ActorSpec; gtin: number; lots: boolean }
  | { type: 'commission'; actor: ActorSpec; which: number };

const actorArb: fc.Arbitrary<ActorSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'smart' as const }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...ORGS).map((org) => ({ kind: 'staff' as const, org })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...ORGS).map((org) => ({ kind: 'admin' as const, org })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'stranger' as const },
      { kind: 'revoked' as const },
      { kind: 'authority' as const },
    ),
  },
);
const index = fc.nat({ max: 999 });
/** Picks among existing things (live) or the fixed pool, which includes things never made. */
const picksArb: fc.Arbitrary<Picks> = fc.record({
  live: fc.constantFrom(true, true, true, false),
  at: fc.oneof(
    { weight: 3, arbitrary: index.map((i) => [i]) },
    { weight: 1, arbitrary: fc.array(index, { minLength: 2, maxLength: 4 }) },
  ),
});

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('handover' as const),
      actor: actorArb,
      epcs: picksArb,
      to: fc.nat({ max: ORGS.length }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('close' as const),
      actor: actorArb,
      outcome: fc.constantFrom(
        'accept' as const,
        'accept' as const,
        'reject' as const,
        'cancel' as const,
      ),
      transfer: index,
      pendingOnly: fc.constantFrom(true, true, true, false),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('pack' as const),
      actor: actorArb,
      parent: index,
      children: picksArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('unpack' as const),
      actor: actorArb,
      parent: index,
      children: fc.option(picksArb, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('observe' as const),
      actor: actorArb,
      epcs: picksArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('ownership' as const),
      actor: actorArb,
      epcs: picksArb,
      to: fc.nat({ max: ORGS.length }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('decommission' as const),
      actor: actorArb,
      epcs: picksArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('transform' as const),
      actor: actorArb,
      live: fc.boolean(),
      inputs: fc.array(fc.record({ epc: index, quantity: index }), {
        minLength: 1,
        maxLength: 2,
      }),
      output: index,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('recall' as const),
      actor: actorArb,
      gtin: index,
      lots: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('commission' as const),
      actor: actorArb,
      which: index,
    }),
  },
);
const blocksArb = fc.array(fc.array(commandArb, { minLength: 1, maxLength: 5 }), {
  minLength: 1,
  maxLength: 16,
});

const pick = <T>(pool: readonly T[], i: number): T => pool[i % pool.length]!;
const pickAll = <T>(pool: readonly T[], is: readonly number[]): T[] => [
  ...new Set(is.map((i) => pick(pool, i))),
];

/** Custody, ownership and packing as an independent model, driven only by applied txs. */
interface ModelThing {
  custodian: string;
  owner: string;
  parent?: string;
}

interface World {
  a: TestChain;
  /** Replays every block of `a`, rejected transactions included. */
  b: TestChain;
  /** Rebuilt from deep copies of each block's changes: catches records mutated in place. */
  shadow: InMemoryState;
  p: Participants;
  keys: { stranger: TestKey; revoked: TestKey };
  model: Map<string, ModelThing>;
  /** Decommissioned things and closed transfers as first seen: they must never change. */
  frozen: Map<string, string>;
  quantities: Map<string, string>;
  /** The hashes of the applied events that name each thing, in chain order. */
  events: Map<string, string[]>;
  /** What each pending transfer hands over, as first seen (strict mode). */
  pendingContents: Map<string, string>;
  /** Numbers fresh transformation output lots. */
  fresh: number;
}

const snapshot = (state: InMemoryState): string[] =>
  RECORD_KINDS.flatMap((kind) =>
    state
      .all(kind)
      .map((record) => `${kind} ${JSON.stringify(record)}`)
      .sort(),
  );

interface Fixture {
  p: Participants;
  keys: { stranger: TestKey; revoked: TestKey };
  /** The setup blocks' transactions, signed once and committed by every run. */
  blocks: SignedTx[][];
}

async function buildFixture(): Promise<Fixture> {
  const chain = new TestChain({ authorities: 1 });
  const p = await registerParticipants(chain);
  const stranger = testKey('stranger');
  const revoked = testKey('swift-revoked');
  const acme = p.staff.acme;
  const eventTime = chain.nextTimestamp();
  const setupBlocks: SignedTx[][] = [
    [
      chain.sign(
        'member.add',
        { orgId: 'swift', publicKey: revoked.publicKey, role: 'staff' },
        p.admin.swift,
      ),
      chain.sign('product.define', { gtin: milk, name: 'Milk' }, acme),
      chain.sign('product.define', { gtin: cheese, name: 'Cheese' }, acme),
      chain.sign('product.define', { gtin: yoghurt, name: 'Yoghurt' }, acme),
    ],
    [
      chain.sign('member.revoke', { orgId: 'swift', publicKey: revoked.publicKey }, p.admin.swift),
      chain.sign(
        'product.commission',
        { gtin: milk, serials: SERIALS.slice(0, 8), eventTime },
        acme,
      ),
      chain.sign(
        'product.commission',
        { gtin: cheese, lot: 'L1', quantity: '10', unit: 'kg', eventTime },
        acme,
      ),
      chain.sign(
        'product.commission',
        { gtin: cheese, lot: 'L2', quantity: '2.5', unit: 'kg', eventTime },
        acme,
      ),
    ],
    [
      // Cases in pallets: U4 holds U1, which holds s1 and s2; U3 holds U2, which holds s3.
      chain.sign(
        'aggregate.pack',
        { parent: UNITS[0]!, children: [ITEMS[0]!, ITEMS[1]!], eventTime },
        acme,
      ),
      chain.sign('aggregate.pack', { parent: UNITS[1]!, children: [ITEMS[2]!], eventTime }, acme),
      chain.sign('aggregate.pack', { parent: UNITS[2]!, children: [UNITS[1]!], eventTime }, acme),
      chain.sign('aggregate.pack', { parent: UNITS[3]!, children: [UNITS[0]!], eventTime }, acme),
    ],
  ];
  for (const txs of setupBlocks) {
    const { execution } = await chain.commit(txs);
    expect(execution.rejected).toEqual([]);
  }
  return { p, keys: { stranger, revoked }, blocks: chain.blocks.map((b) => b.block.txs) };
}

let fixture: Promise<Fixture> | undefined;

/** Two fresh chains and a shadow state, with the participants, products and things set up. */
async function setup(): Promise<World> {
  fixture ??= buildFixture();
  const { p, keys, blocks } = await fixture;
  const a = new TestChain({ authorities: 1 });
  const b = new TestChain({ authorities: 1 });
  const shadow = new InMemoryState();
  shadow.commit(genesisChanges(a.genesis.authorities), []);
  const world: World = {
    a,
    b,
    shadow,
    p,
    keys,
    model: new Map(),
    frozen: new Map(),
    quantities: new Map(),
    events: new Map(),
    pendingContents: new Map(),
    fresh: 0,
  };
  for (const txs of blocks) {
    const { execution } = await a.commit(txs);
    await b.commit(txs);
    shadow.commit(
      structuredClone(execution.changes),
      execution.applied.map((x) => x.hash),
    );
    recordEvents(world, execution.applied);
    for (const tx of txs) updateModel(world, tx);
  }
  return world;
}

function keyFor(w: World, actor: ActorSpec, smartOrg: string | undefined): TestKey {
  switch (actor.kind) {
    case 'smart':
      return w.p.staff[(smartOrg ?? 'acme') as OrgId];
    case 'staff':
      return w.p.staff[actor.org];
    case 'admin':
      return w.p.admin[actor.org];
    case 'stranger':
      return w.keys.stranger;
    case 'revoked':
      return w.keys.revoked;
    case 'authority':
      return w.a.authorityKeys[0]!;
  }
}

/** Turns a command into a signed transaction, reading the state only to aim it. */
function build(w: World, command: Command): SignedTx {
  const { a } = w;
  const state = a.state;
  const eventTime = a.nextTimestamp();
  const custodianOf = (epc: string | undefined) =>
    epc === undefined ? undefined : state.get('thing', epc)?.custodian;
  const sign = <T extends Parameters<TestChain['sign']>[0]>(
    type: T,
    payload: PayloadOf<T>,
    smartOrg: string | undefined,
  ): SignedTx =>
    // A generic SignedTxOf<T> does not narrow to the SignedTx union by itself.
    a.sign(type, payload, keyFor(w, command.actor, smartOrg)) as unknown as SignedTx;
  /** Existing things of these kinds; `free`: also unpacked and not handed over already. */
  const live = (kinds: readonly ThingKind[], free = false) =>
    state
      .all('thing')
      .filter(
        (t) =>
          t.status !== 'decommissioned' &&
          kinds.includes(t.kind) &&
          (!free || (t.parent === undefined && t.pendingTransfer === undefined)),
      )
      .map((t) => t.epc)
      .sort();
  const choose = (
    picks: Picks,
    pool: readonly string[],
    kinds: readonly ThingKind[],
    free = false,
  ) => {
    const existing = picks.live ? live(kinds, free) : [];
    return pickAll(existing.length > 0 ? existing : pool, picks.at);
  };
  switch (command.type) {
    case 'handover':
    case 'ownership': {
      const epcs = choose(command.epcs, ALL, ANY_KIND, command.type === 'handover');
      const first = state.get('thing', epcs[0]!);
      const from = (command.type === 'handover' ? first?.custodian : first?.owner) ?? 'acme';
      // Mostly another organization; sometimes the sender itself, or one that does not exist.
      const to =
        command.to === ORGS.length
          ? 'nobody'
          : ORGS[(ORGS.indexOf(from as OrgId) + 1 + command.to) % ORGS.length]!;
      if (command.type === 'handover')
        return sign('custody.handover', { epcs, to, eventTime }, from);
      return sign('ownership.transfer', { epcs, to, eventTime }, from);
    }
    case 'close': {
      const transfers = state
        .all('transfer')
        .filter((t) => !command.pendingOnly || t.status === 'pending')
        .sort((x, y) => (x.id < y.id ? -1 : 1));
      const transfer = transfers.length > 0 ? pick(transfers, command.transfer) : undefined;
      const payload = { transfer: transfer?.id ?? MISSING_TRANSFER, eventTime };
      const party = command.outcome === 'cancel' ? transfer?.from : transfer?.to;
      if (command.outcome === 'accept') return sign('custody.accept', payload, party);
      if (command.outcome === 'reject') return sign('custody.reject', payload, party);
      return sign('custody.cancel', payload, party);
    }
    case 'pack': {
      // Aimed: into a unit that exists (often a case in a pallet), things its holder holds.
      const units = command.children.live ? live(['unit']) : [];
      const parent = pick(
        units.length > 0 && command.parent % 4 !== 0 ? units : UNITS,
        command.parent,
      );
      const holder = custodianOf(parent);
      const own = live(ANY_KIND, true).filter((epc) => custodianOf(epc) === holder);
      const children =
        command.children.live && holder !== undefined && own.length > 0
          ? pickAll(own, command.children.at)
          : choose(command.children, ALL, ANY_KIND);
      return sign(
        'aggregate.pack',
        { parent, children, eventTime },
        custodianOf(parent) ?? custodianOf(children[0]),
      );
    }
    case 'unpack': {
      const parent = pick(UNITS, command.parent);
      const inside = state.get('thing', parent)?.children ?? [];
      const children =
        command.children &&
        (command.children.live && inside.length > 0
          ? pickAll(inside, command.children.at)
          : choose(command.children, ALL, ANY_KIND));
      return sign(
        'aggregate.unpack',
        { parent, ...(children && { children }), eventTime },
        custodianOf(parent),
      );
    }
    case 'observe': {
      const epcs = choose(command.epcs, ALL, ANY_KIND);
      return sign(
        'event.observe',
        { epcs, bizStep: 'inspecting', eventTime },
        custodianOf(epcs[0]),
      );
    }
    case 'decommission': {
      const epcs = choose(command.epcs, GOODS, GOOD_KINDS);
      return sign(
        'product.decommission',
        { epcs, reason: 'sold', eventTime },
        custodianOf(epcs[0]),
      );
    }
    case 'transform': {
      // Live inputs are what the manufacturer holds unpacked (a lot can still be in transit).
      const existing = command.live
        ? live(GOOD_KINDS).filter((epc) => {
            const t = state.get('thing', epc);
            return t?.custodian === 'acme' && t.parent === undefined;
          })
        : [];
      const inputs = command.inputs.map((input) => {
        const epc = pick(existing.length > 0 ? existing : GOODS, input.epc);
        const thing = state.get('thing', epc);
        let quantity: string | undefined = pick(QUANTITIES, input.quantity);
        if (quantity === 'all') quantity = thing?.quantity ?? '1';
        // Aimed at what exists, an item is consumed whole; otherwise it may get a quantity.
        if (command.live && thing?.kind === 'item') quantity = undefined;
        return { epc, ...(quantity !== undefined && { quantity }) };
      });
      const unique = [...new Map(inputs.map((i) => [JSON.stringify(i), i])).values()];
      return sign(
        'transform',
        {
          inputs: unique,
          outputs: [
            command.output % 3 === 0
              ? { gtin: yoghurt, lot: `F${w.fresh++}`, quantity: '3', unit: 'kg' }
              : pick(OUTPUTS, command.output),
          ],
          eventTime,
        },
        custodianOf(unique[0]!.epc),
      );
    }
    case 'recall': {
      const gtin = pick([milk, cheese, yoghurt], command.gtin);
      const smart = command.gtin % 2 === 0 ? 'acme' : 'fda';
      return sign(
        'recall.issue',
        { gtin, ...(command.lots && { lots: ['L1'] }), reason: 'listeria', eventTime },
        smart,
      );
    }
    case 'commission':
      return sign('product.commission', { ...pick(COMMISSIONS, command.which), eventTime }, 'acme');
  }
}

function recordEvents(w: World, applied: readonly { hash: string }[]): void {
  for (const { hash } of applied)
    for (const epc of w.a.state.get('event', hash)?.epcs ?? [])
      w.events.set(epc, [...(w.events.get(epc) ?? []), hash]);
}

const createdEpcs = (spec: Created): string[] =>
  spec.serials ? spec.serials.map((s) => itemEpc(spec.gtin, s)) : [lotEpc(spec.gtin, spec.lot!)];

/** The reference model: custody moves only on accept, with everything packed in the thing. */
function updateModel(w: World, tx: SignedTx): void {
  const { model } = w;
  const org = w.a.state.get('member', tx.signer)?.orgId ?? '?';
  const create = (epc: string) => model.set(epc, { custodian: org, owner: org });
  const descendants = (root: string): string[] => {
    const out = [root];
    for (let i = 0; i < out.length; i++)
      for (const [epc, t] of model) if (t.parent === out[i]) out.push(epc);
    return out;
  };
  switch (tx.type) {
    case 'product.commission':
      createdEpcs(tx.payload).forEach(create);
      break;
    case 'transform':
      tx.payload.outputs.flatMap(createdEpcs).forEach(create);
      break;
    case 'aggregate.pack':
      if (!model.has(tx.payload.parent)) create(tx.payload.parent);
      for (const epc of tx.payload.children) model.get(epc)!.parent = tx.payload.parent;
      break;
    case 'aggregate.unpack': {
      const { parent } = tx.payload;
      const leaving =
        tx.payload.children ?? [...model].filter(([, t]) => t.parent === parent).map(([e]) => e);
      for (const epc of leaving) delete model.get(epc)!.parent;
      break;
    }
    case 'product.decommission':
      for (const epc of tx.payload.epcs) delete model.get(epc)!.parent;
      break;
    case 'ownership.transfer':
      for (const epc of tx.payload.epcs) model.get(epc)!.owner = tx.payload.to;
      break;
    case 'custody.accept': {
      const transfer = w.a.state.get('transfer', tx.payload.transfer)!;
      for (const epc of transfer.epcs)
        for (const e of descendants(epc)) model.get(e)!.custodian = transfer.to;
      break;
    }
    default:
      break;
  }
}

const POSITIVE_DECIMAL = /^(0|[1-9]\d{0,17})(\.\d{1,9})?$/;

/**
 * Every invariant over the whole state; returns the violations. `strictTransit` adds: a thing is
 * in transit exactly when it or a unit it is packed in has a pending transfer, and what a pending
 * transfer hands over (the listed things and everything packed in them) does not change.
 */
function violations(w: World, strictTransit: boolean): string[] {
  const out: string[] = [];
  const state = w.a.state;
  const orgs = new Set(state.all('organization').map((o) => o.id));
  const things = new Map(state.all('thing').map((t) => [t.epc, t]));
  const transfers = new Map(state.all('transfer').map((t) => [t.id, t]));
  const listedIn = new Map<string, number>();

  for (const t of things.values()) {
    const at = (what: string) => out.push(`${t.epc}: ${what}`);
    // 1. custody and ownership always rest with exactly one registered organization.
    if (!orgs.has(t.custodian)) at(`custodian ${t.custodian} is not an organization`);
    if (!orgs.has(t.owner)) at(`owner ${t.owner} is not an organization`);
    // 2. packing is a forest: parent and children agree, no thing in two units, no cycles.
    if (new Set(t.children).size !== t.children.length) at('a child is listed twice');
    if (t.children.length > 0 && t.kind !== 'unit') at(`a ${t.kind} has children`);
    for (const child of t.children) {
      listedIn.set(child, (listedIn.get(child) ?? 0) + 1);
      const c = things.get(child);
      if (c?.parent !== t.epc) at(`lists ${child}, whose parent is ${c?.parent ?? 'none'}`);
    }
    const ancestors: Thing[] = [];
    for (let up = t.parent; up !== undefined; up = things.get(up)?.parent) {
      const unit = things.get(up);
      if (!unit) {
        at(`ancestor ${up} does not exist`);
        break;
      }
      if (unit.epc === t.epc || ancestors.includes(unit)) {
        at('is packed in itself');
        break;
      }
      ancestors.push(unit);
    }
    if (ancestors.length > MAX_PACKING_DEPTH) at(`packed ${ancestors.length} units deep`);
    if (t.parent !== undefined) {
      const parent = things.get(t.parent);
      if (parent?.kind !== 'unit') at(`parent ${t.parent} is not a logistic unit`);
      if (parent && !parent.children.includes(t.epc)) at(`not among ${t.parent}'s children`);
      // 3. custody moves with the pallet.
      if (parent && parent.custodian !== t.custodian)
        at(`held by ${t.custodian}, its unit by ${parent.custodian}`);
    }
    // 4. pending transfers and the in-transit status.
    if (t.pendingTransfer !== undefined) {
      const tr = transfers.get(t.pendingTransfer);
      if (tr?.status !== 'pending' || !tr.epcs.includes(t.epc))
        at(`pendingTransfer ${t.pendingTransfer} is not a pending transfer listing it`);
      if (t.status !== 'in_transit') at(`has a pending transfer but is ${t.status}`);
      if (t.parent !== undefined) at('is packed while handed over');
    }
    const pendingAbove = [t, ...ancestors].some((x) => x.pendingTransfer !== undefined);
    if (t.status === 'in_transit' && !pendingAbove && strictTransit)
      at('is in transit without a pending transfer on it or a unit it is packed in');
    if (t.status === 'active' && pendingAbove && strictTransit)
      at('is active although a unit it is packed in is handed over');
    // 5. lots keep a positive, well-formed, never growing quantity; decommissioned is final.
    if (t.kind === 'lot') {
      const q = t.quantity ?? '';
      if (!POSITIVE_DECIMAL.test(q) || compareDecimal(q, '0') <= 0) at(`malformed quantity "${q}"`);
      const before = w.quantities.get(t.epc);
      if (before !== undefined && POSITIVE_DECIMAL.test(q) && compareDecimal(q, before) > 0)
        at(`quantity grew from ${before} to ${q}`);
      w.quantities.set(t.epc, q);
    } else if (t.quantity !== undefined) at(`a ${t.kind} has a quantity`);
    // Later events (an inspection, a recall) still extend the history of a decommissioned thing.
    const { history, ...rest } = t;
    const json = JSON.stringify(rest);
    const frozen = w.frozen.get(`thing ${t.epc}`);
    if (frozen !== undefined && frozen !== json) at(`changed after decommissioning: ${json}`);
    if (t.status === 'decommissioned') {
      w.frozen.set(`thing ${t.epc}`, json);
      if (t.parent !== undefined || t.children.length > 0) at('decommissioned but packed');
    }
    // The history hash chain runs over exactly the applied events that name the thing, in order.
    const events = w.events.get(t.epc) ?? [];
    const expected = eventChainOf(events);
    if (history.count !== expected.count || history.head !== expected.head)
      at(`history has ${history.count} events, ${expected.count} name it`);
    // The reference model.
    const m = w.model.get(t.epc);
    if (!m) at('exists, but the model never saw it created');
    else {
      if (m.custodian !== t.custodian) at(`custodian ${t.custodian}, model says ${m.custodian}`);
      if (m.owner !== t.owner) at(`owner ${t.owner}, model says ${m.owner}`);
      if (m.parent !== t.parent)
        at(`parent ${t.parent ?? 'none'}, model says ${m.parent ?? 'none'}`);
    }
  }
  for (const [epc, count] of listedIn)
    if (count > 1) out.push(`${epc}: listed in ${count} units' children`);
  for (const epc of w.model.keys()) if (!things.has(epc)) out.push(`${epc}: in the model only`);

  for (const tr of transfers.values()) {
    const at = (what: string) => out.push(`transfer ${tr.id.slice(0, 8)}: ${what}`);
    if (!orgs.has(tr.from) || !orgs.has(tr.to) || tr.from === tr.to)
      at(`bad parties ${tr.from} -> ${tr.to}`);
    if (tr.status === 'pending') {
      for (const epc of tr.epcs) {
        const t = things.get(epc);
        if (t?.pendingTransfer !== tr.id) at(`${epc} does not point back to it`);
        if (t?.status !== 'in_transit') at(`${epc} is ${t?.status ?? 'missing'}, not in transit`);
        if (t?.custodian !== tr.from)
          at(`${epc} is held by ${t?.custodian ?? '?'}, not the sender`);
      }
      if (strictTransit) {
        const tree: string[] = [...tr.epcs];
        for (let i = 0; i < tree.length; i++) tree.push(...(things.get(tree[i]!)?.children ?? []));
        const contents = tree.sort().join(' ');
        const seen = w.pendingContents.get(tr.id);
        if (seen !== undefined && seen !== contents)
          at(`what it hands over changed from [${seen}] to [${contents}]`);
        w.pendingContents.set(tr.id, contents);
      }
    } else checkFrozen(w, `transfer ${tr.id}`, tr, at);
  }
  return out;
}

function checkFrozen(w: World, key: string, record: Transfer, at: (what: string) => void): void {
  const json = JSON.stringify(record);
  const frozen = w.frozen.get(key);
  if (frozen !== undefined && frozen !== json) at(`changed after it closed: ${json}`);
  w.frozen.set(key, json);
}

/** Commits one block on both chains and checks everything. */
async function step(w: World, txs: SignedTx[], strictTransit: boolean): Promise<void> {
  const before = snapshot(w.a.state);
  const { block, execution } = await w.a.commit(txs);
  const { header } = block;
  // 6. The included transactions alone give the same state root: the rejected ones did nothing.
  const included = await executeTxs(w.b.state, block.txs, {
    chainId: w.b.chainId,
    height: header.height,
    timestamp: header.timestamp,
    prevStateRoot: w.b.headHeader.stateRoot,
    signaturesVerified: true,
  });
  expect(included.rejected).toEqual([]);
  expect(included.stateRoot).toBe(header.stateRoot);
  // 7. Determinism: the same transactions on a second chain give the same root and rejections.
  const replay = await w.b.commit(txs);
  expect(replay.block.header.stateRoot).toBe(header.stateRoot);
  expect(replay.execution.rejected).toEqual(execution.rejected);
  w.shadow.commit(
    structuredClone(execution.changes),
    execution.applied.map((x) => x.hash),
  );
  const after = snapshot(w.a.state);
  expect(snapshot(w.b.state)).toEqual(after);
  expect(snapshot(w.shadow)).toEqual(after);
  if (execution.applied.length === 0) expect(after).toEqual(before);
  recordEvents(w, execution.applied);
  for (const tx of block.txs) updateModel(w, tx);
  expect(violations(w, strictTransit)).toEqual([]);
}

async function runCommands(blocks: Command[][], strictTransit: boolean): Promise<void> {
  const w = await setup();
  expect(violations(w, strictTransit)).toEqual([]);
  for (const commands of blocks)
    await step(
      w,
      commands.map((c) => build(w, c)),
      strictTransit,
    );
}

/** Hands the pallet U3 (holding the case U2, holding s3) to swift, then unpacks the case. */
const UNPACK_IN_TRANSIT: Command[][] = [
  [
    {
      type: 'handover',
      actor: { kind: 'smart' },
      epcs: { live: false, at: [ALL.indexOf(UNITS[2]!)] },
      to: 0,
    },
  ],
  [{ type: 'unpack', actor: { kind: 'smart' }, parent: 1, children: undefined }],
];

describe('random custody transactions never corrupt the state', () => {
  it('keeps every invariant, deterministically, with rejected transactions changing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(blocksArb, (blocks) => runCommands(blocks, false)),
      RUNS,
    );
  }, 180_000);

  // BUG (reported, not fixed): requireHeld checks only the thing's own pendingTransfer, so the
  // sender can still pack into, unpack from or decommission out of a case inside a pallet that
  // is handed over. What it unpacks stays 'in_transit' forever, with no transfer; what it packs
  // is 'active' inside an in-transit pallet and silently moves to the receiver on accept.
  it('keeps a thing in transit exactly while it or its unit is handed over', async () => {
    await fc.assert(
      fc.asyncProperty(blocksArb, (blocks) => runCommands(blocks, true)),
      { ...RUNS, examples: [[UNPACK_IN_TRANSIT]] },
    );
  }, 180_000);

  // BUG (reported, not fixed): the depth limit counts only the new parent's ancestors, not the
  // height of the unit being packed, so two nests of five units packed together are ten deep.
  it(`never nests logistic units more than ${MAX_PACKING_DEPTH} deep`, async () => {
    const chain = new TestChain({ authorities: 1 });
    const p = await registerParticipants(chain);
    const units = Array.from({ length: 10 }, (_, i) =>
      unitEpc(withCheckDigit(`109506000000001${String(i).padStart(2, '0')}`)),
    );
    const pack = (parent: string, child: string) =>
      chain.sign(
        'aggregate.pack',
        { parent, children: [child], eventTime: chain.nextTimestamp() },
        p.staff.acme,
      );
    await chain.commit([chain.sign('product.define', { gtin: milk, name: 'Milk' }, p.staff.acme)]);
    await chain.commit([
      chain.sign(
        'product.commission',
        { gtin: milk, serials: ['x', 'y'], eventTime: chain.nextTimestamp() },
        p.staff.acme,
      ),
    ]);
    // x in units[0] in ... in units[4]; y in units[5] in ... in units[9]; then units[4] into
    // units[5], which has only four ancestors: x ends up ten units deep.
    const txs = [pack(units[0]!, itemEpc(milk, 'x')), pack(units[5]!, itemEpc(milk, 'y'))];
    for (let i = 1; i < 10; i++) if (i !== 5) txs.push(pack(units[i]!, units[i - 1]!));
    txs.push(pack(units[5]!, units[4]!));
    const { execution } = await chain.commit(txs);
    expect(execution.rejected.map((r) => [r.index, r.code])).toEqual([
      [txs.length - 1, 'INVALID_PAYLOAD'],
    ]);
    let depth = 0;
    for (let up = chain.state.get('thing', itemEpc(milk, 'x'))?.parent; up !== undefined; depth++)
      up = chain.state.get('thing', up)?.parent;
    expect(depth).toBeLessThanOrEqual(MAX_PACKING_DEPTH);
  });
});
