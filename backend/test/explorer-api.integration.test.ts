/**
 * What the explorer reads beyond the registry queries, against one real node: CORS, the
 * organization list, locations, an organization's activity, per-minute activity, block signers
 * and when each authority last signed. The node is then restarted as an observer (it makes no
 * more blocks), so counts can be compared with the frozen chain exactly, also after the activity
 * migration has been re-run on its database as on a node upgraded from an older version.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaybillClientError } from '@waybill/shared/client';
import { TEST_GTINS, participantKeys, withCheckDigit } from '@waybill/shared/testing';
import type { SignedTx } from '@waybill/shared/tx';
import { ConfigError, describeSettings, loadNodeConfig } from '../src/config/node-config.js';
import {
  MAIN,
  TEST_NODE_ENV,
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  submitFinal,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

const { admin, staff } = participantKeys();
const depot = withCheckDigit('950600000011');
const dock = withCheckDigit('950600000012');

let chain: SoloChain;
let node: NodeProcess;

function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  return node.client.request<T>(text, variables);
}

async function errorCode(text: string, variables: Record<string, unknown> = {}): Promise<string> {
  const error = await query(text, variables).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaybillClientError);
  return (error as WaybillClientError).code;
}

const final = (tx: SignedTx) => submitFinal(node, tx);

beforeAll(async () => {
  chain = soloChain('waybill-explorer');
  node = await startNode(chain.dataDir);
  await registerParticipantsOverApi(node, chain);
  await final(
    chain.sign(
      'location.define',
      {
        gln: dock,
        name: 'Dock 2',
        address: { city: 'Rotterdam', country: 'NL' },
      },
      admin.acme,
    ),
  );
  await final(
    chain.sign(
      'location.define',
      {
        gln: depot,
        name: 'Acme depot',
        address: {
          street: 'Melkweg 1',
          city: 'Gouda',
          postalCode: '2801 AA',
          region: 'Zuid-Holland',
          country: 'NL',
        },
        coordinates: { latitude: '52.0115', longitude: '4.7104' },
      },
      admin.acme,
    ),
  );
  await final(chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, staff.acme));
  await final(
    chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Whole milk' }, staff.acme),
  );
}, 120_000);

afterAll(cleanUp);

interface Cors {
  status: number;
  allowOrigin: string | null;
}

async function preflight(url: string, origin: string): Promise<Cors> {
  const response = await fetch(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}

async function corsPost(url: string, origin: string): Promise<Cors> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ chain { height } }' }),
  });
  expect(response.status).toBe(200);
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}

describe('CORS', () => {
  it('allows any origin by default, preflight and request alike', async () => {
    const pre = await preflight(node.url, 'https://explorer.example.org');
    expect(pre.status).toBe(204);
    expect(pre.allowOrigin).toBe('*');
    expect((await corsPost(node.url, 'http://localhost:3000')).allowOrigin).toBe('*');
  });

  it('allows only the configured origins, normalized as browsers send them', async () => {
    const other = await startNode(soloChain('waybill-cors').dataDir, {
      WAYBILL_CORS_ORIGINS: 'https://Explorer.example.org:443/, http://localhost:3000',
    });
    for (const origin of ['https://explorer.example.org', 'http://localhost:3000']) {
      expect(await preflight(other.url, origin)).toEqual({ status: 204, allowOrigin: origin });
      expect((await corsPost(other.url, origin)).allowOrigin).toBe(origin);
    }
    for (const origin of ['https://evil.example', 'http://localhost:3001']) {
      expect((await preflight(other.url, origin)).allowOrigin).toBeNull();
      expect((await corsPost(other.url, origin)).allowOrigin).toBeNull();
    }
    await other.kill();
  });

  it('refuses a setting that is not a list of origins, naming each bad entry', async () => {
    expect(describeSettings()).toContain('WAYBILL_CORS_ORIGINS');
    const base = { WAYBILL_DATA_DIR: '/tmp/waybill-node' };
    expect(loadNodeConfig(base).corsOrigins).toBe('*');
    let problems: string[] = [];
    try {
      loadNodeConfig({
        ...base,
        WAYBILL_CORS_ORIGINS: 'https://ok.example,https://x.example/app,ftp://files.example,*',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /WAYBILL_CORS_ORIGINS: "https:\/\/x.example\/app" is not an origin/,
    );
    expect(problems[1]).toMatch(/"ftp:\/\/files.example" is not an origin/);
    expect(problems[2]).toMatch(/\* stands alone/);

    // The node says so at start and exits.
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        ...TEST_NODE_ENV,
        WAYBILL_DATA_DIR: chain.dataDir,
        WAYBILL_CORS_ORIGINS: 'explorer.example.org',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/WAYBILL_CORS_ORIGINS: "explorer.example.org" is not an origin/);
  });
});

describe('organizations', () => {
  it('lists every organization in id order, paged', async () => {
    const page = (after?: string) =>
      query<{ organizations: { organizations: { id: string }[]; nextCursor: string | null } }>(
        'query ($after: String) { organizations(first: 2, after: $after) { organizations { id } nextCursor } }',
        { after },
      ).then((r) => r.organizations);
    const first = await page();
    expect(first).toEqual({ organizations: [{ id: 'acme' }, { id: 'cold' }], nextCursor: 'cold' });
    const second = await page('cold');
    expect(second).toEqual({ organizations: [{ id: 'fda' }, { id: 'shop' }], nextCursor: 'shop' });
    expect(await page('shop')).toEqual({ organizations: [{ id: 'swift' }], nextCursor: null });
    const all = await query<{ organizations: { organizations: { name: string }[] } }>(
      '{ organizations { organizations { name } } }',
    );
    expect(all.organizations.organizations).toHaveLength(5);
    expect(await errorCode('{ organizations(first: 101) { nextCursor } }')).toBe('BAD_REQUEST');
  });
});

describe('members', () => {
  it('answers a key with the organization it signs for; unknown is null, malformed is BAD_REQUEST', async () => {
    const { member } = await query<{ member: Record<string, unknown> }>(
      'query ($key: String!) { member(publicKey: $key) { publicKey orgId role active } }',
      { key: staff.swift.publicKey },
    );
    expect(member).toEqual({
      publicKey: staff.swift.publicKey,
      orgId: 'swift',
      role: 'staff',
      active: true,
    });
    const unknown = await query<{ member: null }>(
      `{ member(publicKey: "${'0'.repeat(64)}") { orgId } }`,
    );
    expect(unknown.member).toBeNull();
    expect(await errorCode('{ member(publicKey: "xyz") { orgId } }')).toBe('BAD_REQUEST');
  });
});

describe('locations', () => {
  const FIELDS =
    'gln name owner definedAt address { street city postalCode region country } coordinates { latitude longitude }';

  it('answers a location by GLN with its address and coordinates', async () => {
    const { location } = await query<{ location: Record<string, unknown> }>(
      `query ($gln: String!) { location(gln: $gln) { ${FIELDS} } }`,
      { gln: depot },
    );
    expect(location).toMatchObject({
      gln: depot,
      name: 'Acme depot',
      owner: 'acme',
      address: {
        street: 'Melkweg 1',
        city: 'Gouda',
        postalCode: '2801 AA',
        region: 'Zuid-Holland',
        country: 'NL',
      },
      coordinates: { latitude: '52.0115', longitude: '4.7104' },
    });
    expect(location.definedAt).toBeGreaterThan(0);
  });

  it("lists an organization's locations in GLN order; unknown is null, invalid is INVALID_GS1", async () => {
    const { organization } = await query<{
      organization: { locations: { gln: string; coordinates: unknown; address: unknown }[] };
    }>(`{ organization(id: "acme") { locations { ${FIELDS} } } }`);
    expect(organization.locations.map((l) => l.gln)).toEqual([depot, dock]);
    expect(organization.locations[1]).toMatchObject({
      coordinates: null,
      address: { street: null, city: 'Rotterdam', postalCode: null, region: null, country: 'NL' },
    });
    const none = await query<{ organization: { locations: unknown[] } }>(
      '{ organization(id: "swift") { locations { gln } } }',
    );
    expect(none.organization.locations).toEqual([]);
    const unknown = await query<{ location: unknown }>(
      `{ location(gln: "${withCheckDigit('950600000099')}") { gln } }`,
    );
    expect(unknown.location).toBeNull();
    expect(await errorCode('{ location(gln: "1234567890123") { gln } }')).toBe('INVALID_GS1');
  });
});

interface Listed {
  hash: string;
  signer: string;
  height: number;
  position: number;
}

/** Every transaction on the chain, in chain order, from the blocks themselves. */
async function chainTxs(): Promise<Listed[]> {
  const txs: Listed[] = [];
  let before: number | null | undefined;
  do {
    const { blocks } = await query<{
      blocks: { blocks: { transactions: Listed[] }[]; nextCursor: number | null };
    }>(
      'query ($before: Int) { blocks(limit: 100, before: $before) { nextCursor blocks { transactions { hash signer height position } } } }',
      { before },
    );
    for (const block of blocks.blocks) txs.unshift(...block.transactions);
    before = blocks.nextCursor;
  } while (before !== null);
  return txs;
}

