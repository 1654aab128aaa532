#!/usr/bin/env node
/**
 * `npm run bench:import`: the bulk import of issue 9, measured. A fresh one-authority network on
 * 127.0.0.1; an EPCIS 2.0 document of N events (default 100,000: commissionings of 1,000 items,
 * then observations with a temperature reading each); `waybill import epcis` (the real CLI, in
 * its own process) is SIGKILLed part-way, then run again to the end. Then every event hash is
 * looked up on chain: each must be carried by exactly one transaction. Prints and writes the
 * speed (bench/results/import/), which the README quotes.
 */
import '@waybill/node/native-hash';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bytesToHex } from '@waybill/shared/encoding';
import { EPCIS_CONTEXT, epcisEventHash, readEpcis } from '@waybill/shared/epcis';
import { itemEpc } from '@waybill/shared/gs1';
import { encryptKeystore } from '@waybill/shared/keys';
import { killEverything, startNetwork } from '../network.js';
import { BENCH_GTIN, BENCH_ORGS, staffKey } from '../workload.js';

const HELP = `usage: npm run bench:import [-- --events N] [--interrupt-at F] [--out DIR]

Imports an EPCIS 2.0 document of N events (default 100000) into a fresh one-authority network
with \`waybill import epcis\`, kills the import once a fraction F of the events has landed
(default 0.3), runs it again to the end, and checks that every event landed exactly once.`;

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = resolve(here, '../../../backend/dist/cli/main.js');
const PASSPHRASE = 'bench import passphrase';
const ITEMS = 1000;
const PER_COMMISSION = 100;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The document: commissionings of ITEMS serials, then observations with a reading each. */
function document(events: number): object {
  const start = Date.UTC(2026, 10, 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const eventList: object[] = [];
  for (let first = 0; first < ITEMS && eventList.length < events; first += PER_COMMISSION) {
    eventList.push({
      type: 'ObjectEvent',
      action: 'ADD',
      eventTime: iso(start + first),
      eventTimeZoneOffset: '+00:00',
      epcList: Array.from({ length: PER_COMMISSION }, (_, i) =>
        itemEpc(BENCH_GTIN, String(first + i)),
      ),
      bizStep: 'commissioning',
      disposition: 'active',
    });
  }
  for (let i = 0; eventList.length < events; i++) {
    eventList.push({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTime: iso(start + 3_600_000 + i * 1000),
      eventTimeZoneOffset: '+00:00',
      epcList: [itemEpc(BENCH_GTIN, String(i % ITEMS))],
      bizStep: i % 2 === 0 ? 'storing' : 'inspecting',
      sensorElementList: [
        { sensorReport: [{ type: 'Temperature', value: 3 + (i % 30) / 10, uom: 'CEL' }] },
      ],
    });
  }
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: iso(start),
    epcisBody: { eventList },
  };
}

interface CliRun {
  code: number | null;
  stdout: string;
  seconds: number;
}

