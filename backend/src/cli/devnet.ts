/**
 * `waybill devnet`: a whole local network in one command. It creates (or resumes) the keys,
 * genesis and `network.json` of N authorities and M observers, runs each node as its own
 * `node dist/main.js` process on 127.0.0.1 wired to the others (bootstrap list, allowed peers),
 * waits until every node is ready, seeds the demo data through the API once, and stops every node
 * on Ctrl-C. `createDevnet`/`startDevnet` are the programmatic surface the tests and the
 * benchmark reuse; `runDevnet` is the command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WaybillClient } from '@waybill/shared/client';
import { txHash, type SignedTx } from '@waybill/shared/tx';
import { loadAuthorityKey } from '../consensus/authority-key.js';
import { buildDemoSeed, type DemoSummary } from '../demo/index.js';
import { peerIdOfKeyFile } from '../p2p/peer-key.js';
import {
  DEFAULT_DEMO_PASSPHRASE,
  DEMO_KEYSTORE_DIR,
  writeDemoKeystores,
} from './demo-keystores.js';
import {
  DEFAULT_BASE_PORT,
  NETWORK_FILE,
  NODE_ENV_FILE,
  NetworkError,
  assignPorts,
  envFileText,
  initNetwork,
  nodeEnv,
  nodeMultiaddr,
  readNetwork,
  saveNetwork,
  type Network,
  type NetworkNode,
  type NodePorts,
  type NodeRole,
} from './init.js';

export const DEVNET_DEFAULTS = {
  dir: '.waybill/devnet',
  authorities: 4,
  observers: 1,
  basePort: DEFAULT_BASE_PORT,
  chainId: 'waybill-devnet',
  readyTimeoutMs: 60_000,
  seedTimeoutMs: 180_000,
  stopGraceMs: 5_000,
} as const;

/**
 * V8's heap limit for each node process, in MB (`WAYBILL_NODE_HEAP_MB`; 0 keeps V8's own, up to
 * 4 GB here). A node holds 90-150 MB after a collection, but without a limit V8 let its heap grow
 * to 300-550 MB between collections under load and nodes peaked at 0.6-1.1 GB resident; with 256
 * they peaked near 340 MB, at the cost of about a fifth of a wiped observer's sync speed (more
 * frequent collections). docs/benchmarks.md has the measurements.
 */
export const DEFAULT_NODE_HEAP_MB = 256;

/**
 * The node arguments and environment the devnet adds to what a node inherits: the heap limit
 * (unless NODE_OPTIONS sets one) and two malloc arenas (glibc gives every thread of SQLite's and
 * the verifier's pool its own otherwise; a variable set already wins).
 */
export function nodeProcessSettings(env: Readonly<Record<string, string | undefined>>): {
  execArgv: string[];
  env: Record<string, string>;
} {
  const raw = env.WAYBILL_NODE_HEAP_MB ?? String(DEFAULT_NODE_HEAP_MB);
  const heapMb = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(heapMb === 0 || heapMb >= 64)) {
    throw new NetworkError(
      'BAD_SETTING',
      `WAYBILL_NODE_HEAP_MB must be 0 (V8's default) or a number of MB from 64, got "${raw}"`,
    );
  }
  const heapSetAlready = /--max-old-space-size/.test(env.NODE_OPTIONS ?? '');
  return {
    execArgv: heapMb > 0 && !heapSetAlready ? [`--max-old-space-size=${heapMb}`] : [],
    env: env.MALLOC_ARENA_MAX === undefined ? { MALLOC_ARENA_MAX: '2' } : {},
  };
}

/** Per-node settings a node would otherwise share with the others: never inherited. */
const PER_NODE_VARIABLES = [
  'WAYBILL_GENESIS',
  'WAYBILL_AUTHORITY_KEY',
  'WAYBILL_P2P_KEY',
  'WAYBILL_BOOTSTRAP',
];
const SEED_BATCH = 200;
const LOG_MEMORY = 2_000;

