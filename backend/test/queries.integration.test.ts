/**
 * The registry queries and the provenance bundle against one real node: a small supply chain is
 * run through it, then every query is checked against what the chain itself says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '@waybill/shared/bundle';
import { WaybillClientError } from '@waybill/shared/client';
import { itemEpc, lotEpc, unitEpc } from '@waybill/shared/gs1';
import { PARTICIPANTS, TEST_GTINS, withCheckDigit, participantKeys } from '@waybill/shared/testing';
import type { SignedTx } from '@waybill/shared/tx';
import {
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  type NodeProcess,
  type SoloChain,
} from './harness.js';
import { PARTIAL_INDEXES } from '../src/storage/migrations-4.js';

const { admin, staff } = participantKeys();
const { milk, cheese } = TEST_GTINS;
const sscc = withCheckDigit('10950600000000009');
const pallet = unitEpc(sscc);
const n1 = itemEpc(milk, 'N1');
const n2 = itemEpc(milk, 'N2');
const n3 = itemEpc(milk, 'N3');
const cheeseLot = lotEpc(cheese, 'L42');
const now = () => new Date().toISOString();

let chain: SoloChain;
let node: NodeProcess;
const hashes = {} as Record<
  'defineMilk' | 'commission' | 'handover' | 'accept' | 'cheeseHandover' | 'recall',
  string
>;
let inboxBeforeAccept: { incoming: Transfer[]; outgoing: Transfer[] };

interface Transfer {
  id: string;
  from: string;
  to: string;
  epcs: string[];
  status: string;
}
interface Listed {
  epc: string;
  kind: string;
  custodian: string;
  owner: string;
  status: string;
  lot: string | null;
  parent: string | null;
}
interface Page {
  things: Listed[];
  nextCursor: string | null;
}

async function final(tx: SignedTx): Promise<string> {
  const result = await node.client.submit(tx, { waitFinal: true });
  if (result.status !== 'FINAL')
    throw new Error(
      `${tx.type} ended ${result.status}: ${result.code ?? ''} ${result.message ?? ''}`,
    );
  return result.hash as string;
}

function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  return node.client.request<T>(text, variables);
}

async function errorCode(text: string, variables: Record<string, unknown> = {}): Promise<string> {
  const error = await query(text, variables).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaybillClientError);
  return (error as WaybillClientError).code;
}

const THING_FIELDS = 'epc kind custodian owner status lot parent';
const TRANSFER_FIELDS = 'id from to epcs status';

async function products(args: Record<string, unknown>): Promise<Page> {
  const params = Object.keys(args)
    .map((k) => `${k}: $${k}`)
    .join(', ');
  const types: Record<string, string> = {
    gtin: 'String',
    lot: 'String',
    custodian: 'String',
    status: 'String',
    first: 'Int!',
    after: 'String',
  };
  const declared = Object.keys(args)
    .map((k) => `$${k}: ${types[k] ?? 'String'}`)
    .join(', ');
  const text = `query${declared ? ` (${declared})` : ''} { products${params ? `(${params})` : ''} { things { ${THING_FIELDS} } nextCursor } }`;
  return (await query<{ products: Page }>(text, args)).products;
}

/** What the existing `thing` query says of an EPC: the chain's own answer. */
async function thing(epc: string): Promise<{ custodian: string; owner: string; status: string }> {
  const { thing: found } = await query<{
    thing: { custodian: string; owner: string; status: string } | null;
  }>('query ($epc: String!) { thing(epc: $epc) { custodian owner status } }', { epc });
  if (!found) throw new Error(`no thing ${epc}`);
  return found;
}

/**
 * Custody and ownership as `thing` says; status too, except that `recalled` is derived from open
 * recalls, which `thing` may not apply: a recalled thing is then one the chain has not retired.
 */
async function expectAsChainSays(page: Page): Promise<void> {
  for (const listed of page.things) {
    const truth = await thing(listed.epc);
    expect({ epc: listed.epc, custodian: truth.custodian, owner: truth.owner }).toEqual({
      epc: listed.epc,
      custodian: listed.custodian,
      owner: listed.owner,
    });
    if (listed.status === 'recalled') expect(truth.status).not.toBe('decommissioned');
    else expect(truth.status).toBe(listed.status);
  }
}

