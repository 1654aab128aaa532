import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaybillClientError } from '@waybill/shared/client';
import { itemEpc, unitEpc } from '@waybill/shared/gs1';
import { TEST_GTINS, withCheckDigit, type Participants } from '@waybill/shared/testing';
import type { SignedTx } from '@waybill/shared/tx';
import {
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  submitFinal,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

const milk = TEST_GTINS.milk;
const pallet = unitEpc(withCheckDigit('10950600000000001'));
const now = () => new Date().toISOString();

let chain: SoloChain;
let node: NodeProcess;

let staff: Participants['staff'];
const final = (tx: SignedTx) => submitFinal(node, tx);

beforeAll(async () => {
  chain = soloChain();
  node = await startNode(chain.dataDir);
});

afterAll(cleanUp);

describe('a single-authority node', () => {
  it('serves its chain and makes heartbeat blocks', async () => {
    const info = await node.client.chain();
    expect(info).toMatchObject({
      chainId: 'waybill-it',
      mode: 'authority',
      authorities: [{ name: 'Solo authority' }],
    });
    await expect
      .poll(async () => (await node.client.chain()).height, { timeout: 5000 })
      .toBeGreaterThan(info.height);
    const ready = await fetch(`${node.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('runs a journey end to end and keeps every step final', async () => {
    ({ staff } = await registerParticipantsOverApi(node, chain));

    await final(chain.sign('product.define', { gtin: milk, name: 'Whole milk 1 L' }, staff.acme));
    await final(
      chain.sign(
        'product.commission',
        { gtin: milk, serials: ['N1', 'N2'], eventTime: now() },
        staff.acme,
      ),
    );
    await final(
      chain.sign(
        'aggregate.pack',
        { parent: pallet, children: [itemEpc(milk, 'N1'), itemEpc(milk, 'N2')], eventTime: now() },
        staff.acme,
      ),
    );
    const handover = await final(
      chain.sign('custody.handover', { epcs: [pallet], to: 'swift', eventTime: now() }, staff.acme),
    );
    const accept = await final(
      chain.sign('custody.accept', { transfer: handover, eventTime: now() }, staff.swift),
    );

    const tx = await node.client.transaction(accept);
    expect(tx).toMatchObject({
      status: 'FINAL',
      type: 'custody.accept',
      signer: staff.swift.publicKey,
    });
    expect(tx?.proof?.path).toBeInstanceOf(Array);
    const { thing } = await node.client.request<{
      thing: { custodian: string; parent: string; events: { type: string }[] };
    }>('query ($epc: String!) { thing(epc: $epc) { custodian parent events { type } } }', {
      epc: itemEpc(milk, 'N1'),
    });
    expect(thing).toMatchObject({ custodian: 'swift', parent: pallet });
    expect(thing.events.map((e) => e.type)).toEqual([
      'product.commission',
      'aggregate.pack',
      'custody.handover',
      'custody.accept',
    ]);

    // The history is read in one statement; each event is what a lookup by hash says, with the
    // hash of the block that holds it.
    const fields = 'hash status type signer height position blockHash tx';
    const { item } = await node.client.request<{
      item: { events: { hash: string; height: number; blockHash: string }[] };
    }>(`query ($epc: String!) { item(epc: $epc) { events { ${fields} } } }`, {
      epc: itemEpc(milk, 'N2'),
    });
    expect(item.events).toHaveLength(4);
    for (const event of item.events) {
      const { transaction, block } = await node.client.request<{
        transaction: unknown;
        block: { hash: string; transactions: { hash: string; blockHash: string }[] };
      }>(
        `query ($hash: String!, $height: Int!) { transaction(hash: $hash) { ${fields} } block(height: $height) { hash transactions { hash blockHash } } }`,
        { hash: event.hash, height: event.height },
      );
      expect(event).toEqual(transaction);
      expect(event.blockHash).toBe(block.hash);
      expect(block.transactions).toContainEqual({ hash: event.hash, blockHash: block.hash });
    }
  });

  it('keeps the reason of a transaction refused at block building', async () => {
    const result = await node.client.submit(
      chain.sign('custody.handover', { epcs: [pallet], to: 'cold', eventTime: now() }, staff.acme),
      { waitFinal: true },
    );
    expect(result).toMatchObject({
      status: 'REJECTED',
      code: 'NOT_CUSTODIAN',
      path: '$.payload.epcs[0]',
    });
    expect(await node.client.transaction(result.hash as string)).toMatchObject({
      status: 'REJECTED',
      code: 'NOT_CUSTODIAN',
    });
  });

  it('answers bad submissions with the protocol code and keeps serving', async () => {
    const good = chain.sign('event.observe', { epcs: [pallet], eventTime: now() }, staff.swift);
    const attempts: [unknown, string][] = [
      [
        { ...good, signature: good.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
        'BAD_SIGNATURE',
      ],
      [{ ...good, chainId: 'other-chain' }, 'WRONG_CHAIN'],
      [{ ...good, surprise: true }, 'BAD_ENCODING'],
      [{ ...good, payload: { ...good.payload, colour: 'red' } }, 'INVALID_PAYLOAD'],
    ];
    for (const [tx, code] of attempts) {
      const error = await node.client
        .request('mutation ($tx: JSON!) { submitTransaction(tx: $tx) { hash } }', { tx })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaybillClientError);
      expect((error as WaybillClientError).code).toBe(code);
    }
    await final(good);
    const replay = await node.client.submit(good).catch((e: unknown) => e);
    expect((replay as WaybillClientError).code).toBe('DUPLICATE');
    expect((await node.client.chain()).chainId).toBe('waybill-it');
  });

  it('resumes where it stopped after a restart', async () => {
    const before = await node.client.chain();
    expect(await node.kill('SIGTERM')).toBe(0);
    node = await startNode(chain.dataDir, { WAYBILL_HEARTBEAT_MS: '60000' });
    const after = await node.client.chain();
    expect(after.height).toBeGreaterThanOrEqual(before.height);
    expect(after.genesisHash).toBe(before.genesisHash);
  });
});
