/**
 * A real network: 4 authorities and an observer, each its own `node dist/main.js` process, talking
 * libp2p over 127.0.0.1. The tests run in order on one network, each leaving it running and whole
 * for the next; every process is killed in afterAll, also when a test fails.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToBytes } from '@waybill/shared/encoding';
import { publicKeyOf } from '@waybill/shared/crypto';
import { generateKeyPair } from '@waybill/shared/keys';
import {
  participantKeys,
  participantTransactions,
  TEST_GTINS,
  type TestKey,
} from '@waybill/shared/testing';
import { createTx, txHash, type PayloadOf, type SignedTx, type TxType } from '@waybill/shared/tx';
import { bytesToHex } from '@waybill/shared/encoding';
import { signVote } from '@waybill/shared/block';
import { itemEpc } from '@waybill/shared/gs1';
import { P2P_DEFAULTS } from '../src/p2p/p2p.options.js';
import { P2pService } from '../src/p2p/p2p.service.js';
import type { BlockSource } from '../src/p2p/interface.js';
import { cleanUp, MAIN, tempDataDir } from './harness.js';
import { startTestNetwork, type TestNetwork, type TestNode } from './network-harness.js';

const CLI = join(MAIN, '..', 'cli', 'main.js');
let net: TestNetwork;
/** Set once the network is up: what afterAll stops, also when beforeAll failed half-way. */
let started: TestNetwork | undefined;
let authority: TestKey;
let sign: <T extends TxType>(type: T, payload: PayloadOf<T>, key: TestKey) => SignedTx;

interface BlockDigest {
  height: number;
  hash: string;
  stateRoot: string;
}

async function height(node: TestNode): Promise<number> {
  const data = await node.client.request<{ chain: { height: number } }>('{ chain { height } }');
  return data.chain.height;
}

/** Every block's hash and state root from `from` up to `to`, as one node stores them. */
async function digests(node: TestNode, from: number, to: number): Promise<BlockDigest[]> {
  const out: BlockDigest[] = [];
  let before = to + 1;
  while (before > from) {
    const data = await node.client.request<{
      blocks: { blocks: BlockDigest[]; nextCursor: number | null };
    }>(
      'query($before: Int) { blocks(before: $before, limit: 100) { blocks { height hash stateRoot } nextCursor } }',
      {
        before,
      },
    );
    out.push(...data.blocks.blocks.filter((b) => b.height >= from));
    if (data.blocks.nextCursor === null) break;
    before = data.blocks.nextCursor;
  }
  return out.sort((a, b) => a.height - b.height);
}

