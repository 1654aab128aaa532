/**
 * `waybill import epcis` against a real node: GS1's example documents, custody through EPCIS
 * shipping and receiving events signed by each party, and an import killed half-way and run again.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@waybill/shared/encoding';
import { epcisEventHash, readEpcis } from '@waybill/shared/epcis';
import { itemEpc } from '@waybill/shared/gs1';
import { encryptKeystore } from '@waybill/shared/keys';
import { PARTICIPANTS, type Participants, type TestKey } from '@waybill/shared/testing';
import {
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  submitFinal,
  tempDataDir,
  track,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../../shared/data/epcis/examples/', import.meta.url));
const PASSPHRASE = 'correct horse battery staple';

let chain: SoloChain;
let node: NodeProcess;
let keys: Participants;
let dir: string;
const keystore: Record<'acme' | 'swift', string> = { acme: '', swift: '' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function waybill(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, WAYBILL_URL: node.graphqlUrl, WAYBILL_PASSPHRASE: PASSPHRASE } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function importing(file: string, who: 'acme' | 'swift', ...more: string[]): Promise<Run> {
  return waybill(['import', 'epcis', file, '--key', keystore[who], ...more]);
}

async function onChain(eventHash: string): Promise<string | null> {
  const { epcisEvent } = await node.client.request<{ epcisEvent: { tx: string } | null }>(
    'query ($h: String!) { epcisEvent(eventHash: $h) { tx } }',
    { h: eventHash },
  );
  return epcisEvent?.tx ?? null;
}

function hashesOf(file: string): string[] {
  return readEpcis(JSON.parse(readFileSync(file, 'utf8'))).events.map((e) =>
    epcisEventHash(e.event),
  );
}

async function thing(epc: string): Promise<{ custodian: string; events: { type: string }[] }> {
  const data = await node.client.request<{
    thing: { custodian: string; events: { type: string }[] };
  }>('query ($epc: String!) { thing(epc: $epc) { custodian events { type } } }', { epc });
  return data.thing;
}

function writeKeystore(name: string, key: TestKey): string {
  const file = join(dir, `${name}.json`);
  const sealed = encryptKeystore(bytesToHex(key.secretKey), PASSPHRASE, {
    kdfParams: { N: 2 ** 14 },
  });
  writeFileSync(file, JSON.stringify(sealed));
  return file;
}

function writeDocument(name: string, events: object[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-11-26T09:00:00.000Z',
      epcisBody: { eventList: events },
    }),
  );
  return file;
}

const EXAMPLE_ITEM = '10614141073464';
const SENSOR_ITEM = '04012345111118';

beforeAll(async () => {
  dir = tempDataDir();
  chain = soloChain('waybill-epcis');
  node = await startNode(chain.dataDir);
  keys = await registerParticipantsOverApi(node, chain);
  for (const [gtin, serials] of [
    [EXAMPLE_ITEM, ['2017', '2018']],
    [SENSOR_ITEM, ['9876']],
  ] as const) {
    await submitFinal(
      node,
      chain.sign('product.define', { gtin, name: `Example ${gtin}` }, keys.admin.acme),
    );
    await submitFinal(
      node,
      chain.sign(
        'product.commission',
        { gtin, serials: [...serials], eventTime: '2005-01-01T00:00:00.000Z' },
        keys.staff.acme,
      ),
    );
  }
  keystore.acme = writeKeystore('acme', keys.staff.acme);
  keystore.swift = writeKeystore('swift', keys.staff.swift);
}, 120_000);

afterAll(cleanUp);

describe('waybill import epcis', () => {
  it('checks a document without submitting anything (--dry-run), and names what cannot be mapped', async () => {
    const file = join(EXAMPLES, 'Example_9.6.1-ObjectEvent.jsonld');
    const checked = await waybill(['import', 'epcis', file, '--dry-run']);
    expect(checked.stdout).toContain('2 events: 2 would land, 0 already on chain, 0 problems');
    expect(checked.code).toBe(0);
    for (const hash of hashesOf(file)) expect(await onChain(hash)).toBeNull();
    expect(existsSync(`${file}.waybill-import.json`)).toBe(false);

    const refused = await waybill([
      'import',
      'epcis',
      join(EXAMPLES, 'Example_9.6.4-TransformationEvent.jsonld'),
      '--dry-run',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('event 0: $.inputQuantityList[2].epcClass:');
    expect(refused.stdout).toContain('1 events: 0 would land, 0 already on chain, 1 problems');
  }, 60_000);

  it('imports GS1 example documents: each event lands once, and a rerun finds it on chain', async () => {
    // The examples are read-only: import copies, with their journals beside them.
    const copy = (name: string) => {
      const file = join(dir, name);
      writeFileSync(file, readFileSync(join(EXAMPLES, name)));
      return file;
    };
    const objects = copy('Example_9.6.1-ObjectEvent.jsonld');
    const first = await importing(objects, 'acme');
    expect(first.stdout).toMatch(/2 events: 2 landed, 0 already on chain, 0 problems/);
    expect(first.code).toBe(0);
    const hashes = hashesOf(objects);
    for (const hash of hashes) {
      const tx = await onChain(hash);
      expect(tx).toMatch(/^[0-9a-f]{64}$/);
      const info = await node.client.transaction(tx as string);
      expect(info?.status).toBe('FINAL');
      expect(
        (info?.tx as { payload: { epcis: { eventHash: string } } }).payload.epcis.eventHash,
      ).toBe(hash);
    }
    const observed = await thing(itemEpc(EXAMPLE_ITEM, '2018'));
    expect(observed.events.map((e) => e.type)).toEqual([
      'product.commission',
      'event.observe',
      'event.observe',
    ]);

    const sensors = await importing(copy('SensorDataExample1.jsonld'), 'acme');
    expect(sensors.stdout).toContain('1 events: 1 landed');

    const again = await importing(objects, 'acme');
    expect(again.stdout).toContain('2 events: 0 landed, 2 already on chain, 0 problems');
    rmSync(`${objects}.waybill-import.json`);
    const withoutJournal = await importing(objects, 'acme');
    expect(withoutJournal.stdout).toContain('2 events: 0 landed, 2 already on chain, 0 problems');
    expect(withoutJournal.code).toBe(0);
    expect((await thing(itemEpc(EXAMPLE_ITEM, '2018'))).events).toHaveLength(3);
  }, 120_000);

  it('hands custody over and accepts it through shipping and receiving events, each signed by its party', async () => {
    const item = `urn:epc:id:sgtin:0614141.107346.2017`;
    const party = (org: 'acme' | 'swift') => `https://id.gs1.org/417/${PARTICIPANTS[org].gln}`;
    const shipped = writeDocument('shipping.json', [
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: '2026-11-26T08:00:00.000+01:00',
        eventTimeZoneOffset: '+01:00',
        epcList: [item],
        bizStep: 'shipping',
        disposition: 'in_transit',
        sourceList: [{ type: 'possessing_party', source: party('acme') }],
        destinationList: [{ type: 'possessing_party', destination: party('swift') }],
      },
    ]);
    const received = writeDocument('receiving.json', [
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: '2026-11-26T09:30:00.000+01:00',
        eventTimeZoneOffset: '+01:00',
        epcList: [item],
        bizStep: 'receiving',
        disposition: 'in_progress',
        sourceList: [{ type: 'possessing_party', source: party('acme') }],
        destinationList: [{ type: 'possessing_party', destination: party('swift') }],
      },
    ]);
    // Before the shipment, the receipt has nothing to accept: refused by index and field.
    const early = await waybill(['import', 'epcis', received, '--dry-run']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('event 0: $.epcList: no handover of exactly these things');

    expect((await importing(shipped, 'acme')).stdout).toContain('1 landed');
    expect((await thing(itemEpc(EXAMPLE_ITEM, '2017'))).custodian).toBe('acme');
    const accepted = await importing(received, 'swift');
    expect(accepted.stdout).toContain('1 landed');
    const after = await thing(itemEpc(EXAMPLE_ITEM, '2017'));
    expect(after.custodian).toBe('swift');
    expect(after.events.map((e) => e.type).slice(-2)).toEqual([
      'custody.handover',
      'custody.accept',
    ]);
  }, 60_000);

  it('resumes an import killed half-way and lands every event exactly once', async () => {
    const epc = itemEpc(SENSOR_ITEM, '9876');
    const before = (await thing(epc)).events.length;
    const count = 600;
    const file = writeDocument(
      'many.json',
      Array.from({ length: count }, (_, i) => ({
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        eventTimeZoneOffset: '+00:00',
        epcList: [epc],
        bizStep: 'inspecting',
        sensorElementList: [
          { sensorReport: [{ type: 'Temperature', value: 3 + (i % 7) / 10, uom: 'CEL' }] },
        ],
      })),
    );
    const journal = `${file}.waybill-import.json`;
    const child = spawn(
      process.execPath,
      [CLI, 'import', 'epcis', file, '--key', keystore.acme, '--batch', '50'],
      {
        env: { ...process.env, WAYBILL_URL: node.graphqlUrl, WAYBILL_PASSPHRASE: PASSPHRASE },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    track(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Killed once some batches have landed and before the end.
    const landed = () =>
      existsSync(journal)
        ? Object.keys((JSON.parse(readFileSync(journal, 'utf8')) as { landed: object }).landed)
            .length
        : 0;
    await expect.poll(landed, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(100);
    child.kill('SIGKILL');
    await exited;
    const partial = landed();
    expect(partial).toBeLessThan(count);

    const resumed = await importing(file, 'acme', '--batch', '50');
    expect(resumed.code).toBe(0);
    const summary = /(\d+) events: (\d+) landed, (\d+) already on chain, 0 problems/.exec(
      resumed.stdout,
    );
    expect(summary?.[1]).toBe(String(count));
    expect(Number(summary?.[2]) + Number(summary?.[3])).toBe(count);
    expect(Number(summary?.[3])).toBeGreaterThanOrEqual(partial);
    // Exactly once: the item's history grew by one event per EPCIS event, each on chain once.
    expect((await thing(epc)).events.length).toBe(before + count);
    const txs = await Promise.all(hashesOf(file).map(onChain));
    expect(new Set(txs).size).toBe(count);
    expect(txs.every((tx) => tx !== null)).toBe(true);
  }, 240_000);
});
