/**
 * Starts what the journeys run against, on free loopback ports: a fresh devnet (four authorities
 * and an observer, each its own process, seeded with the demo data) and the explorer's production
 * server reading the observer. Returns the teardown, which stops both process groups (and a node
 * a test restarted); when set-up itself fails, it stops whatever it had started before throwing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeQrVideo } from './camera.js';
import {
  ARTIFACTS_DIR,
  BACKEND_CLI,
  CAMERA_FILE,
  DEVNET_DIR,
  FRONTEND_DIR,
  GROUPS_FILE,
  NODE_SCRIPT,
  RUN_DIR,
  SCREENSHOTS_DIR,
  STATE_FILE,
} from './paths.js';
import {
  freeDevnetBase,
  freePort,
  recordedGroups,
  GaveUp,
  startGroup,
  stopGroups,
  waitFor,
  type Started,
} from './processes.js';
import type { Featured, RunState } from './state.js';

const NODES = 5;
const NEXT_BIN = join(FRONTEND_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');

function log(message: string): void {
  process.stdout.write(`[e2e set-up] ${message}\n`);
}

/** The process with this id still runs something of ours (ids are reused after a while). */
function ours(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8');
    return /backend\/dist|next-server|next\/dist\/bin\/next/.test(cmdline);
  } catch {
    return false;
  }
}

/** A run that was killed before its teardown may have left processes: stop them first. */
async function sweepEarlierRun(): Promise<void> {
  const stale = recordedGroups().filter(ours);
  if (stale.length > 0) {
    log(`stopping ${String(stale.length)} process group(s) left by an earlier run`);
    await stopGroups(stale);
  }
}

function ensureBuilt(): void {
  if (!existsSync(NODE_SCRIPT) || !existsSync(BACKEND_CLI)) {
    throw new Error(
      'backend/dist is missing: build the node first (npm run build at the repository root).',
    );
  }
  if (existsSync(join(FRONTEND_DIR, '.next', 'BUILD_ID'))) return;
  log('frontend/.next is missing: building the explorer (next build)…');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: FRONTEND_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('next build failed; see its output above');
}