export interface DevnetOptions {
  /** Where the network lives; a new one is created when it holds none. */
  dir: string;
  /** For a new network (default 4); when resuming, a different number is an error. */
  authorities?: number;
  /** For a new network (default 1); when resuming, a different number is an error. */
  observers?: number;
  /** First HTTP port (default 4001); p2p ports start 100 higher. Resuming with it moves the nodes. */
  basePort?: number;
  /** Explicit ports, one pair per node, authorities first (tests pick free ones). */
  ports?: readonly NodePorts[];
  /** For a new network (default waybill-devnet). */
  chainId?: string;
  /** Delete the network in `dir` and create a new one. */
  reset?: boolean;
  /** Extra environment for every node (after the network's own variables). */
  env?: Record<string, string>;
  /**
   * Passphrase of the demo keystores written once the demo data is on the chain (default
   * `waybill-demo`).
   */
  demoPassphrase?: string;
  /** The node entry point (default: dist/main.js next to this CLI). */
  nodeScript?: string;
  /** Each line a node writes, as written (also appended to `<data dir>/node.log`). */
  output?: (node: DevnetNode, line: string) => void;
  /** A node process exited that nobody asked to stop. */
  onNodeExit?: (node: DevnetNode, exit: NodeExit) => void;
  /** Every process started, e.g. for a test's kill-everything safety net. */
  onSpawn?: (child: ChildProcess) => void;
  /** Messages about what the devnet does (created, seeding, ...). */
  log?: (line: string) => void;
  progress?: (label: string, done: number, total: number) => void;
}

export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when it was stopped or killed on purpose. */
  expected: boolean;
}

export interface SeedOutcome {
  /** `seeded` now; `present` already on the chain; `skipped` (not asked for). */
  status: 'seeded' | 'present' | 'skipped';
  /** What the seed holds (absent when the chain had demo data this devnet did not record). */
  summary?: DemoSummary;
  /** The demo members' encrypted keystores (when the demo data is on the chain). */
  keystores?: { dir: string; passphrase: string; count: number };
}

interface SeedState {
  /** The `now` the seed is built for: the same seed is rebuilt when an interrupted seeding resumes. */
  now: string;
  complete: boolean;
  summary?: DemoSummary;
}

const SEED_FILE = 'seed.json';

