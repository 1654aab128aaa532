/**
 * The `waybill` command line's definition: keys, networks, a node, submissions and offline
 * verification. `main.ts` runs it; tests read its commands and options.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { validateGenesis } from '@waybill/shared/block';
import { verifyBundle } from '@waybill/shared/bundle';
import { WaybillClient } from '@waybill/shared/client';
import { hexToBytes } from '@waybill/shared/encoding';
import { decryptKeystore, encryptKeystore, generateKeyPair } from '@waybill/shared/keys';
import type { CsvKind } from '@waybill/shared/csv';
import type { SignedTx } from '@waybill/shared/tx';
import { Command, InvalidArgumentError, Option } from 'commander';
import { describeSettings } from '../config/node-config.js';
import { DEVNET_DEFAULTS, runDevnet } from './devnet.js';
import {
  DEFAULT_BASE_PORT,
  NETWORK_FILE,
  NODE_ENV_FILE,
  initNetwork,
  nodeNames,
  readNetwork,
} from './init.js';
import { verdictLine, verifyStoredChain } from '../chain/verify-stored-chain.js';
import { exportEpcis, ExportError } from './export-epcis.js';
import { importCsv } from './import-csv.js';
import { importEpcis } from './import-epcis.js';

const out = (text: string) => process.stdout.write(`${text}\n`);
/** A lone `waybill start` listens on 4000; the devnet's first node is on 4001 (set WAYBILL_URL). */
const DEFAULT_URL = process.env.WAYBILL_URL ?? 'http://127.0.0.1:4000/graphql';
const URL_HELP =
  'GraphQL endpoint of the node (default: WAYBILL_URL or http://127.0.0.1:4000/graphql)';

class CliError extends Error {}

/** When the progress line was last drawn: redrawn at most every 200 ms (2 s off a terminal). */
let lastProgress = 0;

/** One line of progress on stderr, redrawn in place on a terminal. */
function progress(label: string, done: number, total: number): void {
  const now = Date.now();
  const finished = done >= total;
  if (!finished && now - lastProgress < (process.stderr.isTTY ? 200 : 2000)) return;
  lastProgress = now;
  const width = 30;
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  if (finished && process.stderr.isTTY) process.stderr.write('\n');
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number.parseInt(value, 10);
}

function checkCounts(options: { authorities: number; observers: number }): void {
  if (options.authorities < 1 || options.authorities > 100)
    throw new CliError('--authorities must be from 1 to 100');
  if (options.observers < 0 || options.observers > 100)
    throw new CliError('--observers must be from 0 to 100');
}

function checkPort(port: number): void {
  if (port < 1 || port > 65535) throw new CliError('--base-port must be from 1 to 65535');
}

/** The variables of a `KEY=value` file, as `node --env-file` reads it. */
export function readEnvFile(file: string): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read --env-file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseEnv(text);
}

/** The member key an import signs with, from its keystore and the passphrase's variable. */
function readSigningKey(options: { key?: string; passphraseEnv: string }): Uint8Array {
  if (!options.key) throw new CliError('--key <keystore> is required to submit (or use --dry-run)');
  const passphrase = process.env[options.passphraseEnv];
  if (!passphrase) throw new CliError(`set the keystore passphrase in $${options.passphraseEnv}`);
  const keystore = JSON.parse(readFileSync(options.key, 'utf8')) as unknown;
  return hexToBytes(decryptKeystore(keystore, passphrase).secretKey, 32, 'key');
}

function client(url: string): WaybillClient {
  return new WaybillClient({ url });
}