/** Waits for a line in a process's output; fails at once when the process exits first. */
function waitForOutput(started: Started, what: string, pattern: RegExp, timeoutMs: number) {
  return waitFor(
    what,
    () => {
      if (pattern.test(started.output())) return Promise.resolve(true);
      if (started.child.exitCode !== null || started.child.signalCode !== null) {
        const tail = started.output().split('\n').slice(-30).join('\n');
        throw new GaveUp(`the process exited first; its last output:\n${tail}`);
      }
      return Promise.resolve(undefined);
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((error: unknown) => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    throw error instanceof GaveUp ? new GaveUp(message) : new Error(message);
  });
}

async function request(url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${String(response.status)}`);
  return body === undefined ? response.text() : response.json();
}

interface Network {
  genesisHash: string;
  host: string;
  nodes: { name: string; role: string; dataDir: string; httpPort: number }[];
}

/** Another item the bottle's holder has in the same state: handed over beside it, by camera. */
async function pickScannedItem(nodeUrl: string, bottle: string): Promise<string> {
  const query = `query ($epc: String!) { thing(epc: $epc) { custodian gtin } }`;
  const found = (await request(nodeUrl, { query, variables: { epc: bottle } })) as {
    data: { thing: { custodian: string; gtin: string } };
  };
  const { custodian, gtin } = found.data.thing;
  const list = (await request(nodeUrl, {
    query: `query ($org: String!, $gtin: String!) {
      products(custodian: $org, gtin: $gtin, status: "active", first: 50) {
        things { epc parent pendingTransfer }
      }
    }`,
    variables: { org: custodian, gtin },
  })) as {
    data: {
      products: {
        things: { epc: string; parent: string | null; pendingTransfer: string | null }[];
      };
    };
  };
  const other = list.data.products.things.find(
    (t) => t.epc !== bottle && t.parent === null && t.pendingTransfer === null,
  );
  if (!other) throw new Error(`${custodian} holds no other loose item of ${gtin}`);
  return other.epc;
}

/**
 * Starts and seeds the devnet; a second time on other ports when it dies before it is ready (a
 * port taken in the meantime by another program).
 */
async function startDevnet(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const base = await freeDevnetBase(NODES);
    log(`devnet on 127.0.0.1:${String(base)}–${String(base + NODES - 1)}, seeding…`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // An empty block every 2 s while nothing happens, so live updates are seen quickly.
      WAYBILL_HEARTBEAT_MS: '2000',
      WAYBILL_LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    const devnet = startGroup(
      process.execPath,
      [BACKEND_CLI, 'devnet', '--dir', DEVNET_DIR, '--base-port', String(base), '--reset'],
      { cwd: ARTIFACTS_DIR, env, logFile: join(RUN_DIR, 'devnet.log') },
    );
    try {
      await waitForOutput(devnet, 'the devnet to start and seed', /Press Ctrl-C/, 240_000);
      return;
    } catch (error) {
      await stopGroups([devnet.pid]);
      if (attempt >= 2 || !(error instanceof GaveUp)) throw error;
      log(`the devnet stopped before it was ready; trying other ports (${error.message})`);
    }
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const started = Date.now();
  await sweepEarlierRun();
  rmSync(RUN_DIR, { recursive: true, force: true });
  rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  writeFileSync(GROUPS_FILE, '');

  const teardown = async () => {
    await stopGroups(recordedGroups());
  };

  try {
    ensureBuilt();
    await startDevnet();
    log(`devnet seeded in ${String(Math.round((Date.now() - started) / 1000))} s`);

    const network = JSON.parse(readFileSync(join(DEVNET_DIR, 'network.json'), 'utf8')) as Network;
    const seed = JSON.parse(readFileSync(join(DEVNET_DIR, 'seed.json'), 'utf8')) as {
      summary: { featured: Featured };
    };
    const observer = network.nodes.find((n) => n.role === 'observer') ?? network.nodes[0];
    if (!observer) throw new Error('network.json lists no nodes');
    const nodeUrl = `http://${network.host}:${String(observer.httpPort)}/graphql`;
    const authority = network.nodes.find((n) => n.role === 'authority') ?? observer;
    const authorityUrl = `http://${network.host}:${String(authority.httpPort)}/graphql`;
    const { featured } = seed.summary;
    const scannedItem = await pickScannedItem(nodeUrl, featured.bottle);
    writeQrVideo(CAMERA_FILE, scannedItem);

    const port = await freePort();
    const explorerUrl = `http://127.0.0.1:${String(port)}`;
    const explorer = startGroup(
      process.execPath,
      [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)],
      {
        cwd: FRONTEND_DIR,
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: '1',
          NODE_ENV: 'production',
          WAYBILL_NODE_URL: nodeUrl,
          WAYBILL_PUBLIC_NODE_URL: nodeUrl,
          WAYBILL_GENESIS_HASH: network.genesisHash,
        },
        logFile: join(RUN_DIR, 'explorer.log'),
      },
    );
    await waitFor(
      'the explorer to answer',
      async () => {
        if (explorer.child.exitCode !== null) {
          throw new GaveUp(`next start exited:\n${explorer.output()}`);
        }
        return (await request(`${explorerUrl}/`)) ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );

    const state: RunState = {
      explorerUrl,
      nodeUrl,
      nodeName: observer.name,
      authorityUrl,
      nodeEnvFile: join(DEVNET_DIR, observer.dataDir, 'node.env'),
      genesisHash: network.genesisHash,
      devnetDir: DEVNET_DIR,
      keystoresDir: join(DEVNET_DIR, 'keystores'),
      featured,
      scannedItem,
    };
    writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
    process.env.WAYBILL_E2E_EXPLORER_URL = explorerUrl;
    log(
      `explorer ${explorerUrl} reading ${observer.name}; ready in ${String(Math.round((Date.now() - started) / 1000))} s`,
    );
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