/** An org's activity, page by page (`first` each). */
async function activityOf(orgId: string, first: number): Promise<Listed[]> {
  const txs: Listed[] = [];
  let after: string | null | undefined;
  do {
    const { organization } = await query<{
      organization: { activity: { transactions: Listed[]; nextCursor: string | null } };
    }>(
      'query ($id: String!, $first: Int!, $after: String) { organization(id: $id) { activity(first: $first, after: $after) { nextCursor transactions { hash signer height position } } } }',
      { id: orgId, first, after },
    );
    txs.push(...organization.activity.transactions);
    after = organization.activity.nextCursor;
  } while (after !== null);
  return txs;
}

async function expectActivityAsChainSays(): Promise<void> {
  const all = await chainTxs();
  const acmeKeys = [admin.acme.publicKey, staff.acme.publicKey];
  const expected = all.filter((tx) => acmeKeys.includes(tx.signer)).reverse();
  // member.add, two location.define and two product.define.
  expect(expected).toHaveLength(5);
  expect(await activityOf('acme', 2)).toEqual(expected);
  expect(await activityOf('acme', 20)).toEqual(expected);
  const swift = all.filter((tx) => tx.signer === admin.swift.publicKey).reverse();
  expect(await activityOf('swift', 20)).toEqual(swift);
}