async function transfers(orgId: string) {
  const { organization } = await query<{
    organization: { incomingTransfers: Transfer[]; outgoingTransfers: Transfer[] };
  }>(
    `query ($id: String!) { organization(id: $id) {
       incomingTransfers { ${TRANSFER_FIELDS} } outgoingTransfers { ${TRANSFER_FIELDS} } } }`,
    { id: orgId },
  );
  return { incoming: organization.incomingTransfers, outgoing: organization.outgoingTransfers };
}

beforeAll(async () => {
  chain = soloChain('waybill-queries');
  node = await startNode(chain.dataDir, { WAYBILL_SQL_TRACE: join(chain.dataDir, 'sql.trace') });

  await registerParticipantsOverApi(node, chain);

  hashes.defineMilk = await final(
    chain.sign(
      'product.define',
      { gtin: milk, name: 'Whole milk 1 L', brand: 'Acme', description: 'Fresh' },
      staff.acme,
    ),
  );
  await final(chain.sign('product.define', { gtin: cheese, name: 'Gouda' }, staff.acme));
  hashes.commission = await final(
    chain.sign(
      'product.commission',
      { gtin: milk, serials: ['N1', 'N2', 'N3'], lot: 'B1', eventTime: now() },
      staff.acme,
    ),
  );
  await final(
    chain.sign(
      'product.commission',
      { gtin: cheese, lot: 'L42', quantity: '100', unit: 'KGM', eventTime: now() },
      staff.acme,
    ),
  );
  await final(
    chain.sign(
      'aggregate.pack',
      { parent: pallet, children: [n1, n2], eventTime: now() },
      staff.acme,
    ),
  );
  hashes.handover = await final(
    chain.sign('custody.handover', { epcs: [pallet], to: 'swift', eventTime: now() }, staff.acme),
  );
  inboxBeforeAccept = await transfers('swift');
  hashes.accept = await final(
    chain.sign('custody.accept', { transfer: hashes.handover, eventTime: now() }, staff.swift),
  );
  hashes.cheeseHandover = await final(
    chain.sign('custody.handover', { epcs: [cheeseLot], to: 'cold', eventTime: now() }, staff.acme),
  );
  hashes.recall = await final(
    chain.sign(
      'recall.issue',
      { gtin: cheese, lots: ['L42'], reason: 'Listeria found', eventTime: now() },
      staff.acme,
    ),
  );
  await final(
    chain.sign(
      'product.decommission',
      { epcs: [n3], reason: 'sold', eventTime: now() },
      staff.acme,
    ),
  );
}, 120_000);

afterAll(cleanUp);

