/**
 * GS1 standards on a real node: CSV lists imported with `waybill import csv` (and a rerun that
 * lands nothing twice), the EPCIS 2.0 query interface (filters, pages, one thing's events), a GS1
 * example imported and exported again with every field kept, capture of signed documents and
 * single events, and the Digital Link resolver's link types and content negotiation. Every
 * document the node or the CLI writes is checked against GS1's EPCIS 2.0 JSON Schema.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@waybill/shared/encoding';
import {
  EPCIS_CONTEXT,
  epcisEventHash,
  readEpcis,
  WAYBILL_TRANSACTION,
} from '@waybill/shared/epcis';
import { itemEpc } from '@waybill/shared/gs1';
import { encryptKeystore } from '@waybill/shared/keys';
import { TEST_GTINS, type Participants, type TestKey } from '@waybill/shared/testing';
import type { JsonObject } from '@waybill/shared/tx';
import {
  cleanUp,
  registerParticipantsOverApi,
  soloChain,
  startNode,
  submitFinal,
  tempDataDir,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

const addFormats = ((addFormatsModule as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const DATA = fileURLToPath(new URL('../../../shared/data/epcis/', import.meta.url));
const PASSPHRASE = 'correct horse battery staple';
const EXPLORER = 'http://explorer.example.test';

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateEpcis = ajv.compile(
  JSON.parse(readFileSync(join(DATA, 'schema/EPCIS-JSON-Schema.json'), 'utf8')) as object,
);
function schemaErrors(document: unknown): string {
  return validateEpcis(document)
    ? ''
    : (validateEpcis.errors ?? [])
        .map((e: ErrorObject) => `${e.instancePath} ${e.message ?? e.keyword}`)
        .join('\n');
}

const { milk } = TEST_GTINS;
const EXAMPLE_ITEM = '10614141073464';
const AT = '2026-11-26T08:00:00+01:00';

let chain: SoloChain;
let node: NodeProcess;
let keys: Participants;
let dir: string;
let acmeKeystore: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function waybill(...args: string[]): Promise<Run> {
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

function writeKeystore(name: string, key: TestKey): string {
  const file = join(dir, `${name}.json`);
  const sealed = encryptKeystore(bytesToHex(key.secretKey), PASSPHRASE, {
    kdfParams: { N: 2 ** 14 },
  });
  writeFileSync(file, JSON.stringify(sealed));
  return file;
}

function write(name: string, content: string | object): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${node.url}${path}`, { headers, redirect: 'manual' });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a redirect): the text is enough.
  }
  return { status: response.status, headers: response.headers, body };
}

type QueryDocument = {
  epcisBody: { queryResults: { resultsBody: { eventList: JsonObject[] } } };
};
const eventsOf = (body: unknown) =>
  (body as QueryDocument).epcisBody.queryResults.resultsBody.eventList;

beforeAll(async () => {
  dir = tempDataDir();
  chain = soloChain('waybill-epcis-rest');
  node = await startNode(chain.dataDir, { WAYBILL_EXPLORER_URL: EXPLORER });
  keys = await registerParticipantsOverApi(node, chain);
  for (const gtin of [milk, EXAMPLE_ITEM])
    await submitFinal(
      node,
      chain.sign('product.define', { gtin, name: `Product ${gtin}` }, keys.admin.acme),
    );
  acmeKeystore = writeKeystore('acme', keys.staff.acme);
}, 120_000);

afterAll(cleanUp);

describe('waybill import csv', () => {
  it('commissions a list and ships part of it, and a rerun lands nothing twice', async () => {
    const commissioning = write(
      'commission.csv',
      [
        'gtin,serial,lot,eventTime',
        `${EXAMPLE_ITEM},2017,,2005-01-01T00:00:00Z`,
        `${EXAMPLE_ITEM},2018,,2005-01-01T00:00:00Z`,
        ...['1', '2', '3', '4'].map((s) => `${milk},${s},L1,${AT}`),
      ].join('\n'),
    );
    const checked = await waybill('import', 'csv', commissioning, '--dry-run');
    expect(checked.stdout).toContain('6 rows (commission), 2 transactions: 2 would land');
    const first = await waybill('import', 'csv', commissioning, '--key', acmeKeystore);
    expect(first.stdout).toContain('6 rows (commission), 2 transactions: 2 landed, 0 already');
    expect(first.code).toBe(0);

    const shipment = write(
      'shipment.csv',
      [
        'shipment,gtin,serial,to,eventTime',
        ...['1', '2'].map((s) => `S1,${milk},${s},swift,${AT}`),
      ].join('\n'),
    );
    const shipped = await waybill('import', 'csv', shipment, '--key', acmeKeystore);
    expect(shipped.stdout).toContain('2 rows (shipment), 1 transactions: 1 landed');
    const { thing } = await node.client.request<{
      thing: { pendingTransfer: string | null; events: unknown[] };
    }>('query ($epc: String!) { thing(epc: $epc) { pendingTransfer events { hash } } }', {
      epc: itemEpc(milk, '2'),
    });
    expect(thing.pendingTransfer).not.toBeNull();
    expect(thing.events).toHaveLength(2);

    for (const file of [commissioning, shipment]) {
      const again = await waybill('import', 'csv', file, '--key', acmeKeystore);
      expect(again.stdout).toMatch(/: 0 landed, \d+ already on chain, 0 problems/);
    }
    // Without the journal the same transactions are signed again: DUPLICATE, found final.
    const fresh = await waybill(
      'import',
      'csv',
      commissioning,
      '--key',
      acmeKeystore,
      '--journal',
      join(dir, 'other-journal.json'),
    );
    expect(fresh.stdout).toContain('2 transactions: 0 landed, 2 already on chain, 0 problems');

    const bad = write(
      'bad.csv',
      `gtin,serial,eventTime\n${milk},5,${AT}\n${milk.slice(0, 13)}0,6,${AT}\n`,
    );
    const refused = await waybill('import', 'csv', bad, '--dry-run');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3: gtin:');
  }, 120_000);
});

describe('EPCIS 2.0 query, export and capture', () => {
  let example: string;

  beforeAll(async () => {
    example = write(
      'example.jsonld',
      readFileSync(join(DATA, 'examples/Example_9.6.1-ObjectEvent.jsonld'), 'utf8'),
    );
    const imported = await waybill('import', 'epcis', example, '--key', acmeKeystore);
    expect(imported.stdout).toContain('2 events: 2 landed');
  }, 60_000);

  it('answers GET /epcis/events with filters, in pages that add up to the whole', async () => {
    const all = await get('/epcis/events?perPage=1000');
    expect(all.status).toBe(200);
    expect(all.headers.get('gs1-epcis-version')).toBe('2.0.0');
    expect(schemaErrors(all.body)).toBe('');
    const every = eventsOf(all.body);
    // Commissionings, the shipment (a handover) and the two GS1 events.
    expect(every.length).toBeGreaterThanOrEqual(5);

    const seen: unknown[] = [];
    let next: string | undefined = `${node.url}/epcis/events?perPage=2`;
    let pages = 0;
    while (next) {
      const response = await fetch(next);
      const body = await response.json();
      expect(schemaErrors(body)).toBe('');
      seen.push(...eventsOf(body).map((e) => e.eventID));
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(every.map((e) => e.eventID));

    const shipping = eventsOf((await get('/epcis/events?EQ_bizStep=shipping')).body);
    expect(shipping.length).toBeGreaterThanOrEqual(2);
    for (const e of shipping) expect(e.bizStep).toMatch(/shipping$/);
    const byEpc = eventsOf(
      (
        await get(
          `/epcis/events?MATCH_epc=${encodeURIComponent('urn:epc:id:sgtin:0614141.107346.2018')}`,
        )
      ).body,
    );
    expect(byEpc.map((e) => e.eventID)).toEqual([
      expect.any(String),
      'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0',
      'ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0',
    ]);
    const window = eventsOf(
      (
        await get(
          '/epcis/events?GE_eventTime=2005-04-04T12:00:00Z&LT_eventTime=2005-04-06T00:00:00Z',
        )
      ).body,
    );
    expect(window.map((e) => e.bizStep)).toEqual(['receiving']);

    const wrong = await get('/epcis/events?EQ_bizstep=shipping');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      code: 'INVALID_QUERY',
      type: 'epcisException:ValidationException',
    });
    const foreignToken = await get(
      `/epcis/events?EQ_bizStep=receiving&nextPageToken=${encodeURIComponent(
        /nextPageToken=([^&>]+)/.exec(
          (await fetch(`${node.url}/epcis/events?perPage=1`)).headers.get('link') ?? '',
        )?.[1] ?? '',
      )}`,
    );
    expect(foreignToken.status).toBe(400);
  });

  it('exports a thing, and a GS1 example comes back with every field it was captured with', async () => {
    const epc = itemEpc(EXAMPLE_ITEM, '2018');
    const events = await get(`/epcis/epcs/${encodeURIComponent(epc)}/events`);
    expect(events.status).toBe(200);
    expect(schemaErrors(events.body)).toBe('');
    expect(eventsOf(events.body)).toHaveLength(3);

    const out = join(dir, 'exported.jsonld');
    const exported = await waybill(
      'export',
      'epcis',
      'urn:epc:id:sgtin:0614141.107346.2018',
      '--out',
      out,
    );
    expect(exported.stdout).toContain(`3 events written to ${out}`);
    const document = JSON.parse(readFileSync(out, 'utf8')) as {
      epcisBody: { eventList: JsonObject[] };
    };
    expect(schemaErrors(document)).toBe('');
    const original = readEpcis(JSON.parse(readFileSync(example, 'utf8'))).events.map(
      (e) => e.event,
    );
    const back = readEpcis(document)
      .events.map((e) => e.event)
      .slice(1);
    expect(back).toHaveLength(2);
    for (const [i, event] of back.entries()) {
      const { recordTime, ...kept } = event;
      expect(typeof recordTime).toBe('string');
      expect(kept).toEqual(original[i]);
      expect(epcisEventHash(kept)).toBe(epcisEventHash(original[i] as JsonObject));
    }
    const unknown = await waybill('export', 'epcis', itemEpc(milk, '999'));
    expect(unknown.stdout).toContain('"eventList": []');
  }, 60_000);

  it('captures signed documents as jobs, all or nothing on request, and single events', async () => {
    const observe = (serial: string, minute: number) => ({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTime: `2026-11-26T09:${String(minute).padStart(2, '0')}:00.000+01:00`,
      eventTimeZoneOffset: '+01:00',
      epcList: [itemEpc(milk, serial)],
      bizStep: 'inspecting',
      disposition: 'conformant',
    });
    const document = (events: object[]) => ({
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-11-26T09:00:00.000Z',
      epcisBody: { eventList: events },
    });
    const source = write('capture.jsonld', document([observe('3', 1), observe('4', 2)]));
    const signedFile = join(dir, 'capture.signed.jsonld');
    const signing = await waybill(
      'import',
      'epcis',
      source,
      '--key',
      acmeKeystore,
      '--sign-only',
      signedFile,
    );
    expect(signing.stdout).toContain('2 events: 2 signed into');
    const signed = JSON.parse(readFileSync(signedFile, 'utf8')) as {
      epcisBody: { eventList: JsonObject[] };
    };
    expect(signed.epcisBody.eventList.every((e) => WAYBILL_TRANSACTION in e)).toBe(true);

    const capture = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${node.url}/epcis/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json', ...headers },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      const location = response.headers.get('location') ?? '';
      expect(location).toMatch(/^\/epcis\/capture\/[0-9a-f-]{36}$/);
      let status: {
        running: boolean;
        success?: boolean;
        errors: { index: number; code: string }[];
        finalCount: number;
      };
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await get(location)).body as typeof status;
      } while (status.running);
      return status;
    };
    const done = await capture(signed);
    expect(done).toMatchObject({ success: true, errors: [], finalCount: 2 });
    // The same capture again: the same transactions, already final.
    expect(await capture(signed)).toMatchObject({ success: true, finalCount: 2 });

    // One event unsigned and rollback asked: nothing lands.
    const [, secondSigned] = signed.epcisBody.eventList;
    const unsignedFirst = document([observe('1', 30), secondSigned as object]);
    const refused = await capture(unsignedFirst, { 'GS1-Capture-Error-Behaviour': 'rollback' });
    expect(refused).toMatchObject({
      success: false,
      finalCount: 0,
      errors: [{ index: 0, code: 'UNSIGNED_EVENT' }],
    });

    // A single signed event: answered once final, with where it lives.
    const single = write('single.jsonld', document([observe('3', 45)]));
    const singleSigned = join(dir, 'single.signed.jsonld');
    await waybill('import', 'epcis', single, '--key', acmeKeystore, '--sign-only', singleSigned);
    const [event] = (
      JSON.parse(readFileSync(singleSigned, 'utf8')) as { epcisBody: { eventList: JsonObject[] } }
    ).epcisBody.eventList;
    const posted = await fetch(`${node.url}/epcis/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ '@context': [EPCIS_CONTEXT], ...event }),
    });
    expect(posted.status).toBe(201);
    const location = posted.headers.get('location') ?? '';
    const stored = await get(location);
    expect(stored.status).toBe(200);
    expect(schemaErrors(stored.body)).toBe('');
    expect(eventsOf(stored.body)[0]).toMatchObject({
      bizStep: 'inspecting',
      epcList: [itemEpc(milk, '3')],
    });

    const bare = await fetch(`${node.url}/epcis/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(bare.status).toBe(400);
  }, 120_000);
});

describe('the GS1 Digital Link resolver', () => {
  const item = `/01/${milk}/21/1`;

  it('sends a browser to the explorer and answers link types and media types', async () => {
    const browser = await get(`/01/${milk.slice(1)}/21/1`, {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    expect(browser.status).toBe(307);
    // GTIN-13 is read as GTIN-14: the explorer gets the canonical path.
    expect(browser.headers.get('location')).toBe(`${EXPLORER}${item}`);

    const history = await get(`${item}?linkType=gs1:epcis`);
    expect(history.status).toBe(200);
    expect(schemaErrors(history.body)).toBe('');
    expect(eventsOf(history.body).length).toBeGreaterThanOrEqual(2);
    expect(eventsOf((await get(item, { accept: 'application/ld+json' })).body)).toEqual(
      eventsOf(history.body),
    );

    const recall = await get(`${item}?linkType=gs1:recallStatus`);
    expect(recall.body).toEqual({
      id: `https://id.gs1.org${item}`,
      recalled: false,
      status: 'in_transit',
      recalls: [],
    });

    for (const [path, headers] of [
      [`${item}?linkType=all`, {}],
      [item, { accept: 'application/linkset+json' }],
    ] as const) {
      const links = await get(path, headers);
      expect(links.headers.get('content-type')).toContain('application/linkset+json');
      const [entry] = (links.body as { linkset: Record<string, unknown>[] }).linkset;
      expect(entry?.anchor).toBe(`https://id.gs1.org${item}`);
      expect(entry?.['https://gs1.org/voc/pip']).toEqual([
        expect.objectContaining({ href: `${EXPLORER}${item}`, type: 'text/html' }),
      ]);
      expect(Object.keys(entry ?? {})).toEqual(
        expect.arrayContaining(['https://gs1.org/voc/epcis', 'https://gs1.org/voc/recallStatus']),
      );
    }
  });

  it('validates the URI and says what is not there', async () => {
    const badDigit = await get(`/01/${milk.slice(0, 13)}0/21/1`);
    expect(badDigit.status).toBe(400);
    expect(badDigit.body).toMatchObject({ code: 'INVALID_GS1' });
    const missing = await get(`/01/${milk}/21/404?linkType=gs1:epcis`);
    expect(missing.status).toBe(404);
    const linkType = await get(`${item}?linkType=gs1:smpc`);
    expect(linkType.status).toBe(400);
    expect(linkType.body).toMatchObject({ code: 'INVALID_QUERY' });
  });
});
