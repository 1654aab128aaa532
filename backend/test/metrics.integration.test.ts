import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaybillClientError } from '@waybill/shared/client';
import { PARTICIPANTS, testKey } from '@waybill/shared/testing';
import { cleanUp, soloChain, startNode, type NodeProcess, type SoloChain } from './harness.js';

let chain: SoloChain;
let node: NodeProcess;

beforeAll(async () => {
  chain = soloChain();
  node = await startNode(chain.dataDir);
});

afterAll(cleanUp);

/** One exposition line: a name, optional labels, a value (no timestamps here). */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/;

/** `name{labels}` → value; checks every line is a comment or a well-formed sample. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (/^# (HELP|TYPE) /.test(line)) continue;
    const match = SAMPLE.exec(line);
    expect(match, line).not.toBeNull();
    const [, name, labels, value] = match!;
    samples.set(`${name!}${labels ?? ''}`, Number(value!.replace('+Inf', 'Infinity')));
  }
  return samples;
}

async function scrape(): Promise<{ response: Response; samples: Map<string, number> }> {
  const response = await fetch(`${node.url}/metrics`);
  return { response, samples: parse(await response.text()) };
}

describe('GET /metrics', () => {
  it('counts an admitted, finalized transaction and a refused one', async () => {
    const { name, roles, gln } = PARTICIPANTS.acme;
    const valid = chain.sign(
      'org.register',
      { orgId: 'acme', name, roles: [...roles], gln, admin: testKey('acme-admin').publicKey },
      chain.authority,
    );
    expect((await node.client.submit(valid, { waitFinal: true })).status).toBe('FINAL');
    const forged = {
      ...valid,
      signature: valid.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    };
    const refused = await node.client.submit(forged).catch((e: unknown) => e);
    expect((refused as WaybillClientError).code).toBe('BAD_SIGNATURE');

    const { response, samples } = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');

    expect(samples.get('waybill_transactions_admitted_total')).toBe(1);
    expect(samples.get('waybill_transactions_rejected_total{code="BAD_SIGNATURE"}')).toBe(1);
    expect(samples.get('waybill_transactions_final_total')).toBe(1);
    expect(samples.get('waybill_mempool_size')).toBe(0);

    // A fresh chain: every block above genesis was finalized by this process.
    const blocks = samples.get('waybill_blocks_total')!;
    expect(blocks).toBeGreaterThanOrEqual(1);
    expect(samples.get('waybill_chain_height')).toBeGreaterThanOrEqual(blocks);

    // One observation per block, cumulative buckets ending at +Inf = count.
    expect(samples.get('waybill_block_apply_seconds_count')).toBe(blocks);
    expect(samples.get('waybill_block_apply_seconds_bucket{le="+Inf"}')).toBe(blocks);
    expect(samples.get('waybill_block_apply_seconds_sum')).toBeGreaterThan(0);
    const buckets = [...samples]
      .filter(([key]) => key.startsWith('waybill_block_apply_seconds_bucket'))
      .map(([, value]) => value);
    expect(buckets).toHaveLength(13);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(samples.has('waybill_block_apply_seconds_bucket{le="0.001"}')).toBe(true);
    expect(samples.has('waybill_block_apply_seconds_bucket{le="5"}')).toBe(true);

    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_used_bytes')).toBeGreaterThan(0);
    expect(samples.get('nodejs_heap_total_bytes')).toBeGreaterThan(0);
    expect(samples.get('nodejs_external_memory_bytes')).toBeGreaterThan(0);
    const p99 = samples.get('nodejs_eventloop_delay_p99_seconds')!;
    expect(p99).toBeGreaterThan(0);
    expect(samples.get('nodejs_eventloop_delay_max_seconds')).toBeGreaterThanOrEqual(p99);
  });

  it('follows the chain as heartbeat blocks arrive', async () => {
    const before = (await scrape()).samples.get('waybill_blocks_total')!;
    await expect
      .poll(async () => (await scrape()).samples.get('waybill_blocks_total'), { timeout: 5000 })
      .toBeGreaterThan(before);
  });
});