describe('organization', () => {
  it('answers name, roles, gln and members with role, state and label', async () => {
    const { organization } = await query<{
      organization: {
        id: string;
        name: string;
        roles: string[];
        gln: string;
        members: { publicKey: string; role: string; active: boolean; label: string | null }[];
        locations: unknown[];
      };
    }>(
      '{ organization(id: "acme") { id name roles gln members { publicKey role active label } locations { gln } } }',
    );
    expect(organization).toEqual({
      id: 'acme',
      name: PARTICIPANTS.acme.name,
      roles: ['manufacturer'],
      gln: PARTICIPANTS.acme.gln,
      members: [
        { publicKey: admin.acme.publicKey, role: 'admin', active: true, label: null },
        { publicKey: staff.acme.publicKey, role: 'staff', active: true, label: 'acme staff' },
      ],
      // No location.define in this chain; the query still runs (the storage test reads its plan).
      locations: [],
    });
    expect(await query('{ organization(id: "nobody") { id } }')).toEqual({ organization: null });
  });

  it('lists what it holds now, paged, as the chain says', async () => {
    const holdings = async (id: string, first: number, after?: string) =>
      (
        await query<{ organization: { holdings: Page } }>(
          `query ($id: String!, $first: Int!, $after: String) { organization(id: $id) {
             holdings(first: $first, after: $after) { things { ${THING_FIELDS} } nextCursor } } }`,
          { id, first, ...(after !== undefined && { after }) },
        )
      ).organization.holdings;
    // N3 was sold: decommissioned things are no one's holding; the cheese is still acme's while
    // its handover is pending.
    const acme = await holdings('acme', 20);
    expect(acme.things.map((t) => t.epc)).toEqual([cheeseLot]);
    expect(acme.nextCursor).toBeNull();
    await expectAsChainSays(acme);

    const swift = [pallet, n1, n2].sort();
    const first = await holdings('swift', 2);
    expect(first.things.map((t) => t.epc)).toEqual(swift.slice(0, 2));
    expect(first.nextCursor).toBe(swift[1]);
    const rest = await holdings('swift', 2, first.nextCursor ?? undefined);
    expect(rest.things.map((t) => t.epc)).toEqual(swift.slice(2));
    expect(rest.nextCursor).toBeNull();
    await expectAsChainSays(first);
    await expectAsChainSays(rest);
    expect(
      await errorCode('{ organization(id: "swift") { holdings(first: 101) { nextCursor } } }'),
    ).toBe('BAD_REQUEST');
  });

  it('shows pending transfers in and out: the staff inbox', async () => {
    expect(inboxBeforeAccept).toEqual({
      incoming: [
        { id: hashes.handover, from: 'acme', to: 'swift', epcs: [pallet], status: 'pending' },
      ],
      outgoing: [],
    });
    // Accepted since: gone from both sides.
    expect(await transfers('swift')).toEqual({ incoming: [], outgoing: [] });
    const cheeseTransfer = {
      id: hashes.cheeseHandover,
      from: 'acme',
      to: 'cold',
      epcs: [cheeseLot],
      status: 'pending',
    };
    expect(await transfers('cold')).toEqual({ incoming: [cheeseTransfer], outgoing: [] });
    expect(await transfers('acme')).toEqual({ incoming: [], outgoing: [cheeseTransfer] });
    const { thing: pending } = await query<{ thing: { pendingTransfer: string } }>(
      'query ($epc: String!) { thing(epc: $epc) { pendingTransfer } }',
      { epc: cheeseLot },
    );
    expect(pending.pendingTransfer).toBe(hashes.cheeseHandover);
  });
});

describe('products', () => {
  it('filters by GTIN (any length) with cursor pagination', async () => {
    const all = await products({ gtin: milk });
    expect(all.things.map((t) => t.epc)).toEqual([n1, n2, n3].sort());
    await expectAsChainSays(all);
    const gtin13 = milk.slice(1);
    expect((await products({ gtin: gtin13 })).things).toEqual(all.things);

    const first = await products({ gtin: milk, first: 2 });
    expect(first.things).toEqual(all.things.slice(0, 2));
    expect(first.nextCursor).toBe(all.things[1]?.epc);
    const rest = await products({ gtin: milk, first: 2, after: first.nextCursor });
    expect(rest).toEqual({ things: all.things.slice(2), nextCursor: null });
  });

  it('filters by lot, custodian and derived status', async () => {
    expect((await products({ lot: 'B1' })).things.map((t) => t.epc)).toEqual([n1, n2, n3].sort());
    expect((await products({ lot: 'L42' })).things.map((t) => t.epc)).toEqual([cheeseLot]);
    expect((await products({ custodian: 'swift' })).things.map((t) => t.epc)).toEqual(
      [pallet, n1, n2].sort(),
    );
    // The cheese is in transit and under an open recall: recalled wins.
    const recalled = await products({ status: 'recalled' });
    expect(recalled.things.map((t) => [t.epc, t.status])).toEqual([[cheeseLot, 'recalled']]);
    expect((await products({ status: 'in_transit' })).things).toEqual([]);
    expect((await products({ status: 'decommissioned' })).things.map((t) => t.epc)).toEqual([n3]);
    const active = await products({ status: 'active' });
    expect(active.things.map((t) => t.epc)).toEqual([pallet, n1, n2].sort());
    await expectAsChainSays(recalled);
    await expectAsChainSays(active);
    expect(
      (await products({ gtin: milk, custodian: 'acme', status: 'decommissioned' })).things.map(
        (t) => t.epc,
      ),
    ).toEqual([n3]);
    const everything = await products({ first: 100 });
    expect(everything.things).toHaveLength(5);
    await expectAsChainSays(everything);
  });

  it('refuses a page over 100, an unknown status and an invalid GTIN', async () => {
    expect(await errorCode('{ products(first: 101) { nextCursor } }')).toBe('BAD_REQUEST');
    expect(await errorCode('{ products(first: 0) { nextCursor } }')).toBe('BAD_REQUEST');
    expect(await errorCode('{ products(status: "lost") { nextCursor } }')).toBe('BAD_REQUEST');
    expect(await errorCode('{ products(gtin: "12345") { nextCursor } }')).toBe('INVALID_GS1');
  });

  it('answers a product class by GTIN', async () => {
    const { product } = await query<{ product: Record<string, unknown> }>(
      `query ($gtin: String!) { product(gtin: $gtin) { gtin owner name brand description } }`,
      { gtin: milk.slice(1) },
    );
    expect(product).toEqual({
      gtin: milk,
      owner: 'acme',
      name: 'Whole milk 1 L',
      brand: 'Acme',
      description: 'Fresh',
    });
    expect(
      await query('query ($gtin: String!) { product(gtin: $gtin) { gtin } }', {
        gtin: TEST_GTINS.yoghurt,
      }),
    ).toEqual({ product: null });
  });
});