/** True when nothing listens on `host:port`. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => {
      resolvePort(false);
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => {
        resolvePort(true);
      });
    });
  });
}

const indent = (lines: readonly string[]) =>
  lines.length > 0 ? lines.map((l) => `    ${l}`).join('\n') : '    (no output)';

/** One node of the devnet and its current process, if any. */
export class DevnetNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly dataDir: string;
  readonly publicKey: string | undefined;
  readonly peerId: string;
  readonly httpPort: number;
  readonly p2pPort: number;
  /** `http://host:port`: `/readyz`, `/healthz` and `/graphql` live under it. */
  readonly url: string;
  readonly graphqlUrl: string;
  readonly multiaddr: string;
  readonly client: WaybillClient;
  /** Everything the node writes, appended over restarts. */
  readonly logFile: string;
  /** What `node --env-file=` needs to run this node by hand. */
  readonly envFile: string;
  readonly env: Record<string, string>;
  private child: ChildProcess | undefined;
  private exit: Promise<NodeExit> | undefined;
  private lastExit: NodeExit | undefined;
  private expectExit = false;
  private readonly lines: string[] = [];

  constructor(
    network: Network,
    node: NetworkNode,
    private readonly options: Pick<DevnetOptions, 'output' | 'onNodeExit' | 'onSpawn' | 'env'> & {
      nodeScript: string;
    },
  ) {
    this.name = node.name;
    this.role = node.role;
    this.dataDir = node.dataDir;
    this.publicKey = node.publicKey;
    this.peerId = node.peerId;
    this.httpPort = node.httpPort;
    this.p2pPort = node.p2pPort;
    this.url = `http://${network.host}:${node.httpPort}`;
    this.graphqlUrl = `${this.url}/graphql`;
    this.multiaddr = nodeMultiaddr(network, node);
    this.client = new WaybillClient({ url: this.graphqlUrl });
    this.logFile = join(node.dataDir, 'node.log');
    this.envFile = join(node.dataDir, NODE_ENV_FILE);
    this.env = {
      ...nodeEnv(network, node),
      WAYBILL_LOG_LEVEL: process.env.WAYBILL_LOG_LEVEL ?? 'info',
      ...options.env,
    };
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the node wrote (up to 2000), over restarts. */
  get logs(): readonly string[] {
    return this.lines;
  }

  lastLines(count = 20): string[] {
    return this.lines.slice(-count);
  }

  /** Starts the process (it is not ready yet: see `waitReady`). */
  start(): void {
    if (this.child) return;
    writeFileSync(this.envFile, envFileText(this.env));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !PER_NODE_VARIABLES.includes(name)),
    );
    const env = { ...inherited, ...this.env };
    const settings = nodeProcessSettings(env);
    const child = spawn(process.execPath, [...settings.execArgv, this.options.nodeScript], {
      env: { ...settings.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.expectExit = false;
    this.options.onSpawn?.(child);
    const file = createWriteStream(this.logFile, { flags: 'a' });
    file.write(`--- ${new Date().toISOString()} started, pid ${String(child.pid)}\n`);
    const onLine = (line: string) => {
      this.lines.push(line);
      if (this.lines.length > LOG_MEMORY) this.lines.splice(0, this.lines.length - LOG_MEMORY);
      file.write(`${line}\n`);
      this.options.output?.(this, line);
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', onLine);
    this.exit = new Promise<NodeExit>((resolveExit) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        const exit = { code, signal, expected: this.expectExit };
        file.end(`--- ${new Date().toISOString()} ${describeExit(exit)}\n`);
        this.child = undefined;
        this.lastExit = exit;
        resolveExit(exit);
        if (!exit.expected) this.options.onNodeExit?.(this, exit);
      };
      // 'close' comes after the output is read to its end; 'error' when it could not start.
      child.once('close', finish);
      child.once('error', (error) => {
        onLine(`could not start: ${error.message}`);
        finish(null, null);
      });
    });
  }

  /** Resolves with the height once `/readyz` answers; throws when the process ends or time runs out. */
  async waitReady(timeoutMs: number = DEVNET_DEFAULTS.readyTimeoutMs): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = this.exit;
      if (!this.running || exit === undefined) {
        throw new NetworkError(
          'NODE_EXITED',
          `${this.name} ${this.lastExit ? describeExit(this.lastExit) : 'is not running'} before it was ready; its last log lines:\n${indent(this.lastLines())}\n  full log: ${this.logFile}`,
        );
      }
      const height = await this.readyHeight();
      if (height !== undefined) return height;
      if (Date.now() > deadline)
        throw new NetworkError(
          'NOT_READY',
          `${this.name} did not answer ${this.url}/readyz within ${Math.round(timeoutMs / 1000)} s; its last log lines:\n${indent(this.lastLines())}\n  full log: ${this.logFile}`,
        );
      await Promise.race([delay(100), exit]);
    }
  }

  /** The height `/readyz` reports, or undefined when the node is not (yet) ready or reachable. */
  async readyHeight(): Promise<number | undefined> {
    try {
      const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { height?: unknown };
      return typeof body.height === 'number' ? body.height : undefined;
    } catch {
      return undefined;
    }
  }

  /** Sends a signal and resolves when the process has exited (at once when it is not running). */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<NodeExit | undefined> {
    const { child, exit } = this;
    if (!child || !exit) return this.lastExit;
    this.expectExit = true;
    child.kill(signal);
    return exit;
  }

  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs: number = DEVNET_DEFAULTS.stopGraceMs): Promise<NodeExit | undefined> {
    const { child, exit } = this;
    if (!child || !exit) return this.lastExit;
    this.expectExit = true;
    child.kill('SIGTERM');
    const ac = new AbortController();
    const timedOut = await Promise.race([
      exit.then(() => false),
      delay(graceMs, true, { signal: ac.signal }).catch(() => false),
    ]);
    ac.abort();
    if (timedOut) child.kill('SIGKILL');
    return exit;
  }

  /** Stops the node if it runs, starts it again and waits until it is ready. */
  async restart(readyTimeoutMs: number = DEVNET_DEFAULTS.readyTimeoutMs): Promise<number> {
    await this.stop();
    this.start();
    return this.waitReady(readyTimeoutMs);
  }
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describeExit(exit: Pick<NodeExit, 'code' | 'signal'>): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}

