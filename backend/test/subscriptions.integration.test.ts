import { createClient, type Client } from 'graphql-ws';
import type { FormattedExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { itemEpc } from '@waybill/shared/gs1';
import { PARTICIPANTS, TEST_GTINS, testKey, type ParticipantId } from '@waybill/shared/testing';
import { txHash, type SignedTx } from '@waybill/shared/tx';
import { cleanUp, soloChain, startNode, type NodeProcess, type SoloChain } from './harness.js';

const WAIT_MS = 10_000;
const milk = TEST_GTINS.milk;
const item = itemEpc(milk, 'SUB-1');
const now = () => new Date().toISOString();
const admin = (id: ParticipantId) => testKey(`${id}-admin`);
const staff = (id: ParticipantId) => testKey(`${id}-staff`);

// What WaybillClient.transaction selects, so the pushed model can be compared with the query's.
const TX_FIELDS = 'hash status code message path type signer tx height blockHash position proof';

let chain: SoloChain;
let node: NodeProcess;
let client: Client;

type Stream<T> = AsyncIterableIterator<FormattedExecutionResult<T, unknown>>;

function subscribe<T>(query: string, variables: Record<string, unknown> = {}): Stream<T> {
  return client.iterate<T>({ query, variables });
}

/** `promise`, or a failure naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no ${what} within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The next result of a subscription (its data; errors fail the test). */
async function next<T>(stream: Stream<T>, what: string): Promise<T> {
  const result = await within(stream.next(), what);
  if (result.done === true) throw new Error(`the ${what} subscription ended early`);
  expect(result.value.errors).toBeUndefined();
  return result.value.data as T;
}

/** True when the subscription completes (the server sent `complete`). */
async function ended<T>(stream: Stream<T>, what: string): Promise<boolean> {
  return (await within(stream.next(), `end of ${what}`)).done === true;
}

async function final(tx: SignedTx): Promise<string> {
  const result = await node.client.submit(tx, { waitFinal: true });
  if (result.status !== 'FINAL')
    throw new Error(
      `${tx.type} ended ${result.status}: ${result.code ?? ''} ${result.message ?? ''}`,
    );
  return result.hash as string;
}

function register(id: ParticipantId): SignedTx {
  const { name, roles, gln } = PARTICIPANTS[id];
  return chain.sign(
    'org.register',
    { orgId: id, name, roles: [...roles], gln, admin: admin(id).publicKey },
    chain.authority,
  );
}

beforeAll(async () => {
  chain = soloChain('waybill-subs');
  node = await startNode(chain.dataDir);
  client = createClient({
    url: `${node.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
});

afterAll(async () => {
  await client.dispose();
  await cleanUp();
});

describe('GraphQL subscriptions over graphql-ws', () => {
  it('pushes each finalized block', async () => {
    const blocks = subscribe<{
      blockFinalized: { height: number; hash: string; proposer: string; txCount: number };
    }>('subscription { blockFinalized { height hash proposer txCount commit header } }');
    try {
      const first = (await next(blocks, 'blockFinalized')).blockFinalized;
      const second = (await next(blocks, 'second blockFinalized')).blockFinalized;
      expect(first).toMatchObject({ proposer: chain.authority.publicKey, txCount: 0 });
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(second.height).toBe(first.height + 1);
      const stored = await node.client.request<{ block: { hash: string } }>(
        'query ($height: Int) { block(height: $height) { hash } }',
        { height: first.height },
      );
      expect(stored.block.hash).toBe(first.hash);
    } finally {
      await blocks.return?.();
    }
  });

  it('pushes a transaction when it becomes FINAL, and at once when it already is', async () => {
    const tx = register('acme');
    const hash = txHash(tx);
    const query = `subscription ($hash: String!) { transactionStatus(hash: $hash) { ${TX_FIELDS} } }`;
    type Data = { transactionStatus: Record<string, unknown> };
    // Subscribed before it is submitted: the hash is not known to the node yet.
    const live = subscribe<Data>(query, { hash });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await node.client.submit(tx);
      const pushed = (await next(live, 'transactionStatus FINAL')).transactionStatus;
      expect(pushed).toMatchObject({ hash, status: 'FINAL', type: 'org.register' });
      expect(pushed.height).toEqual(expect.any(Number));
      expect(pushed.blockHash).toMatch(/^[0-9a-f]{64}$/);
      // The same answer the query gives, proof included.
      const stored = await node.client.transaction(hash);
      expect(stored).toEqual(pushed);
      expect(await ended(live, 'transactionStatus')).toBe(true);
    } finally {
      await live.return?.();
    }

    const settled = subscribe<Data>(query, { hash });
    try {
      expect((await next(settled, 'settled transactionStatus')).transactionStatus).toMatchObject({
        hash,
        status: 'FINAL',
      });
      expect(await ended(settled, 'settled transactionStatus')).toBe(true);
    } finally {
      await settled.return?.();
    }
  });

  it('pushes every new final event of an item: commission, handover, accept', async () => {
    type Data = { itemEvents: { hash: string; status: string; type: string; height: number } };
    // Subscribed before the organizations exist: those blocks take far longer than setting it up.
    const events = subscribe<Data>(
      `subscription ($epc: String!) { itemEvents(epc: $epc) { ${TX_FIELDS} } }`,
      { epc: item },
    );
    try {
      await final(register('swift'));
      for (const id of ['acme', 'swift'] as const)
        await final(
          chain.sign(
            'member.add',
            { orgId: id, publicKey: staff(id).publicKey, role: 'staff' },
            admin(id),
          ),
        );
      await final(
        chain.sign('product.define', { gtin: milk, name: 'Whole milk 1 L' }, staff('acme')),
      );
      const commission = await final(
        chain.sign(
          'product.commission',
          { gtin: milk, serials: ['SUB-1'], eventTime: now() },
          staff('acme'),
        ),
      );
      const handover = await final(
        chain.sign(
          'custody.handover',
          { epcs: [item], to: 'swift', eventTime: now() },
          staff('acme'),
        ),
      );
      const accept = await final(
        chain.sign('custody.accept', { transfer: handover, eventTime: now() }, staff('swift')),
      );

      const pushed = [];
      for (const what of ['commission', 'handover', 'accept'])
        pushed.push((await next(events, `itemEvents ${what}`)).itemEvents);
      expect(pushed.map((e) => [e.hash, e.type, e.status])).toEqual([
        [commission, 'product.commission', 'FINAL'],
        [handover, 'custody.handover', 'FINAL'],
        [accept, 'custody.accept', 'FINAL'],
      ]);
      // Exactly the events the thing query lists.
      const { thing } = await node.client.request<{ thing: { events: { hash: string }[] } }>(
        'query ($epc: String!) { thing(epc: $epc) { events { hash } } }',
        { epc: item },
      );
      expect(thing.events.map((e) => e.hash)).toEqual([commission, handover, accept]);
    } finally {
      await events.return?.();
    }
  });

  it('pushes REJECTED with the reason when block building refuses a transaction', async () => {
    // acme no longer holds the item: refused at block building, not at admission.
    const tx = chain.sign(
      'custody.handover',
      { epcs: [item], to: 'swift', eventTime: now() },
      staff('acme'),
    );
    const hash = txHash(tx);
    const status = subscribe<{ transactionStatus: Record<string, unknown> }>(
      `subscription ($hash: String!) { transactionStatus(hash: $hash) { ${TX_FIELDS} } }`,
      { hash },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await node.client.submit(tx)).status).toBe('PENDING');
      expect((await next(status, 'transactionStatus REJECTED')).transactionStatus).toMatchObject({
        hash,
        status: 'REJECTED',
        code: 'NOT_CUSTODIAN',
        path: '$.payload.epcs[0]',
      });
      // Recorded by its block: final at a height, like an applied transaction.
      expect((await node.client.transaction(hash))?.height).toEqual(expect.any(Number));
      expect(await ended(status, 'transactionStatus')).toBe(true);
    } finally {
      await status.return?.();
    }
  });

  it('refuses a malformed hash or a non-canonical EPC with a coded error', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'subscription ($hash: String!) { transactionStatus(hash: $hash) { hash } }',
        { hash: 'XYZ' },
        'BAD_REQUEST',
      ],
      [
        'subscription ($epc: String!) { itemEvents(epc: $epc) { hash } }',
        { epc: `${item}/` },
        'INVALID_GS1',
      ],
    ];
    for (const [query, variables, code] of cases) {
      const stream = subscribe(query, variables);
      try {
        const result = await within(stream.next(), `error ${code}`);
        if (result.done === true) throw new Error(`the subscription ended without ${code}`);
        expect(result.value.errors?.[0]?.extensions?.code).toBe(code);
      } finally {
        await stream.return?.();
      }
    }
  });
});