describe('recalls', () => {
  it('lists recalls by GTIN and open or closed', async () => {
    const { recalls } = await query<{ recalls: Record<string, unknown>[] }>(
      `query ($gtin: String) { recalls(gtin: $gtin) { id gtin lots serials reason issuer open } }`,
      { gtin: cheese },
    );
    expect(recalls).toEqual([
      {
        id: hashes.recall,
        gtin: cheese,
        lots: ['L42'],
        serials: null,
        reason: 'Listeria found',
        issuer: 'acme',
        open: true,
      },
    ]);
    expect((await query<{ recalls: unknown[] }>('{ recalls(open: true) { id } }')).recalls).toEqual(
      [{ id: hashes.recall }],
    );
    expect(await query('{ recalls(open: false) { id } }')).toEqual({ recalls: [] });
    expect(
      await query('query ($gtin: String) { recalls(gtin: $gtin) { id } }', { gtin: milk }),
    ).toEqual({ recalls: [] });
  });
});

describe('search', () => {
  type Hit = { kind: string; id: string; label: string; height: number | null };
  const search = async (q: string) =>
    (
      await query<{ search: Hit[] }>(
        'query ($q: String!) { search(q: $q) { kind id label height } }',
        { q },
      )
    ).search;

  it('finds blocks by height and hash, and transactions by hash', async () => {
    const { block } = await query<{ block: { hash: string } }>('{ block(height: 1) { hash } }');
    expect(await search('1')).toContainEqual(expect.objectContaining({ kind: 'BLOCK', id: '1' }));
    expect(await search(block.hash.toUpperCase())).toEqual([
      expect.objectContaining({ kind: 'BLOCK', id: '1', height: 1 }),
    ]);
    const tx = await node.client.transaction(hashes.accept);
    expect(await search(hashes.accept)).toEqual([
      expect.objectContaining({
        kind: 'TRANSACTION',
        id: hashes.accept,
        height: tx?.height,
        label: `custody.accept in block ${String(tx?.height)}`,
      }),
    ]);
  });

  it('finds things by EPC, by any Digital Link of them and by SSCC', async () => {
    expect(await search(n1)).toEqual([expect.objectContaining({ kind: 'THING', id: n1 })]);
    // A label's spelling: another host, GTIN-13, the lot before the serial, a data attribute.
    const label = `https://example.com/01/${milk.slice(1)}/10/B1/21/N1?17=261231`;
    expect(await search(label)).toEqual([expect.objectContaining({ kind: 'THING', id: n1 })]);
    expect(await search(sscc)).toEqual([expect.objectContaining({ kind: 'THING', id: pallet })]);
    expect(await search(`https://id.gs1.org/01/${milk}/21/NOPE`)).toEqual([]);
  });

  it('finds products by GTIN, lots, locations and organizations', async () => {
    expect(await search(milk.slice(1))).toEqual([
      expect.objectContaining({ kind: 'PRODUCT', id: milk, label: 'Whole milk 1 L' }),
    ]);
    expect(await search('L42')).toEqual([
      expect.objectContaining({ kind: 'LOT', id: cheeseLot, label: 'Gouda · lot L42' }),
    ]);
    expect(await search('rotterdam')).toEqual([
      expect.objectContaining({ kind: 'ORGANIZATION', id: 'cold', label: PARTICIPANTS.cold.name }),
    ]);
    expect(await search(PARTICIPANTS.acme.gln)).toContainEqual(
      expect.objectContaining({ kind: 'ORGANIZATION', id: 'acme' }),
    );
    expect(await search('  ')).toEqual([]);
    expect(await search('nothing-like-this')).toEqual([]);
  });

  it('refuses an overlong query', async () => {
    expect(
      await errorCode('query ($q: String!) { search(q: $q) { id } }', { q: 'x'.repeat(501) }),
    ).toBe('BAD_REQUEST');
  });
});