/** A new `waybill` program; `parseAsync(process.argv)` runs it. */
export function createProgram(): Command {
  const program = new Command('waybill')
    .description('Waybill: a proof-of-authority supply-chain provenance ledger')
    .showHelpAfterError();

  program
    .command('keygen')
    .description('create an Ed25519 key pair; prints the public key')
    .option('--out <file>', 'write the secret key (hex) to this file, readable only by you')
    .option(
      '--keystore <file>',
      'write an encrypted keystore file instead (passphrase from --passphrase-env)',
    )
    .option(
      '--passphrase-env <name>',
      'environment variable holding the keystore passphrase',
      'WAYBILL_PASSPHRASE',
    )
    .option('--label <label>', 'label stored in the keystore')
    .action(
      (options: { out?: string; keystore?: string; passphraseEnv: string; label?: string }) => {
        const pair = generateKeyPair();
        if (options.keystore) {
          const passphrase = process.env[options.passphraseEnv];
          if (!passphrase)
            throw new CliError(
              `set the passphrase in $${options.passphraseEnv} to write a keystore`,
            );
          writeFileSync(
            options.keystore,
            `${JSON.stringify(encryptKeystore(pair.secretKey, passphrase, { ...(options.label !== undefined && { label: options.label }) }), null, 2)}\n`,
            { mode: 0o600 },
          );
          out(`keystore written to ${options.keystore}`);
        } else if (options.out) {
          writeFileSync(options.out, `${pair.secretKey}\n`, { mode: 0o600 });
          out(`secret key written to ${options.out}`);
        } else {
          out(`secret key: ${pair.secretKey}`);
        }
        out(`public key: ${pair.publicKey}`);
      },
    );

  program
    .command('init')
    .description(
      'create keys, genesis, a data directory and a libp2p identity for each node of a new network, and network.json describing them',
    )
    .requiredOption('--dir <dir>', 'directory for the network')
    .option('--authorities <n>', 'number of authorities', integer, 1)
    .option('--observers <n>', 'number of observer nodes', integer, 0)
    .option('--chain-id <id>', 'chain id', 'waybill-local')
    .option(
      '--base-port <port>',
      'HTTP port of the first node, the next ones count up; p2p ports start 100 higher',
      integer,
      DEFAULT_BASE_PORT,
    )
    .option(
      '--hostnames',
      'reach each node at its own name (authority-1, ..., observer-1, as docker-compose.yml names its services) instead of 127.0.0.1; every node listens on 0.0.0.0 with the same ports, --base-port and 100 higher',
    )
    .option('--force', 'overwrite an existing network in --dir')
    .addOption(
      new Option(
        '--keep-existing',
        'when --dir already holds a network, keep it and exit 0 (for a set-up step that runs at every start)',
      ).conflicts('force'),
    )
    .action(
      async (options: {
        dir: string;
        authorities: number;
        observers: number;
        chainId: string;
        basePort: number;
        hostnames?: boolean;
        force?: boolean;
        keepExisting?: boolean;
      }) => {
        checkCounts(options);
        checkPort(options.basePort);
        const dir = resolve(options.dir);
        if (options.keepExisting && existsSync(join(dir, 'genesis.json'))) {
          const network = readNetwork(dir);
          out(`network ${network.chainId} already in ${dir}: kept`);
          out(`genesis ${network.genesisHash}`);
          return;
        }
        const result = await initNetwork({
          dir,
          authorities: options.authorities,
          observers: options.observers,
          chainId: options.chainId,
          basePort: options.basePort,
          ...(options.hostnames && {
            host: '0.0.0.0',
            nodeHosts: nodeNames(options.authorities, options.observers),
          }),
          ...(options.force && { force: true }),
        });
        out(`network ${result.genesis.chainId}: ${result.nodes.length} node(s)`);
        out(`genesis ${result.network.genesisHash}`);
        out(`described in ${join(result.network.dir, NETWORK_FILE)}; start each node with:`);
        for (const node of result.nodes)
          out(
            `  ${node.name.padEnd(14)} waybill start --env-file ${join(node.dataDir, NODE_ENV_FILE)}  (HTTP ${node.httpPort}, p2p ${node.p2pPort}, peer ${node.peerId})`,
          );
      },
    );

  program
    .command('start')
    .description('start a node')
    .addHelpText(
      'after',
      `\nEvery setting can also come from the environment:\n${describeSettings()}\n  ${'WAYBILL_MUTATION_RATE'.padEnd(26)} mutations per second per client[/burst] (default 50/200; off to disable)`,
    )
    .option('--data-dir <dir>', 'the node data directory (WAYBILL_DATA_DIR)')
    .option('--port <port>', 'HTTP port (WAYBILL_PORT)')
    .option('--host <host>', 'address to listen on (WAYBILL_HOST)')
    .addOption(
      new Option('--log-level <level>', 'log level (WAYBILL_LOG_LEVEL)').choices([
        'error',
        'warn',
        'info',
        'debug',
      ]),
    )
    .option(
      '--env-file <file>',
      'read settings from this file of KEY=value lines, such as the node.env that init writes; the environment and the options above win over it',
    )
    .action(
      async (options: {
        dataDir?: string;
        port?: string;
        host?: string;
        logLevel?: string;
        envFile?: string;
      }) => {
        const env = {
          ...(options.envFile !== undefined && readEnvFile(options.envFile)),
          ...process.env,
        };
        if (options.dataDir !== undefined) env.WAYBILL_DATA_DIR = options.dataDir;
        if (options.port !== undefined) env.WAYBILL_PORT = options.port;
        if (options.host !== undefined) env.WAYBILL_HOST = options.host;
        if (options.logLevel !== undefined) env.WAYBILL_LOG_LEVEL = options.logLevel;
        const { startNode } = await import('../node.js');
        await startNode(env);
      },
    );

  program
    .command('demo')
    .description(
      'start one in-process node with realistic seeded data (first run seeds it; later runs resume)',
    )
    .option('--dir <dir>', 'where the demo network lives', '.waybill/demo')
    .option('--port <port>', 'HTTP port', (v) => Number.parseInt(v, 10), 4000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--reset', 'delete the demo network and start a new one')
    .action(async (options: { dir: string; port: number; host: string; reset?: boolean }) => {
      const { runDemo } = await import('./demo.js');
      await runDemo({ ...options, reset: options.reset ?? false, log: out, progress });
    });

  program
    .command('devnet')
    .description(
      'run a local network: every node its own process, ready-checked, seeded with the demo data (what npm start runs)',
    )
    .option('--dir <dir>', 'where the network lives', DEVNET_DEFAULTS.dir)
    .option(
      '--authorities <n>',
      `number of authorities, for a new network (default ${DEVNET_DEFAULTS.authorities})`,
      integer,
    )
    .option(
      '--observers <n>',
      `number of observer nodes, for a new network (default ${DEVNET_DEFAULTS.observers})`,
      integer,
    )
    .option(
      '--base-port <port>',
      `HTTP port of the first node, the others count up; p2p ports are 100 higher (default ${DEVNET_DEFAULTS.basePort})`,
      integer,
    )
    .option('--chain-id <id>', `chain id, for a new network (default ${DEVNET_DEFAULTS.chainId})`)
    .option('--reset', 'delete the network in --dir and create a new one')
    .option('--no-seed', 'do not submit the demo data')
    .option('--exit-on-failure', 'stop every node and exit 1 when one dies')
    .addHelpText(
      'after',
      `
  The first run creates keys, genesis and network.json under --dir; later runs resume the same
  network and data. Each node logs to <dir>/<node>/node.log as well as here, and can be run by hand
  with node --env-file=<dir>/<node>/node.env backend/dist/main.js. WAYBILL_* settings in the
  environment (WAYBILL_LOG_LEVEL, WAYBILL_BLOCK_INTERVAL_MS, ...) reach every node. Each node runs
  with a V8 heap limit of WAYBILL_NODE_HEAP_MB (default 256; 0 for V8's own; a
  --max-old-space-size in NODE_OPTIONS wins) and MALLOC_ARENA_MAX=2 unless set.
  Once the demo data is on the chain, the demo organizations' admin and staff keys are written as
  encrypted keystores to <dir>/keystores/<org>-<role>-<n>.json, under the passphrase in
  WAYBILL_DEMO_PASSPHRASE (default waybill-demo).
  Ctrl-C or SIGTERM stops every node, and the command exits 0.`,
    )
    .action(
      async (options: {
        dir: string;
        authorities?: number;
        observers?: number;
        basePort?: number;
        chainId?: string;
        reset?: boolean;
        seed: boolean;
        exitOnFailure?: boolean;
      }) => {
        if (options.authorities !== undefined || options.observers !== undefined)
          checkCounts({
            authorities: options.authorities ?? DEVNET_DEFAULTS.authorities,
            observers: options.observers ?? DEVNET_DEFAULTS.observers,
          });
        if (options.basePort !== undefined) checkPort(options.basePort);
        const code = await runDevnet({
          dir: options.dir,
          ...(options.authorities !== undefined && { authorities: options.authorities }),
          ...(options.observers !== undefined && { observers: options.observers }),
          ...(options.basePort !== undefined && { basePort: options.basePort }),
          ...(options.chainId !== undefined && { chainId: options.chainId }),
          reset: options.reset ?? false,
          seed: options.seed,
          exitOnFailure: options.exitOnFailure ?? false,
          ...(process.env.WAYBILL_DEMO_PASSPHRASE && {
            demoPassphrase: process.env.WAYBILL_DEMO_PASSPHRASE,
          }),
          log: out,
          progress,
        });
        process.exit(code);
      },
    );

  program
    .command('status')
    .description("print a node's chain, height and authorities")
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .action(async (options: { url: string }) => {
      const chain = await client(options.url).chain();
      out(`chain ${chain.chainId} at height ${chain.height} (${chain.mode})`);
      out(`genesis ${chain.genesisHash}`);
      out(`head    ${chain.headHash}`);
      for (const a of chain.authorities) out(`authority ${a.publicKey} ${a.name ?? ''}`);
      const { network } = await client(options.url).request<{
        network: {
          peerId: string;
          peers: { peerId: string; address: string }[];
          consensus: { height: number; round: number; step: string };
        };
      }>('{ network { peerId peers { peerId address } consensus { height round step } } }');
      const { consensus } = network;
      out(
        `consensus deciding height ${consensus.height}, round ${consensus.round}, ${consensus.step}`,
      );
      out(`peer id ${network.peerId}, ${network.peers.length} peers`);
      for (const p of network.peers) out(`peer ${p.peerId} ${p.address}`);
    });

  program
    .command('submit')
    .description('submit a signed transaction, or a JSON array of them, from a file')
    .argument('<file>', 'JSON file holding one signed transaction or an array')
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .option('--wait', 'wait until each batch is final')
    .option('--batch <n>', 'transactions per request', (v) => Number.parseInt(v, 10), 200)
    .action(async (file: string, options: { url: string; wait?: boolean; batch: number }) => {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const txs = (Array.isArray(parsed) ? parsed : [parsed]) as SignedTx[];
      const node = client(options.url);
      let done = 0;
      let failed = 0;
      for (let i = 0; i < txs.length; i += options.batch) {
        const results = await node.submitMany(txs.slice(i, i + options.batch), {
          waitFinal: options.wait ?? false,
        });
        for (const r of results) {
          if (r.status === 'REJECTED') {
            failed++;
            process.stderr.write(
              `\n#${i + r.index} rejected: ${r.code ?? ''} ${r.message ?? ''}\n`,
            );
          }
        }
        done += results.length;
        progress('submitted', done, txs.length);
      }
      out(`${done - failed} accepted, ${failed} rejected`);
      if (failed > 0) process.exitCode = 1;
    });

  const importer = program
    .command('import')
    .description(
      'import supply-chain data: EPCIS 2.0 documents (`waybill import epcis --help`) and CSV lists (`waybill import csv --help`)',
    );
  importer
    .command('epcis')
    .description(
      'import an EPCIS 2.0 JSON/JSON-LD document: each event becomes a transaction signed with your key, submitted in batches and waited on until final; a journal beside the file lets a rerun skip what landed, and the chain refuses an event twice (docs/epcis.md)',
    )
    .argument('<file>', 'EPCIS 2.0 document, single event or array of events (JSON)')
    .option('--key <keystore>', 'keystore of the member key that signs the events')
    .option(
      '--passphrase-env <name>',
      'environment variable holding the keystore passphrase',
      'WAYBILL_PASSPHRASE',
    )
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .option('--dry-run', 'map and check every event against the chain, submit nothing')
    .option('--batch <n>', 'transactions per submission', integer, 200)
    .option('--journal <file>', 'journal of what landed (default: <file>.waybill-import.json)')
    .option(
      '--sign-only <out>',
      "sign every event, submit nothing: write the document with each event's signed transaction to <out>, for POST /epcis/capture",
    )
    .action(
      async (
        file: string,
        options: {
          key?: string;
          passphraseEnv: string;
          url: string;
          dryRun?: boolean;
          batch: number;
          journal?: string;
          signOnly?: string;
        },
      ) => {
        if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
        if (options.batch < 1 || options.batch > 1000)
          throw new CliError('--batch must be from 1 to 1000 (a submission holds at most 1,000)');
        const secretKey = options.dryRun ? undefined : readSigningKey(options);
        const started = performance.now();
        const summary = await importEpcis({
          file,
          client: client(options.url),
          ...(secretKey && { secretKey }),
          dryRun: options.dryRun ?? false,
          batch: options.batch,
          ...(options.journal !== undefined && { journalFile: options.journal }),
          ...(options.signOnly !== undefined && { signOnly: options.signOnly }),
          progress: (done, total) => {
            progress(
              options.dryRun ? 'checked' : options.signOnly !== undefined ? 'signed' : 'imported',
              done,
              total,
            );
          },
        });
        for (const p of summary.problems) {
          const where = p.index < 0 ? 'document' : `event ${p.index}`;
          process.stderr.write(
            `${where}: ${p.field ? `${p.field}: ` : ''}${p.code ? `${p.code} ` : ''}${p.message}\n`,
          );
        }
        const seconds = (performance.now() - started) / 1000;
        const rate = summary.landed > 0 ? `, ${Math.round(summary.landed / seconds)} events/s` : '';
        out(
          options.dryRun
            ? `${summary.events} events: ${summary.landed} would land, ${summary.alreadyOnChain} already on chain, ${summary.problems.length} problems`
            : options.signOnly !== undefined
              ? `${summary.events} events: ${summary.landed} signed into ${options.signOnly}, ${summary.problems.length} problems`
              : `${summary.events} events: ${summary.landed} landed, ${summary.alreadyOnChain} already on chain, ${summary.problems.length} problems (${seconds.toFixed(1)} s${rate})`,
        );
        if (summary.problems.length > 0) process.exitCode = 1;
      },
    );

  importer
    .command('csv')
    .description(
      'import a CSV list: commissioning (gtin, serial or lot and quantity, eventTime, …) or a shipment (epc or gtin+serial/lot or sscc, to, eventTime, …); rows become transactions signed with your key, submitted in batches and waited on until final; a rerun skips what landed (docs/import.md)',
    )
    .argument('<file>', 'CSV file with a header row naming the columns')
    .option('--key <keystore>', 'keystore of the member key that signs the transactions')
    .option(
      '--passphrase-env <name>',
      'environment variable holding the keystore passphrase',
      'WAYBILL_PASSPHRASE',
    )
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .addOption(
      new Option(
        '--kind <kind>',
        'what the list is (default: shipment when a column is named to)',
      ).choices(['commission', 'shipment']),
    )
    .option('--dry-run', 'read and check every row, submit nothing')
    .option('--batch <n>', 'transactions per submission', integer, 200)
    .option('--journal <file>', 'journal of what landed (default: <file>.waybill-import.json)')
    .action(
      async (
        file: string,
        options: {
          key?: string;
          passphraseEnv: string;
          url: string;
          kind?: CsvKind;
          dryRun?: boolean;
          batch: number;
          journal?: string;
        },
      ) => {
        if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
        if (options.batch < 1 || options.batch > 1000)
          throw new CliError('--batch must be from 1 to 1000 (a submission holds at most 1,000)');
        const secretKey = options.dryRun ? undefined : readSigningKey(options);
        const started = performance.now();
        const summary = await importCsv({
          file,
          client: client(options.url),
          ...(secretKey && { secretKey }),
          dryRun: options.dryRun ?? false,
          batch: options.batch,
          ...(options.kind !== undefined && { kind: options.kind }),
          ...(options.journal !== undefined && { journalFile: options.journal }),
          progress: (done, total) => {
            progress(options.dryRun ? 'checked' : 'imported', done, total);
          },
        });
        for (const p of summary.problems)
          process.stderr.write(
            `line ${p.index}: ${p.field ? `${p.field}: ` : ''}${p.code ? `${p.code} ` : ''}${p.message}\n`,
          );
        const seconds = (performance.now() - started) / 1000;
        out(
          `${summary.rows} rows (${summary.kind}), ${summary.events} transactions: ${summary.landed} ${options.dryRun ? 'would land' : 'landed'}, ${summary.alreadyOnChain} already on chain, ${summary.problems.length} problems (${seconds.toFixed(1)} s)`,
        );
        if (summary.problems.length > 0) process.exitCode = 1;
      },
    );

  const exporter = program
    .command('export')
    .description('export supply-chain data in standard forms (`waybill export epcis --help`)');
  exporter
    .command('epcis')
    .description(
      "write an item's, lot's or logistic unit's history as one EPCIS 2.0 JSON-LD document, read from the node's EPCIS query interface (docs/epcis.md)",
    )
    .argument('<epc>', 'the thing: a GS1 Digital Link URI or an EPC URN')
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .option('--out <file>', 'write the document here instead of stdout')
    .action(async (epc: string, options: { url: string; out?: string }) => {
      let document;
      try {
        document = await exportEpcis({
          url: options.url,
          epc,
          ...(options.out !== undefined && {
            progress: (events: number) => {
              process.stderr.write(`exported ${events} events\n`);
            },
          }),
        });
      } catch (error) {
        if (error instanceof ExportError) throw new CliError(error.message);
        throw error;
      }
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (options.out) {
        writeFileSync(options.out, text);
        out(`${document.epcisBody.eventList.length} events written to ${options.out}`);
      } else process.stdout.write(text);
    });

  program
    .command('verify-chain')
    .description(
      'recheck every block from genesis: hashes, certificates, transactions and state roots',
    )
    .requiredOption('--data-dir <dir>', 'the node data directory')
    .option('--genesis <file>', 'genesis file (default: <data dir>/genesis.json)')
    .action(async (options: { dataDir: string; genesis?: string }) => {
      const genesis = validateGenesis(
        JSON.parse(readFileSync(options.genesis ?? join(options.dataDir, 'genesis.json'), 'utf8')),
      );
      const verdict = await verifyStoredChain(options.dataDir, genesis, (height, total) => {
        if (height % 100 === 0 || height === total) progress('verified', height, total);
      });
      out(verdictLine(verdict, genesis));
      if (!verdict.ok) process.exitCode = 1;
    });

  program
    .command('export-bundle')
    .description('fetch the provenance bundle of an EPC from a node')
    .argument('<epc>', 'the EPC (GS1 Digital Link URI) of an item, lot or logistic unit')
    .option('--url <url>', URL_HELP, DEFAULT_URL)
    .option('--out <file>', 'write the bundle here instead of stdout')
    .action(async (epc: string, options: { url: string; out?: string }) => {
      const { bundle } = await client(options.url).request<{ bundle: unknown }>(
        'query ($epc: String!) { bundle(epc: $epc) }',
        { epc },
      );
      if (bundle === null) throw new CliError(`the node knows no thing ${epc}`);
      const text = `${JSON.stringify(bundle, null, 2)}\n`;
      if (options.out) {
        writeFileSync(options.out, text);
        out(`bundle written to ${options.out}`);
      } else process.stdout.write(text);
    });

  program
    .command('verify-bundle')
    .description('verify a provenance bundle offline and print the journey')
    .argument('<file>', 'bundle JSON file')
    .option(
      '--genesis-hash <hash>',
      'the genesis hash of the chain you trust (strongly recommended)',
    )
    .action(async (file: string, options: { genesisHash?: string }) => {
      const bundle = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!options.genesisHash)
        process.stderr.write(
          'warning: no --genesis-hash given: the bundle is checked against the genesis it carries\n',
        );
      const result = await verifyBundle(bundle, {
        ...(options.genesisHash !== undefined && { expectedGenesisHash: options.genesisHash }),
      });
      out(`${result.subject}: ${result.ok ? 'VERIFIED' : 'NOT VERIFIED'}`);
      for (const step of result.journey) {
        out(
          `  ${step.verified ? 'ok ' : 'BAD'} #${step.height} ${step.type.padEnd(20)} ${step.org?.name ?? step.signer.slice(0, 12)}${step.via ? ` (via ${step.via})` : ''}${step.reason ? `: ${step.reason}` : ''}`,
        );
      }
      for (const problem of result.problems) out(`  problem: ${problem}`);
      if (!result.ok) process.exitCode = 1;
    });

  return program;
}