describe('organization activity', () => {
  it("lists the final transactions of an org's keys, newest first, paged", async () => {
    await expectActivityAsChainSays();
    const { organization } = await query<{
      organization: {
        activity: { transactions: { status: string; type: string; proof: unknown }[] };
      };
    }>(
      '{ organization(id: "acme") { activity(first: 1) { transactions { status type proof } } } }',
    );
    expect(organization.activity.transactions[0]).toMatchObject({
      status: 'FINAL',
      type: 'product.define',
    });
    expect(organization.activity.transactions[0]?.proof).toBeTruthy();
    expect(
      await errorCode('{ organization(id: "acme") { activity(after: "x") { nextCursor } } }'),
    ).toBe('BAD_REQUEST');
  });
});

interface Signer {
  publicKey: string;
  name: string | null;
  signed: boolean;
}

describe('latest transactions of the chain', () => {
  it('lists every final transaction newest first, the same pages at any size', async () => {
    const expected = (await chainTxs()).reverse();
    const pages = async (first: number) => {
      const txs: Listed[] = [];
      let after: string | null | undefined;
      do {
        const { transactions } = await query<{
          transactions: { transactions: Listed[]; nextCursor: string | null };
        }>(
          'query ($first: Int!, $after: String) { transactions(first: $first, after: $after) { nextCursor transactions { hash signer height position } } }',
          { first, after },
        );
        txs.push(...transactions.transactions);
        after = transactions.nextCursor;
      } while (after !== null);
      return txs;
    };
    expect(expected.length).toBeGreaterThan(10);
    expect(await pages(7)).toEqual(expected);
    expect(await pages(100)).toEqual(expected);
    expect(await errorCode('{ transactions(after: "1:x") { nextCursor } }')).toBe('BAD_REQUEST');
  });
});

describe('block signers and the last signature of each authority', () => {
  it("lists the block's validators and whether each signed; none for genesis", async () => {
    const { block, genesis } = await query<{
      block: { signers: Signer[]; commit: { signatures: { validator: string }[] } };
      genesis: { signers: Signer[] };
    }>(
      '{ block(height: 2) { signers { publicKey name signed } commit } genesis: block(height: 0) { signers { publicKey } } }',
    );
    expect(block.signers).toEqual([
      { publicKey: chain.authority.publicKey, name: 'Solo authority', signed: true },
    ]);
    expect(block.commit.signatures.map((s) => s.validator)).toEqual([chain.authority.publicKey]);
    expect(genesis.signers).toEqual([]);
  });

  it('knows the latest block the authority signed, and its time', async () => {
    const { chain: info } = await query<{
      chain: { height: number; authorities: { lastSignedHeight: number; lastSignedAt: string }[] };
    }>('{ chain { height authorities { lastSignedHeight lastSignedAt } } }');
    const [solo] = info.authorities;
    expect(solo?.lastSignedHeight).toBeGreaterThanOrEqual(info.height);
    const { block } = await query<{ block: { timestamp: string } }>(
      'query ($h: Int!) { block(height: $h) { timestamp } }',
      { h: solo?.lastSignedHeight },
    );
    expect(solo?.lastSignedAt).toBe(block.timestamp);
  });
});