describe('bundle', () => {
  it('serves a bundle that verifies back to the genesis the chain reports', async () => {
    const { genesisHash } = await node.client.chain();
    const { bundle } = await query<{ bundle: unknown }>(
      'query ($epc: String!) { bundle(epc: $epc) }',
      { epc: n1 },
    );
    const result = await verifyBundle(bundle, {
      expectedGenesisHash: genesisHash,
      expectedSubject: n1,
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.thing).toMatchObject({ epc: n1, custodian: 'swift', parent: pallet });
    expect(result.journey.map((s) => s.type)).toEqual([
      'product.commission',
      'aggregate.pack',
      'custody.handover',
      'custody.accept',
    ]);
    expect(result.journey[0]?.hash).toBe(hashes.commission);
    expect(result.product).toMatchObject({ gtin: milk, name: 'Whole milk 1 L' });
    expect(result.organizations.map((o) => o.id)).toEqual(['acme', 'swift']);
  });

  it('proves a recalled lot and accepts a Digital Link for the subject', async () => {
    const { genesisHash } = await node.client.chain();
    const { bundle } = await query<{ bundle: unknown }>(
      'query ($epc: String!) { bundle(epc: $epc) }',
      { epc: `https://example.com/01/${cheese.slice(1)}/10/L42` },
    );
    const result = await verifyBundle(bundle, {
      expectedGenesisHash: genesisHash,
      expectedSubject: cheeseLot,
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.recalls).toEqual([
      expect.objectContaining({ hash: hashes.recall, open: true, lots: ['L42'] }),
    ]);
  });

  it('answers null for an unknown thing and INVALID_GS1 for a bad EPC', async () => {
    expect(
      await query('query ($epc: String!) { bundle(epc: $epc) }', { epc: itemEpc(milk, 'NOPE') }),
    ).toEqual({ bundle: null });
    expect(await errorCode('{ bundle(epc: "not an epc") }')).toBe('INVALID_GS1');
    expect(
      await errorCode('query ($epc: String!) { bundle(epc: $epc) }', { epc: `/01/${milk}` }),
    ).toBe('BAD_REQUEST');
  });
});

describe('storage', () => {
  // Last in this file: it reads the statements every query above made the node run.
  it('reads records by field only through an index, using each partial index', async () => {
    const statements = [
      ...new Set(
        readFileSync(join(chain.dataDir, 'sql.trace'), 'utf8')
          .split('\n')
          .filter((sql) => /^SELECT\b/i.test(sql) && /\bstate_records\b/.test(sql)),
      ),
    ];
    expect(statements.length).toBeGreaterThan(10);
    const db = new sqlite3.Database(join(chain.dataDir, 'waybill.sqlite'), sqlite3.OPEN_READONLY);
    const plan = (sql: string) =>
      new Promise<string[]>((resolve, reject) => {
        db.all(`EXPLAIN QUERY PLAN ${sql}`, (error, rows: { detail: string }[]) => {
          if (error) reject(error);
          else resolve(rows.map((r) => r.detail));
        });
      });
    const used = new Set<string>();
    try {
      for (const sql of statements) {
        const details = await plan(sql);
        // A SCAN of state_records reads every record of every kind: never acceptable.
        const scans = details.filter((d) => /^SCAN (state_records|t|r)\b/.test(d));
        expect(scans, `${sql}\n${details.join('\n')}`).toEqual([]);
        for (const d of details) used.add(/USING (?:COVERING )?INDEX (\w+)/.exec(d)?.[1] ?? '');
      }
    } finally {
      db.close();
    }
    // Inbox and outbox, holdings, products by GTIN and lot, recalls, members and locations.
    const expected = PARTIAL_INDEXES.map(([name]) => name);
    expect([...used].filter((n) => n.startsWith('IDX_')).sort()).toEqual(
      expect.arrayContaining(expected),
    );
  });
});
