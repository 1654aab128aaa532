/**
 * The authority set as the operators' page reads it, on a real network of two authorities in two
 * processes: an open proposal with its voters and the majority it needs, the change once it
 * passes, the history newest first, and which authorities certified a block before and after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToBytes } from '@waybill/shared/encoding';
import { createTx } from '@waybill/shared/tx';
import { cleanUp } from './harness.js';
import { startTestNetwork, type TestNetwork, type TestNode } from './network-harness.js';

let net: TestNetwork;
let first: TestNode;
let second: TestNode;

afterAll(cleanUp);

beforeAll(async () => {
  net = await startTestNetwork({ authorities: 2, observers: 0, chainId: 'waybill-authorities' });
  [first, second] = net.authorities as [TestNode, TestNode];
  await net.waitForHeight(2);
}, 120_000);

function query<T>(node: TestNode, text: string, variables: Record<string, unknown> = {}) {
  return node.client.request<T>(text, variables);
}

/** `authority` votes to remove `second`; resolves with the height that took the vote. */
async function voteRemoveSecond(voter: TestNode): Promise<number> {
  const vote = createTx({
    chainId: net.chainId,
    type: 'authority.vote',
    payload: { action: 'remove', authority: second.publicKey as string },
    secretKey: hexToBytes(
      readFileSync(join(voter.dataDir, 'authority.key'), 'utf8').trim(),
      32,
      'authority key',
    ),
  });
  const result = await voter.client.submit(vote, { waitFinal: true });
  expect(result.status).toBe('FINAL');
  // The voter reported it final; the other node, which the tests then ask, may be a block behind.
  await net.waitForHeight(result.height as number);
  return result.height as number;
}

interface Signer {
  publicKey: string;
  signed: boolean;
}

async function signersAt(node: TestNode, height: number): Promise<Signer[]> {
  const { block } = await query<{ block: { signers: Signer[] } }>(
    node,
    'query ($h: Int!) { block(height: $h) { signers { publicKey signed } } }',
    { h: height },
  );
  return block.signers;
}

const byKey = (keys: string[]) => [...keys].sort();

describe('a vote to remove an authority', () => {
  let decidedAt = 0;
  const keys = () => byKey([first.publicKey as string, second.publicKey as string]);

  it('is open with one voter of the two it needs', async () => {
    await voteRemoveSecond(first);
    for (const node of [first, second]) {
      await expect
        .poll(
          async () =>
            (
              await query<{ pendingAuthorityVotes: unknown[] }>(
                node,
                '{ pendingAuthorityVotes { action authority name voters votes needed } }',
              )
            ).pendingAuthorityVotes,
          { timeout: 10_000 },
        )
        .toEqual([
          {
            action: 'remove',
            authority: second.publicKey,
            name: null,
            voters: [first.publicKey],
            votes: 1,
            needed: 2,
          },
        ]);
    }
  });

  it('passes with the second vote: no longer open, and in the history', async () => {
    decidedAt = await voteRemoveSecond(second);
    const data = await query<{
      pendingAuthorityVotes: unknown[];
      authorityChanges: { changes: Record<string, unknown>[]; nextCursor: string | null };
    }>(
      first,
      '{ pendingAuthorityVotes { authority } authorityChanges { nextCursor changes { height action authority txHash } } }',
    );
    expect(data.pendingAuthorityVotes).toEqual([]);
    expect(data.authorityChanges.nextCursor).toBeNull();
    const [latest, ...genesis] = data.authorityChanges.changes;
    expect(latest).toMatchObject({
      height: decidedAt + 1,
      action: 'remove',
      authority: second.publicKey,
    });
    expect(latest?.txHash).toMatch(/^[0-9a-f]{64}$/);
    // Genesis, newest first: the set is listed in key order, so in reverse here.
    expect(genesis).toEqual(
      keys()
        .reverse()
        .map((authority) => ({ height: 0, action: 'add', authority, txHash: null })),
    );
  });

  it('pages the history newest first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: {
        authorityChanges: {
          changes: { action: string; authority: string }[];
          nextCursor: string | null;
        };
      } = await query(
        first,
        'query ($after: String) { authorityChanges(first: 1, after: $after) { nextCursor changes { action authority } } }',
        { after },
      );
      expect(page.authorityChanges.changes).toHaveLength(1);
      seen.push(page.authorityChanges.changes.map((c) => `${c.action} ${c.authority}`).join());
      after = page.authorityChanges.nextCursor;
    } while (after !== null);
    expect(seen).toEqual([
      `remove ${String(second.publicKey)}`,
      ...keys()
        .reverse()
        .map((k) => `add ${k}`),
    ]);
  });

  it('changes who certifies blocks: both before, the remaining one after', async () => {
    expect(await signersAt(first, decidedAt)).toEqual(
      keys().map((publicKey) => ({ publicKey, signed: true })),
    );
    await net.waitForHeight(decidedAt + 2, [first]);
    expect(await signersAt(first, decidedAt + 2)).toEqual([
      { publicKey: first.publicKey, signed: true },
    ]);
    const { chain } = await query<{
      chain: { height: number; authorities: { publicKey: string; lastSignedHeight: number }[] };
    }>(first, '{ chain { height authorities { publicKey lastSignedHeight } } }');
    expect(chain.authorities.map((a) => a.publicKey)).toEqual([first.publicKey]);
    expect(chain.authorities[0]?.lastSignedHeight).toBeGreaterThanOrEqual(decidedAt + 2);
  });
});