/** Runs the import; with `killAt`, SIGKILLs it once the journal lists that many events. */
function runImport(
  args: string[],
  env: Record<string, string>,
  journal: string,
  killAt?: number,
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer =
    killAt === undefined
      ? undefined
      : setInterval(() => {
          if (!existsSync(journal)) return;
          try {
            const landed = Object.keys(
              (JSON.parse(readFileSync(journal, 'utf8')) as { landed: object }).landed,
            ).length;
            if (landed >= killAt) child.kill('SIGKILL');
          } catch {
            // Being renamed into place: read it next time.
          }
        }, 100);
  return new Promise((done) => {
    child.once('exit', (code) => {
      if (timer) clearInterval(timer);
      done({ code, stdout, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '100000' },
      'interrupt-at': { type: 'string', default: '0.3' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    log(HELP);
    return;
  }
  const events = Number(values.events);
  const interruptAt = Number(values['interrupt-at']);
  if (!Number.isSafeInteger(events) || events < ITEMS / PER_COMMISSION + 1)
    throw new Error(`--events ${values.events}: expected a whole number of at least 11`);
  if (!(interruptAt > 0 && interruptAt < 1))
    throw new Error(
      `--interrupt-at ${values['interrupt-at']}: expected a fraction between 0 and 1`,
    );

  const dir = join(tmpdir(), `waybill-import-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  log(
    `Waybill import benchmark: ${events.toLocaleString('en')} EPCIS events, interrupted at ${Math.round(interruptAt * 100)}%`,
  );
  const network = await startNetwork({
    dir: join(dir, 'net'),
    authorities: 1,
    observers: 0,
    clients: 1,
    log,
  });
  try {
    const file = join(dir, 'events.jsonld');
    const generated = document(events);
    writeFileSync(file, JSON.stringify(generated));
    const keystore = join(dir, 'acme.json');
    const key = staffKey(0, BENCH_ORGS.maker);
    writeFileSync(
      keystore,
      JSON.stringify(
        encryptKeystore(bytesToHex(key.secretKey), PASSPHRASE, { kdfParams: { N: 2 ** 14 } }),
      ),
    );
    const env = { WAYBILL_PASSPHRASE: PASSPHRASE, WAYBILL_URL: network.entry.graphqlUrl };
    const args = ['import', 'epcis', file, '--key', keystore, '--batch', '1000'];
    const journal = `${file}.waybill-import.json`;

    const first = await runImport(args, env, journal, Math.round(events * interruptAt));
    const landedFirst = existsSync(journal)
      ? Object.keys((JSON.parse(readFileSync(journal, 'utf8')) as { landed: object }).landed).length
      : 0;
    log(
      `  first run: killed after ${first.seconds.toFixed(1)} s with ${landedFirst} events landed`,
    );
    const second = await runImport(args, env, journal);
    log(`  second run: ${second.stdout.trim()}`);
    if (second.code !== 0) throw new Error(`the resumed import exited ${String(second.code)}`);

    // Exactly once: every event hash is carried by one transaction, no two by the same.
    const hashes = readEpcis(generated).events.map((e) => epcisEventHash(e.event));
    const carriers = new Map<string, string>();
    for (let i = 0; i < hashes.length; i += 1000) {
      const { epcisEvents } = await network.entry.client.request<{
        epcisEvents: { eventHash: string; tx: string }[];
      }>('query ($h: [String!]!) { epcisEvents(eventHashes: $h) { eventHash tx } }', {
        h: hashes.slice(i, i + 1000),
      });
      for (const e of epcisEvents) carriers.set(e.eventHash, e.tx);
    }
    const distinct = new Set(carriers.values()).size;
    const exactlyOnce = carriers.size === events && distinct === events;
    const seconds = first.seconds + second.seconds;
    const results = {
      date: new Date().toISOString(),
      events,
      interruptedAfter: landedFirst,
      firstRunSeconds: first.seconds,
      secondRunSeconds: second.seconds,
      eventsPerSecond: events / seconds,
      secondRunEventsPerSecond: (events - landedFirst) / second.seconds,
      onChain: carriers.size,
      distinctTransactions: distinct,
      exactlyOnce,
    };
    log(
      `  ${events.toLocaleString('en')} events in ${seconds.toFixed(1)} s over two runs: ${Math.round(results.eventsPerSecond)} events/s (signing, submitting and waiting for finality included); on chain ${carriers.size}, distinct transactions ${distinct}: ${exactlyOnce ? 'exactly once' : 'NOT exactly once'}`,
    );
    const out = values.out ?? resolve(here, '../../results/import');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, `${results.date.slice(0, 16).replace(/[:T]/g, '-')}.json`),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    if (!exactlyOnce) process.exitCode = 1;
  } finally {
    await network.stop();
  }
}

process.once('exit', killEverything);
main().catch((error: unknown) => {
  process.stderr.write(
    `bench:import: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  killEverything();
  process.exit(1);
});