/** All nodes given hold the same blocks and state roots up to the lowest head among them. */
async function expectSameChain(nodes: readonly TestNode[], from = 1): Promise<number> {
  const heights = await Promise.all(nodes.map(height));
  const upTo = Math.min(...heights);
  const chains = await Promise.all(nodes.map((n) => digests(n, from, upTo)));
  const reference = chains[0] ?? [];
  expect(reference).toHaveLength(upTo - from + 1);
  for (const chain of chains.slice(1)) expect(chain).toEqual(reference);
  return upTo;
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function txFinalOn(node: TestNode, hash: string): Promise<boolean> {
  const data = await node.client.request<{ transaction: { status: string } | null }>(
    'query($hash: String!) { transaction(hash: $hash) { status } }',
    { hash },
  );
  return data.transaction?.status === 'FINAL';
}

/** What a refused batch needs to be understood: each node's authority set and its last log lines. */
async function explainRefusal(
  node: TestNode,
  results: readonly { status: string; code?: string }[],
) {
  console.error(
    `${node.name} refused: ${JSON.stringify(results)}; test authority key ${authority.publicKey}`,
  );
  for (const each of net.nodes) {
    const data = await each.client
      .request<{ chain: unknown }>('{ chain { height authorities { publicKey } } }')
      .catch((error: unknown) => String(error));
    console.error(`${each.name}: ${JSON.stringify(data)}\n  ${each.logs.slice(-15).join('\n  ')}`);
  }
}

beforeAll(async () => {
  // The rogue hosts below log through Nest; only their warnings and errors belong in test output.
  Logger.overrideLogger(['warn', 'error']);
  started = net = await startTestNetwork({
    authorities: 4,
    observers: 1,
    // Empty blocks as fast as consensus goes: a thousand heights in well under a minute.
    env: {
      WAYBILL_HEARTBEAT_MS: '10',
      WAYBILL_BLOCK_INTERVAL_MS: '20',
      // Small, so the rogue below can send an oversized message at all.
      WAYBILL_MAX_MESSAGE_BYTES: String(1024 * 1024),
    },
  });
  const first = net.authorities[0] as TestNode;
  const secret = hexToBytes(
    readFileSync(join(first.dataDir, 'authority.key'), 'utf8').trim(),
    32,
    'key',
  );
  authority = { secretKey: secret, publicKey: bytesToHex(publicKeyOf(secret)) } as TestKey;
  sign = (type, payload, key) =>
    createTx({ chainId: net.chainId, type, payload, secretKey: key.secretKey }) as SignedTx;
}, 180_000);

afterAll(async () => {
  await started?.stop().catch(() => undefined);
  await cleanUp();
});

describe('a network of 4 authorities and an observer', () => {
  const participants = participantKeys();

  it('finalizes transactions submitted to any node on every node, with identical blocks', async () => {
    const { registrations, members } = participantTransactions(sign, authority, participants);
    // Registrations through one authority, members through another, products through the observer.
    for (const [batch, node] of [
      [registrations, net.authorities[1]],
      [members, net.authorities[2]],
    ] as const) {
      const results = await node!.client.submitMany(batch, { waitFinal: true });
      if (results.some((r) => r.status !== 'FINAL')) await explainRefusal(node!, results);
      // A refusal shows its code and message, not only REJECTED.
      expect(
        results.map((r) =>
          r.status === 'FINAL' ? 'FINAL' : `${r.status} ${r.code ?? ''}: ${r.message ?? ''}`,
        ),
      ).toEqual(batch.map(() => 'FINAL'));
    }
    const product = sign(
      'product.define',
      { gtin: TEST_GTINS.yoghurt, name: 'Network test yoghurt' },
      participants.admin.acme,
    );
    const observer = net.observers[0] as TestNode;
    const defined = await observer.client.submit(product, { waitFinal: true });
    expect(defined.status).toBe('FINAL');
    for (const node of net.nodes) {
      await until(`${node.name} has the product`, () => txFinalOn(node, defined.hash as string));
    }
    await expectSameChain(net.nodes);
  }, 120_000);

  it('records a refusal in its block: REJECTED at one height on every node, and never included later', async () => {
    // An observation of an item nobody commissioned: refused by the state machine, not admission.
    const refused = sign(
      'event.observe',
      {
        epcs: [itemEpc(TEST_GTINS.yoghurt, 'NEVER-MADE')],
        eventTime: new Date().toISOString(),
      },
      participants.staff.acme,
    );
    const observer = net.observers[0] as TestNode;
    const submitted = await observer.client.submit(refused, { waitFinal: true });
    expect(submitted).toMatchObject({ status: 'REJECTED', code: 'NOT_FOUND' });
    const hash = submitted.hash as string;
    const verdicts = async () =>
      Promise.all(
        net.nodes.map((node) =>
          node.client.request<{
            transaction: { status: string; code: string | null; height: number | null } | null;
          }>('query($hash: String!) { transaction(hash: $hash) { status code height } }', {
            hash,
          }),
        ),
      );
    await until('every node says REJECTED at a height', async () =>
      (await verdicts()).every((v) => typeof v.transaction?.height === 'number'),
    );
    const all = (await verdicts()).map((v) => v.transaction);
    expect(new Set(all.map((t) => JSON.stringify(t))).size).toBe(1);
    expect(all[0]).toMatchObject({ status: 'REJECTED', code: 'NOT_FOUND' });
    // The same signed transaction, again, to another node: its hash is on chain for good.
    const [again] = await (net.authorities[3] as TestNode).client.submitMany([refused]);
    expect(again).toMatchObject({ status: 'REJECTED', code: 'DUPLICATE' });
    await expectSameChain(net.nodes);
  }, 120_000);

  it('keeps finalizing when an authority is killed under load, and the authority catches up and votes again', async () => {
    const victim = net.authorities[1] as TestNode;
    const others = net.nodes.filter((n) => n !== victim);
    const final: string[] = [];
    let serial = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        const node = others[serial % others.length] as TestNode;
        const batch = Array.from({ length: 5 }, () =>
          sign(
            'product.commission',
            {
              gtin: TEST_GTINS.yoghurt,
              serials: [`NET${++serial}`],
              eventTime: new Date().toISOString(),
            },
            participants.staff.acme,
          ),
        );
        const results = await node.client.submitMany(batch, { waitFinal: true }).catch(() => []);
        for (const r of results) if (r.status === 'FINAL' && r.hash) final.push(r.hash);
      }
    })();
    await until('load is flowing', () => final.length >= 10);
    await victim.kill('SIGKILL');
    const atKill = await height(others[0] as TestNode);
    const finalAtKill = final.length;
    await until(
      'blocks keep coming without the victim',
      async () => (await height(others[0] as TestNode)) >= atKill + 20,
    );
    await until('transactions keep becoming final', () => final.length >= finalAtKill + 20);
    victim.start();
    await victim.waitReady();
    const target = await height(others[0] as TestNode);
    await until('the victim caught up', async () => (await height(victim)) >= target, 60_000);
    loading = false;
    await load;
    // It votes again: its own precommit is in a certificate it stored after catching up.
    const key = victim.publicKey as string;
    await until('the victim signs again', async () => {
      const h = await height(victim);
      const data = await victim.client.request<{
        block: { commit: { signatures: { validator: string }[] } };
      }>('query($h: Int!) { block(height: $h) { commit } }', { h });
      return data.block.commit.signatures.some((s) => s.validator === key);
    });
    // Every transaction a client was told is FINAL reaches every node (some lag a block behind).
    for (const hash of final.slice(-20)) {
      for (const node of net.nodes) {
        await until(`${node.name} has ${hash}`, () => txFinalOn(node, hash), 15_000);
      }
    }
    await expectSameChain(net.nodes, Math.max(1, target - 200));
  }, 240_000);

  it('stalls without a fork when 2 of 4 authorities stop, and resumes when one returns', async () => {
    const [a, b, c, d] = net.authorities as [TestNode, TestNode, TestNode, TestNode];
    await Promise.all([c.stop(), d.stop()]);
    // A block already certified may still land; after that nothing can be final.
    await new Promise((r) => setTimeout(r, 1_500));
    const stalled = await height(a);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await height(a)).toBe(stalled);
    expect(await height(b)).toBeLessThanOrEqual(stalled);
    await expectSameChain([a, b, net.observers[0] as TestNode], Math.max(1, stalled - 50));
    c.start();
    await c.waitReady();
    await until('the chain resumes', async () => (await height(a)) >= stalled + 10, 60_000);
    d.start();
    await d.waitReady();
    await until(
      'the last authority catches up',
      async () => (await height(d)) >= stalled + 10,
      60_000,
    );
    await expectSameChain(net.authorities, Math.max(1, stalled - 50));
  }, 240_000);

  describe('misbehaving peers', () => {
    // A rogue runs in this test process with a real libp2p host. It serves no chain of its own.
    const nothing: BlockSource = {
      height: 0,
      headHash: '0'.repeat(64),
      blockAt: () => Promise.resolve(undefined),
      txsOfBlock: () => Promise.resolve([]),
      refusalsOfBlock: () => Promise.resolve([]),
    };
    const rogues: P2pService[] = [];
    let seenHeight = 0;
    /** The last consensus messages the rogues heard, as sent (for replays). */
    const heard: Uint8Array[] = [];

    async function rogueHost(peerKeyFile: string, port = 0): Promise<P2pService> {
      const rogue = new P2pService(
        {
          ...P2P_DEFAULTS,
          chainId: net.chainId,
          host: '127.0.0.1',
          port,
          bootstrap: net.nodes.filter((n) => n !== net.authorities[3]).map((n) => n.multiaddr),
          allowedPeers: [],
          peerKeyFile,
          maxMessageBytes: 4 * 1024 * 1024,
        },
        nothing,
      );
      rogues.push(rogue);
      rogue.onGossip('consensus', (data) => {
        const message = JSON.parse(new TextDecoder().decode(data)) as {
          vote?: { height: number };
          proposal?: { height: number };
        };
        seenHeight = Math.max(seenHeight, message.vote?.height ?? message.proposal?.height ?? 0);
        heard.push(data);
        if (heard.length > 50) heard.shift();
        return 'ignore';
      });
      await rogue.start();
      return rogue;
    }

    afterAll(async () => {
      await Promise.all(rogues.map((r) => r.stop().catch(() => undefined)));
    });

    it('refuses a peer outside the network in permissioned mode', async () => {
      const stranger = await rogueHost(join(tempDataDir(), 'p2p.key'));
      await new Promise((r) => setTimeout(r, 3_000));
      expect(stranger.peers()).toEqual([]);
    }, 60_000);

    it("puts a misbehaving authority's double vote on chain as evidence within a few heights", async () => {
      const turncoat = net.authorities[3] as TestNode;
      await turncoat.stop();
      const secret = hexToBytes(
        readFileSync(join(turncoat.dataDir, 'authority.key'), 'utf8').trim(),
        32,
        'authority key',
      );
      const rogue = await rogueHost(join(turncoat.dataDir, 'p2p.key'), turncoat.p2pPort);
      await until(
        'the rogue is connected and hears consensus',
        () => rogue.peers().length >= 3 && seenHeight > 0,
      );
      const target = seenHeight + 1;
      for (const blockHash of ['ee'.repeat(32), null]) {
        const vote = signVote(
          {
            type: 'prevote',
            chainId: net.chainId,
            height: target,
            round: 0,
            blockHash,
            validator: turncoat.publicKey as string,
          },
          secret,
        );
        await rogue.publish(
          'consensus',
          new TextEncoder().encode(JSON.stringify({ kind: 'vote', vote })),
        );
      }
      const observer = net.observers[0] as TestNode;
      let recorded: { height: number; recordedAt: number } | undefined;
      await until(
        'the evidence is on chain',
        async () => {
          const data = await observer.client.request<{
            evidence: { evidence: { validator: string; height: number; recordedAt: number }[] };
          }>(
            'query($v: String) { evidence(validator: $v) { evidence { validator height recordedAt } } }',
            {
              v: turncoat.publicKey,
            },
          );
          recorded = data.evidence.evidence[0];
          return recorded !== undefined;
        },
        60_000,
      );
      expect(recorded?.height).toBe(target);
      expect((recorded?.recordedAt ?? Infinity) - target).toBeLessThanOrEqual(10);
    }, 120_000);

    it('ignores votes from outside the set for old and far-future heights, replays and a flood, and keeps finalizing', async () => {
      const rogue = rogues[rogues.length - 1] as P2pService;
      const outsider = generateKeyPair();
      const encoder = new TextEncoder();
      const vote = (height: number, round: number) =>
        encoder.encode(
          JSON.stringify({
            kind: 'vote',
            vote: signVote(
              {
                type: 'prevote',
                chainId: net.chainId,
                height,
                round,
                blockHash: null,
                validator: outsider.publicKey,
              },
              hexToBytes(outsider.secretKey, 32, 'key'),
            ),
          }),
        );
      // Real authority messages, heard now and sent again below (replays).
      heard.length = 0;
      await until('the rogue heard authorities vote', () => heard.length >= 20);
      const before = await height(net.authorities[0] as TestNode);
      // A flood: 600 messages about heights long past and far ahead, none a valid vote of now.
      for (let i = 0; i < 300; i++) {
        await rogue.publish('consensus', vote(Math.max(1, before - 50 - i), i));
        await rogue.publish('consensus', vote(before + 1_000 + i, 0));
      }
      // The rogue's own gossip layer may refuse to send what it has seen: that is a replay too.
      for (const replay of heard.splice(0))
        await rogue.publish('consensus', replay).catch(() => undefined);
      await until(
        'the chain keeps finalizing',
        async () => (await height(net.authorities[0] as TestNode)) >= before + 10,
      );
      // Ignored, not punished: such messages are what a lagging honest peer sends too.
      expect(rogue.peers().length).toBeGreaterThanOrEqual(3);
      // Claims of far-future heights from outside the set do not make a node think it is behind
      // (which would have it stop taking transactions by gossip).
      const observer = net.observers[0] as TestNode;
      const product = sign(
        'product.define',
        { gtin: TEST_GTINS.cheese, name: 'Flood test cheese' },
        participants.admin.acme,
      );
      const submitted = await observer.client.submit(product, { waitFinal: true });
      expect(submitted.status).toBe('FINAL');
      for (const node of net.nodes.filter((n) => n !== net.authorities[3])) {
        await until(`${node.name} has the product`, () =>
          txFinalOn(node, submitted.hash as string),
        );
      }
    }, 180_000);

    it('admits none of a flood of well-signed transactions from keys nobody registered, and keeps taking honest ones', async () => {
      const rogue = rogues[rogues.length - 1] as P2pService;
      const honest = net.nodes.filter((n) => n !== net.authorities[3]);
      const admitted = async (node: TestNode) => {
        const text = await (await fetch(`${node.url}/metrics`)).text();
        return Number(/^waybill_transactions_admitted_total (\d+)$/m.exec(text)?.[1] ?? NaN);
      };
      // 2,000 well-formed, well-signed transactions, each of which every block would refuse.
      // Signed before the first request: signing holds this process for seconds.
      const strangers = Array.from({ length: 8 }, () =>
        hexToBytes(generateKeyPair().secretKey, 32, 'key'),
      );
      const flood = Array.from({ length: 2_000 }, (_, i) =>
        createTx({
          chainId: net.chainId,
          type: 'product.define',
          payload: { gtin: TEST_GTINS.cheese, name: `Flood ${i}` },
          secretKey: strangers[i % strangers.length] as Uint8Array,
        }),
      );
      const before = await Promise.all(honest.map(admitted));
      const startHeight = await height(net.authorities[0] as TestNode);
      const encoder = new TextEncoder();
      for (let i = 0; i < flood.length; i += 200) {
        await rogue.publish(
          'transactions',
          encoder.encode(JSON.stringify(flood.slice(i, i + 200))),
        );
      }
      const observer = net.observers[0] as TestNode;
      const honestTx = sign(
        'product.define',
        { gtin: TEST_GTINS.cheese, name: 'Honest cheese, after the flood' },
        participants.admin.acme,
      );
      const submitted = await observer.client.submit(honestTx, { waitFinal: true });
      expect(submitted.status).toBe('FINAL');
      await until(
        'the chain keeps finalizing',
        async () => (await height(net.authorities[0] as TestNode)) >= startHeight + 10,
      );
      const after = await Promise.all(honest.map(admitted));
      // Each honest node admitted the honest transaction (directly or by gossip) and nothing else.
      for (const [i, node] of honest.entries()) {
        expect(
          after[i]! - before[i]!,
          `${node.name} admitted flood transactions`,
        ).toBeLessThanOrEqual(1);
      }
      for (const tx of flood.slice(0, 20)) {
        expect(await observer.client.transaction(txHash(tx))).toBeNull();
      }
      // Not punished: an honest peer that is a block ahead gossips keys this node does not know yet.
      expect(rogue.peers().length).toBeGreaterThanOrEqual(3);
    }, 120_000);

    it('disconnects a peer that sends garbage, oversized or wrongly signed messages; the rest keep finalizing', async () => {
      const rogue = rogues[rogues.length - 1] as P2pService;
      const rogueId = rogue.peerId;
      const before = await height(net.authorities[0] as TestNode);
      const forged = {
        kind: 'vote',
        vote: {
          type: 'prevote',
          chainId: net.chainId,
          height: seenHeight + 1,
          round: 0,
          blockHash: null,
          validator: (net.authorities[0] as TestNode).publicKey,
          signature: 'ab'.repeat(64),
        },
      };
      const encoder = new TextEncoder();
      const turncoat = net.authorities[3] as TestNode;
      try {
        // Three provably invalid messages get a peer penalized; the oversized one comes last,
        // because a receiver may also close the stream it arrived on.
        await rogue.publish('consensus', encoder.encode('this is not a consensus message'));
        await rogue.publish('consensus', encoder.encode(JSON.stringify(forged)));
        // Well signed, but by a key outside the authority set, for the height being decided.
        const outsider = generateKeyPair();
        const { signature: _, ...unsigned } = forged.vote;
        const stranger = signVote(
          { ...unsigned, type: 'prevote', validator: outsider.publicKey },
          hexToBytes(outsider.secretKey, 32, 'key'),
        );
        await rogue.publish(
          'consensus',
          encoder.encode(JSON.stringify({ kind: 'vote', vote: stranger })),
        );
        await rogue.publish('transactions', encoder.encode('[{"garbage": true}]'));
        await rogue.publish('consensus', new Uint8Array(2 * 1024 * 1024).fill(0x7b));
        const honest = net.nodes.filter((n) => n !== turncoat);
        await until(
          'every honest node dropped the rogue',
          async () => {
            const lists = await Promise.all(
              honest.map((n) =>
                n.client.request<{ network: { peers: { peerId: string }[] } }>(
                  '{ network { peers { peerId } } }',
                ),
              ),
            );
            return lists.every((l) => !l.network.peers.some((p) => p.peerId === rogueId));
          },
          30_000,
        );
        await until(
          'the chain keeps finalizing',
          async () => (await height(net.authorities[0] as TestNode)) >= before + 10,
        );
      } finally {
        await rogue.stop();
        turncoat.start();
        await turncoat.waitReady();
      }
    }, 120_000);
  });

  it('an observer started after 1,000 blocks syncs them all and its verify-chain passes', async () => {
    const observer = net.observers[0] as TestNode;
    await observer.stop();
    for (const file of readdirSync(observer.dataDir)) {
      if (file.startsWith('waybill.sqlite')) rmSync(join(observer.dataDir, file));
    }
    const leader = net.authorities[0] as TestNode;
    await until('the chain has 1,000 blocks', async () => (await height(leader)) >= 1_000, 300_000);
    const target = await height(leader);
    observer.start();
    await observer.waitReady();
    await until('the observer synced', async () => (await height(observer)) >= target, 120_000);
    await observer.stop();
    const report = execFileSync(
      process.execPath,
      [CLI, 'verify-chain', '--data-dir', observer.dataDir],
      {
        encoding: 'utf8',
      },
    );
    expect(report).toMatch(/ok|verified|valid/i);
    observer.start();
    await observer.waitReady();
    await expectSameChain([leader, observer], target - 100);
  }, 480_000);

  it('an authority voted in by a majority votes from the next height', async () => {
    const newcomer = generateKeyPair();
    const voters = net.authorities.slice(0, 3);
    for (const voter of voters) {
      const secret = hexToBytes(
        readFileSync(join(voter.dataDir, 'authority.key'), 'utf8').trim(),
        32,
        'authority key',
      );
      const vote = createTx({
        chainId: net.chainId,
        type: 'authority.vote',
        payload: { action: 'add', authority: newcomer.publicKey, name: 'Newcomer' },
        secretKey: secret,
      });
      expect((await voter.client.submit(vote, { waitFinal: true })).status).toBe('FINAL');
    }
    // Final on the node that took the last vote; every node has it once it stored that block.
    for (const node of net.authorities) {
      await until(`${node.name} counts the newcomer`, async () =>
        (await node.client.chain()).authorities.some((a) => a.publicKey === newcomer.publicKey),
      );
    }
    // The observer becomes the new authority: its key goes into its data directory.
    const promoted = net.observers[0] as TestNode;
    await promoted.stop();
    writeFileSync(join(promoted.dataDir, 'authority.key'), `${newcomer.secretKey}\n`, {
      mode: 0o600,
    });
    promoted.start();
    await promoted.waitReady();
    await until(
      'the newcomer signs blocks',
      async () => {
        const h = await height(promoted);
        const data = await promoted.client.request<{
          block: { commit: { signatures: { validator: string }[] } };
        }>('query($h: Int!) { block(height: $h) { commit } }', { h });
        return data.block.commit.signatures.some((s) => s.validator === newcomer.publicKey);
      },
      60_000,
    );
    const before = await height(net.authorities[0] as TestNode);
    await until(
      'the five keep finalizing',
      async () => (await height(net.authorities[0] as TestNode)) >= before + 10,
    );
  }, 180_000);
});