describe('a solo chain', () => {
  it('has no open votes, and its history is the genesis authority', async () => {
    const data = await query<{
      pendingAuthorityVotes: unknown[];
      authorityChanges: { changes: unknown[]; nextCursor: string | null };
    }>(
      '{ pendingAuthorityVotes { authority } authorityChanges { nextCursor changes { height action authority name txHash } } }',
    );
    expect(data.pendingAuthorityVotes).toEqual([]);
    expect(data.authorityChanges).toEqual({
      nextCursor: null,
      changes: [
        {
          height: 0,
          action: 'add',
          authority: chain.authority.publicKey,
          name: 'Solo authority',
          txHash: null,
        },
      ],
    });
  });
});

interface Bucket {
  start: string;
  blocks: number;
  transactions: number;
}

async function activity(minutes: number): Promise<Bucket[]> {
  return (
    await query<{ activity: Bucket[] }>(
      'query ($m: Int!) { activity(minutes: $m) { start blocks transactions } }',
      { m: minutes },
    )
  ).activity;
}

/** Runs SQL on a stopped node's database. */
async function sql(dataDir: string, statements: string[]): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle = new sqlite3.Database(join(dataDir, 'waybill.sqlite'), (error) =>
      error ? reject(error) : resolve(handle),
    );
  });
  for (const statement of statements)
    await new Promise<void>((resolve, reject) =>
      db.run(statement, (error) => (error ? reject(error) : resolve())),
    );
  await new Promise<void>((resolve, reject) =>
    db.close((error) => (error ? reject(error) : resolve())),
  );
}

describe('the same chain, frozen: restarted as an observer on a database from before the activity migration', () => {
  let head = 0;

  beforeAll(async () => {
    await node.kill();
    // Undo ActivityIndexes1764300000000, as a database written by an older node would be.
    await sql(chain.dataDir, [
      'DROP INDEX "IDX_transactions_org"',
      'ALTER TABLE "transactions" DROP COLUMN "org"',
      'DROP INDEX "IDX_blocks_timestamp"',
      `DELETE FROM "migrations" WHERE "name" = 'ActivityIndexes1764300000000'`,
    ]);
    node = await startNode(chain.dataDir, {
      WAYBILL_AUTHORITY_KEY: join(chain.dataDir, 'no-such.key'),
    });
    head = (await node.client.chain()).height;
  }, 60_000);

  it('fills the organization of every stored transaction when migrating', async () => {
    await expectActivityAsChainSays();
  });

  it('remembers the last signature from the stored certificates', async () => {
    const { chain: info } = await query<{
      chain: { height: number; authorities: { lastSignedHeight: number }[] };
    }>('{ chain { height authorities { lastSignedHeight } } }');
    expect(info.height).toBe(head);
    expect(info.authorities[0]?.lastSignedHeight).toBe(head);
  });

  it('counts blocks and transactions per minute, as the blocks say', async () => {
    const buckets = await activity(60);
    expect(buckets).toHaveLength(60);
    const now = Date.now();
    const last = buckets[59] as Bucket;
    expect(Date.parse(last.start)).toBeLessThanOrEqual(now);
    expect(Date.parse(last.start)).toBeGreaterThan(now - 120_000);
    for (const [i, bucket] of buckets.entries()) {
      expect(bucket.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      if (i > 0) expect(Date.parse(bucket.start) - Date.parse(buckets[i - 1]!.start)).toBe(60_000);
    }
    // Every block of this chain was made in the last hour: the buckets hold them all.
    const txs = await chainTxs();
    expect(buckets.reduce((n, b) => n + b.blocks, 0)).toBe(head);
    expect(buckets.reduce((n, b) => n + b.transactions, 0)).toBe(txs.length);
    const minute = () => new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const before = minute();
    const recent = await activity(1);
    expect(recent).toHaveLength(1);
    expect([before, minute()]).toContain(recent[0]?.start);
    expect(await errorCode('{ activity(minutes: 0) { start } }')).toBe('BAD_REQUEST');
    expect(await errorCode('{ activity(minutes: 1441) { start } }')).toBe('BAD_REQUEST');
  });
});