/** A local network: its directory, `network.json` and one `DevnetNode` per node. */
export class Devnet {
  /** True when this devnet created the network (rather than resuming one). */
  readonly created: boolean;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly network: Network,
    readonly nodes: readonly DevnetNode[],
    created: boolean,
    private readonly options: DevnetOptions,
  ) {
    this.created = created;
  }

  get dir(): string {
    return this.network.dir;
  }

  get stopped(): boolean {
    return this.isStopping();
  }

  private isStopping(): boolean {
    return this.stopping !== undefined;
  }

  node(name: string): DevnetNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new NetworkError('NO_NETWORK', `the devnet has no node ${name}`);
    return node;
  }

  get authorities(): DevnetNode[] {
    return this.nodes.filter((n) => n.role === 'authority');
  }

  /** Starts every node and waits until each answers `/readyz`. */
  async start(readyTimeoutMs: number = DEVNET_DEFAULTS.readyTimeoutMs): Promise<void> {
    const busy: string[] = [];
    for (const node of this.nodes) {
      if (node.running) continue;
      for (const [port, what] of [
        [node.httpPort, 'HTTP'],
        [node.p2pPort, 'p2p'],
      ] as const) {
        if (!(await isPortFree(this.network.host, port)))
          busy.push(`port ${port} (${node.name} ${what}) is in use`);
      }
    }
    if (busy.length > 0)
      throw new NetworkError(
        'PORT_IN_USE',
        `${busy.join('\n')}\nIs another devnet running? Stop it, or move this one with --base-port.`,
      );
    // A stop asked for meanwhile (Ctrl-C during the checks) must not be outrun by new processes.
    if (this.stopped) throw new NetworkError('STOPPED', 'the devnet was stopped while starting');
    for (const node of this.nodes) node.start();
    try {
      await Promise.all(this.nodes.map((node) => node.waitReady(readyTimeoutMs)));
    } catch (error) {
      // Read again: stop() may have run while the nodes were starting.
      if (this.isStopping())
        throw new NetworkError('STOPPED', 'the devnet was stopped while starting');
      throw error;
    }
  }

  /** Resolves once every node given (default all) is at `height` or higher. */
  async waitForHeight(
    height: number,
    nodes: readonly DevnetNode[] = this.nodes,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const heights = await Promise.all(nodes.map((n) => n.readyHeight()));
      if (heights.every((h) => h !== undefined && h >= height)) return;
      if (Date.now() > deadline)
        throw new NetworkError(
          'NOT_READY',
          `not every node reached height ${height} within ${Math.round(timeoutMs / 1000)} s: ${nodes
            .map((n, i) => `${n.name} at ${heights[i] ?? 'unreachable'}`)
            .join(', ')}`,
        );
      await delay(100);
    }
  }

  /**
   * Submits the demo data to the first authority and waits until it is final, once per network:
   * `seed.json` records that it is done, and a seeding that was interrupted resumes with the same
   * transactions. A chain that already holds the demo organizations is left alone.
   */
  async seed(timeoutMs: number = DEVNET_DEFAULTS.seedTimeoutMs): Promise<SeedOutcome> {
    const outcome = await this.seedOnce(timeoutMs);
    // The demo data is on the chain now: its members' keystores go with it.
    const dir = join(this.dir, DEMO_KEYSTORE_DIR);
    const passphrase = this.options.demoPassphrase ?? DEFAULT_DEMO_PASSPHRASE;
    const { length } = writeDemoKeystores(dir, passphrase);
    return { ...outcome, keystores: { dir, passphrase, count: length } };
  }

  private async seedOnce(timeoutMs: number): Promise<SeedOutcome> {
    const log = this.options.log ?? (() => undefined);
    const stateFile = join(this.dir, SEED_FILE);
    const state = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as SeedState)
      : undefined;
    if (state?.complete) {
      log('the demo data is already on the chain');
      return { status: 'present', ...(state.summary && { summary: state.summary }) };
    }
    const entry = this.authorities[0];
    if (!entry)
      throw new NetworkError('SEED_FAILED', 'the devnet has no authority to seed through');
    if (!state && (await hasDemoData(entry.client))) {
      log('the chain already holds the demo data');
      return { status: 'present' };
    }
    const authority = loadAuthorityKey(join(entry.dataDir, 'authority.key'));
    if (!authority)
      throw new NetworkError('SEED_FAILED', `${entry.name} has no authority.key to seed with`);
    const now = state ? new Date(state.now) : new Date();
    if (!state) writeSeedState(stateFile, { now: now.toISOString(), complete: false });
    const seed = buildDemoSeed({ chainId: this.network.chainId, authority, now });
    log(
      `${state ? 'resuming the seeding of' : 'seeding'} ${seed.summary.transactions} demo transactions in ${seed.summary.waves} waves through ${entry.name}`,
    );
    const deadline = Date.now() + timeoutMs;
    let done = 0;
    let height = 0;
    for (const wave of seed.waves) {
      for (let i = 0; i < wave.length; i += SEED_BATCH) {
        const batch = wave.slice(i, i + SEED_BATCH);
        const results = await entry.client.submitMany(batch, { waitFinal: true });
        for (const result of results) {
          const tx = batch[result.index] as SignedTx;
          if (result.status === 'FINAL') {
            height = Math.max(height, result.height ?? 0);
          } else if (result.status === 'PENDING' || result.code === 'DUPLICATE') {
            // Still pending after the node's wait, or already sent by an interrupted seeding.
            height = Math.max(height, await waitFinal(entry.client, txHash(tx), deadline));
          } else {
            throw new NetworkError(
              'SEED_FAILED',
              `the demo seed was refused: ${tx.type} ${result.code ?? result.status} ${result.message ?? ''}`,
            );
          }
        }
        done += results.length;
        this.options.progress?.('seeding', done, seed.summary.transactions);
      }
    }
    writeFileSync(join(this.dir, 'demo-keys.json'), `${JSON.stringify(seed.keys, null, 2)}\n`, {
      mode: 0o600,
    });
    writeSeedState(stateFile, { now: now.toISOString(), complete: true, summary: seed.summary });
    log(`seeded ${seed.summary.transactions} transactions, final at height ${height}`);
    const running = this.nodes.filter((n) => n.running);
    if (running.length > 1) {
      try {
        await this.waitForHeight(height, running, 30_000);
        log(`every node has reached height ${height}`);
      } catch (error) {
        log(`warning: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { status: 'seeded', summary: seed.summary };
  }

  /** SIGTERM to every node, SIGKILL to those still running after a few seconds. Idempotent. */
  stop(graceMs: number = DEVNET_DEFAULTS.stopGraceMs): Promise<void> {
    this.stopping ??= Promise.all(this.nodes.map((n) => n.stop(graceMs))).then(() => undefined);
    return this.stopping;
  }

  /** Kills every node at once (SIGKILL), e.g. on a second Ctrl-C. */
  killAll(): void {
    for (const node of this.nodes) void node.kill('SIGKILL');
  }
}

function writeSeedState(file: string, state: SeedState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

async function hasDemoData(client: WaybillClient): Promise<boolean> {
  const { organization } = await client.request<{ organization: { id: string } | null }>(
    'query ($id: String!) { organization(id: $id) { id } }',
    { id: 'alpen-dairy' },
  );
  return organization !== null;
}

/** Polls a transaction until it is final; returns its height. */
async function waitFinal(client: WaybillClient, hash: string, deadline: number): Promise<number> {
  for (;;) {
    const tx = await client.transaction(hash);
    if (tx?.status === 'FINAL') return tx.height ?? 0;
    if (tx?.status === 'REJECTED')
      throw new NetworkError(
        'SEED_FAILED',
        `the demo seed was refused: ${tx.type ?? hash} ${tx.code ?? ''} ${tx.message ?? ''}`,
      );
    if (Date.now() > deadline)
      throw new NetworkError(
        'SEED_FAILED',
        `transaction ${hash} is not final in time: does the network finalize blocks? (check the nodes' logs); the seeding resumes on the next start`,
      );
    await delay(250);
  }
}

function defaultNodeScript(): string {
  return fileURLToPath(new URL('../main.js', import.meta.url));
}

/** Creates the network in `options.dir` or resumes the one there; starts nothing. */
export async function createDevnet(options: DevnetOptions): Promise<Devnet> {
  const dir = resolve(options.dir);
  const nodeScript = options.nodeScript ?? defaultNodeScript();
  if (!existsSync(nodeScript))
    throw new NetworkError(
      'NOT_BUILT',
      `${nodeScript} does not exist: build the node first (npm run build)`,
    );
  if (options.reset) rmSync(dir, { recursive: true, force: true });
  let network: Network;
  let created = false;
  if (existsSync(join(dir, NETWORK_FILE))) {
    network = readNetwork(dir);
    checkSameNetwork(network, options);
    network = movePorts(network, options);
    await checkPeerKeys(network);
  } else if (existsSync(join(dir, 'genesis.json'))) {
    throw new NetworkError(
      'NETWORK_EXISTS',
      `${dir} holds a network without ${NETWORK_FILE} (made by an older waybill init?): pass --reset to replace it, or choose another --dir`,
    );
  } else {
    const authorities = options.authorities ?? DEVNET_DEFAULTS.authorities;
    const observers = options.observers ?? DEVNET_DEFAULTS.observers;
    network = (
      await initNetwork({
        dir,
        authorities,
        observers,
        chainId: options.chainId ?? DEVNET_DEFAULTS.chainId,
        ...(options.basePort !== undefined && { basePort: options.basePort }),
        ...(options.ports && { ports: options.ports }),
      })
    ).network;
    created = true;
  }
  const nodes = network.nodes.map(
    (node) =>
      new DevnetNode(network, node, {
        nodeScript,
        ...(options.output && { output: options.output }),
        ...(options.onNodeExit && { onNodeExit: options.onNodeExit }),
        ...(options.onSpawn && { onSpawn: options.onSpawn }),
        ...(options.env && { env: options.env }),
      }),
  );
  return new Devnet(network, nodes, created, options);
}

function checkSameNetwork(network: Network, options: DevnetOptions): void {
  const has = (role: NodeRole) => network.nodes.filter((n) => n.role === role).length;
  const problems: string[] = [];
  if (options.authorities !== undefined && options.authorities !== has('authority'))
    problems.push(
      `${count(has('authority'), 'authority', 'authorities')}, not ${options.authorities}`,
    );
  if (options.observers !== undefined && options.observers !== has('observer'))
    problems.push(`${count(has('observer'), 'observer', 'observers')}, not ${options.observers}`);
  if (options.chainId !== undefined && options.chainId !== network.chainId)
    problems.push(`chain id ${network.chainId}, not ${options.chainId}`);
  if (problems.length > 0)
    throw new NetworkError(
      'NETWORK_MISMATCH',
      `the network in ${network.dir} has ${problems.join(' and ')}: pass --reset to replace it, or choose another --dir`,
    );
}

/** Resuming with other ports moves the nodes there (ports are not part of a node's identity). */
function movePorts(network: Network, options: DevnetOptions): Network {
  const ports =
    options.ports ??
    (options.basePort !== undefined
      ? assignPorts(network.nodes.length, options.basePort)
      : undefined);
  if (!ports) return network;
  if (ports.length !== network.nodes.length)
    throw new NetworkError(
      'BAD_PORTS',
      `${ports.length} port pairs given for ${network.nodes.length} nodes`,
    );
  const same = network.nodes.every(
    (n, i) => n.httpPort === ports[i]?.http && n.p2pPort === ports[i].p2p,
  );
  if (same) return network;
  const moved: Network = {
    ...network,
    nodes: network.nodes.map((n, i) => ({
      ...n,
      httpPort: (ports[i] as NodePorts).http,
      p2pPort: (ports[i] as NodePorts).p2p,
    })),
  };
  saveNetwork(moved);
  return moved;
}

async function checkPeerKeys(network: Network): Promise<void> {
  for (const node of network.nodes) {
    const file = join(node.dataDir, 'p2p.key');
    let peerId: string;
    try {
      peerId = await peerIdOfKeyFile(file);
    } catch (error) {
      throw new NetworkError(
        'PEER_KEY_MISMATCH',
        `${node.name}: ${error instanceof Error ? error.message : String(error)}; pass --reset to recreate the network`,
      );
    }
    if (peerId !== node.peerId)
      throw new NetworkError(
        'PEER_KEY_MISMATCH',
        `${file} is peer ${peerId}, but ${NETWORK_FILE} names ${node.peerId}: pass --reset to recreate the network`,
      );
  }
}

/** Creates or resumes the network, starts every node, waits until ready and seeds (unless `seed: false`). */
export async function startDevnet(
  options: DevnetOptions & { seed?: boolean; readyTimeoutMs?: number; seedTimeoutMs?: number },
): Promise<Devnet & { seeded: SeedOutcome }> {
  const devnet = await createDevnet(options);
  try {
    await devnet.start(options.readyTimeoutMs);
    const seeded: SeedOutcome =
      options.seed === false ? { status: 'skipped' } : await devnet.seed(options.seedTimeoutMs);
    return Object.assign(devnet, { seeded });
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The command

export interface RunDevnetOptions {
  dir: string;
  authorities?: number;
  observers?: number;
  basePort?: number;
  chainId?: string;
  reset: boolean;
  seed: boolean;
  exitOnFailure: boolean;
  /** Passphrase of the demo keystores (default `waybill-demo`). */
  demoPassphrase?: string;
  log: (line: string) => void;
  progress: (label: string, done: number, total: number) => void;
  /** Where the nodes' prefixed lines go (default stdout). */
  write?: (text: string) => void;
}

const COLORS = [36, 33, 35, 32, 34, 31];
/** Nest's start-up chatter: kept in node.log, left off the terminal unless WAYBILL_LOG_LEVEL=debug. */
const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'GraphQLModule',
]);

/** A node's JSON log line as `12:00:01.123 info  [context] message`; other lines as they are. */
export function formatLogLine(line: string, verbose = false): string | undefined {
  let entry: { level?: unknown; timestamp?: unknown; message?: unknown; context?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || typeof entry.message !== 'string') return line;
  const context = typeof entry.context === 'string' ? entry.context : '';
  if (!verbose && entry.level === 'log' && BOOT_CONTEXTS.has(context)) return undefined;
  const level = entry.level === 'log' ? 'info' : String(entry.level);
  const time =
    typeof entry.timestamp === 'number'
      ? new Date(entry.timestamp).toISOString().slice(11, 23)
      : '';
  return `${time} ${level.padEnd(5)} ${context ? `[${context}] ` : ''}${entry.message}`;
}

/**
 * Runs the devnet until SIGINT or SIGTERM; resolves with the exit code (0 after a clean stop).
 * A node that dies is reported and the others keep running, unless `exitOnFailure`.
 */
export async function runDevnet(options: RunDevnetOptions): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const { log } = options;
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const verbose = process.env.WAYBILL_LOG_LEVEL === 'debug';
  let width = 0;
  // Until every node is ready, a node that dies fails the start instead (with its log lines).
  let started = false;
  let failed: () => void = () => undefined;
  const devnet = await createDevnet({
    dir: options.dir,
    ...(options.authorities !== undefined && { authorities: options.authorities }),
    ...(options.observers !== undefined && { observers: options.observers }),
    ...(options.basePort !== undefined && { basePort: options.basePort }),
    ...(options.chainId !== undefined && { chainId: options.chainId }),
    reset: options.reset,
    ...(options.demoPassphrase !== undefined && { demoPassphrase: options.demoPassphrase }),
    log,
    progress: options.progress,
    output: (node, line) => {
      const text = formatLogLine(line, verbose);
      if (text === undefined) return;
      const prefix = `${node.name.padEnd(width)} |`;
      const index = devnet.nodes.indexOf(node) % COLORS.length;
      write(`${color ? `\u001b[${String(COLORS[index])}m${prefix}\u001b[0m` : prefix} ${text}\n`);
    },
    onNodeExit: (node, exit) => {
      if (devnet.stopped || !started) return;
      log('');
      log(
        `✖ ${node.name} ${describeExit(exit)} unexpectedly; its last log lines:\n${indent(node.lastLines())}\n  full log: ${node.logFile}`,
      );
      if (options.exitOnFailure) {
        log('stopping the devnet (--exit-on-failure)');
        failed();
      } else if (!devnet.nodes.some((n) => n.running)) {
        log('no node is left running: stopping the devnet');
        failed();
      } else {
        log(
          `  the other nodes keep running; to restart ${node.name} by hand:\n    node --env-file=${relative(process.cwd(), node.envFile)} ${relative(process.cwd(), defaultNodeScript())}`,
        );
      }
    },
  });
  width = Math.max(...devnet.nodes.map((n) => n.name.length));

  // Resolved with the exit code once the devnet has stopped.
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => {
    finish = r;
  });
  const stop = (code: number) => {
    void devnet.stop().then(() => {
      finish(code);
    });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (devnet.stopped) {
      log(`${signal} again: killing every node`);
      devnet.killAll();
      return;
    }
    log(`\n${signal}: stopping ${devnet.nodes.length} node(s)...`);
    stop(0);
  };
  failed = () => {
    if (!devnet.stopped) stop(1);
  };
  const lastResort = () => {
    devnet.killAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', lastResort);
  try {
    const authorities = devnet.authorities.length;
    const observers = devnet.nodes.length - authorities;
    log(
      `${devnet.created ? 'created a new devnet' : 'resuming the devnet'} ${devnet.network.chainId} in ${devnet.dir}: ${count(authorities, 'authority', 'authorities')}, ${count(observers, 'observer', 'observers')}`,
    );
    log(`starting ${devnet.nodes.length} node(s)...`);
    let seeded: SeedOutcome = { status: 'skipped' };
    try {
      await devnet.start();
      started = true;
      log(`every node is ready`);
      if (options.seed) seeded = await devnet.seed();
    } catch (error) {
      if (devnet.stopped) return await finished;
      await devnet.stop();
      throw error;
    }
    if (devnet.stopped) return await finished;
    printTable(devnet, seeded, log);
    return await finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', lastResort);
  }
}

function printTable(devnet: Devnet, seeded: SeedOutcome, log: (line: string) => void): void {
  const rows = [
    ['node', 'role', 'pid', 'GraphQL', 'health', 'p2p'],
    ...devnet.nodes.map((n) => [
      n.name,
      n.role,
      String(n.pid ?? '-'),
      n.graphqlUrl,
      `${n.url}/readyz`,
      n.multiaddr,
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => r[c]?.length ?? 0))) ?? [];
  log('');
  log(`Waybill devnet ${devnet.network.chainId}, genesis ${devnet.network.genesisHash}`);
  for (const row of rows)
    log(`  ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')}`.trimEnd());
  log('');
  log(`  network  ${join(devnet.dir, NETWORK_FILE)}`);
  log(`  logs     ${join(devnet.dir, '<node>', 'node.log')}`);
  if (seeded.keystores) {
    const { dir, passphrase, count: files } = seeded.keystores;
    log(`  keystores ${dir} (${String(files)} demo admin and staff keys, <org>-<role>-<n>.json)`);
    log(`            passphrase: ${passphrase}`);
  }
  if (seeded.summary) {
    log(`  staff keys (demo only) in ${join(devnet.dir, 'demo-keys.json')}`);
    log('  things worth opening:');
    for (const [name, value] of Object.entries(seeded.summary.featured))
      log(`    ${name.padEnd(18)} ${value}`);
  }
  log('');
  log(`Press Ctrl-C to stop every node (or send SIGTERM to pid ${process.pid}).`);
}
