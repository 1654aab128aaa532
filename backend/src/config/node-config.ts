/**
 * The node's runtime settings, read once at start from environment variables (the CLI maps its
 * flags onto the same names) and validated into a typed object. Every problem is reported at once,
 * each naming the variable and what to put there.
 */
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';

export interface NodeConfig {
  /** Directory holding the database, genesis and keys of this node. */
  dataDir: string;
  genesisFile: string;
  /** File with this node's authority secret key (hex); absent for observers. */
  authorityKeyFile: string;
  host: string;
  port: number;
  /** Longest wait before pending transactions go into a block. */
  blockIntervalMs: number;
  maxBlockTxs: number;
  /** An empty block is made when nothing happened for this long. */
  heartbeatMs: number;
  mempoolMaxSize: number;
  logLevel: LogLevel;
  /** Maximum accepted HTTP body, in bytes. */
  maxBodyBytes: number;
  /**
   * Browser origins allowed to call the HTTP API (CORS), each as `scheme://host[:port]`, or `*`
   * for any: the read API is public and writes are signed, so `*` is the default.
   */
  corsOrigins: CorsOrigins;
  /**
   * The explorer's public address (`scheme://host[:port]`): where the Digital Link resolver sends
   * a browser for a product's page. Without it the resolver answers with its link set.
   */
  explorerUrl?: string;
  /**
   * When start-up runs SQLite's full integrity check (every page): `auto` after a crash or when
   * the file changed since the node's last clean stop, `always` at every start.
   */
  integrityCheck: IntegrityCheck;
  // --- p2p (the libp2p host, backend/src/p2p) ---
  /** Address the libp2p TCP transport listens on. */
  p2pHost: string;
  /** libp2p TCP port; 0 picks a free one. */
  p2pPort: number;
  /** Static peers, full multiaddrs ending in /p2p/<peer id>, dialled at start and redialled. */
  bootstrap: string[];
  /**
   * Permissioned mode: only these peer ids may connect either way. `['*']`: anyone. Empty: the
   * default, which `allowedPeersFor` resolves (an authority takes its bootstrap peers).
   */
  allowedPeers: string[];
  /** File with this node's libp2p identity (created on first start). */
  peerKeyFile: string;
  /** Largest gossip message and request/response frame, in bytes. */
  maxMessageBytes: number;
  /** How long a penalized peer is disconnected and refused, in ms. */
  peerPenaltyMs: number;
  /**
   * How long a round waits for its proposal; prevote and precommit waits are a third of it, and
   * each later round waits a third longer.
   */
  roundTimeoutMs: number;
  // --- end p2p ---
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type CorsOrigins = '*' | readonly string[];
export type LogLevel = (typeof LOG_LEVELS)[number];
export const INTEGRITY_CHECKS = ['auto', 'always'] as const;
export type IntegrityCheck = (typeof INTEGRITY_CHECKS)[number];

/** Variable name, default, and how to read it. */
const SETTINGS = {
  dataDir: { env: 'WAYBILL_DATA_DIR', help: 'directory for the database, genesis and keys' },
  genesisFile: { env: 'WAYBILL_GENESIS', help: 'genesis file (default: <data dir>/genesis.json)' },
  authorityKeyFile: {
    env: 'WAYBILL_AUTHORITY_KEY',
    help: 'authority key file (default: <data dir>/authority.key)',
  },
  host: { env: 'WAYBILL_HOST', help: 'address to listen on (default 127.0.0.1)' },
  port: { env: 'WAYBILL_PORT', help: 'HTTP port for GraphQL and health (default 4000)' },
  blockIntervalMs: { env: 'WAYBILL_BLOCK_INTERVAL_MS', help: 'block interval in ms (default 250)' },
  maxBlockTxs: {
    env: 'WAYBILL_MAX_BLOCK_TXS',
    help: 'maximum transactions per block (default 2000)',
  },
  heartbeatMs: {
    env: 'WAYBILL_HEARTBEAT_MS',
    help: 'empty heartbeat block interval in ms (default 10000)',
  },
  mempoolMaxSize: {
    env: 'WAYBILL_MEMPOOL_MAX',
    help: 'maximum pending transactions (default 20000)',
  },
  logLevel: {
    env: 'WAYBILL_LOG_LEVEL',
    help: `log level: ${LOG_LEVELS.join(', ')} (default info)`,
  },
  maxBodyBytes: {
    env: 'WAYBILL_MAX_BODY_BYTES',
    help: 'largest HTTP request body (default 4194304)',
  },
  corsOrigins: {
    env: 'WAYBILL_CORS_ORIGINS',
    help: 'browser origins allowed to call the API (CORS), comma-separated, or * (default *)',
  },
  explorerUrl: {
    env: 'WAYBILL_EXPLORER_URL',
    help: 'the explorer address the Digital Link resolver sends browsers to, e.g. https://explorer.example.org (default: none, answer the link set)',
  },
  integrityCheck: {
    env: 'WAYBILL_INTEGRITY_CHECK',
    help: 'full SQLite integrity check at start: auto = after a crash or an outside change to the file, always = every start (default auto)',
  },
  // --- p2p ---
  p2pHost: { env: 'WAYBILL_P2P_HOST', help: 'address libp2p listens on (default: WAYBILL_HOST)' },
  p2pPort: { env: 'WAYBILL_P2P_PORT', help: 'libp2p TCP port, 0 = any free port (default 4100)' },
  bootstrap: {
    env: 'WAYBILL_BOOTSTRAP',
    help: 'comma-separated peer multiaddrs, each ending in /p2p/<peer id>',
  },
  allowedPeers: {
    env: 'WAYBILL_ALLOWED_PEERS',
    help: 'comma-separated peer ids allowed to connect, or * for anyone (default: an authority accepts only its WAYBILL_BOOTSTRAP peers, an observer anyone)',
  },
  peerKeyFile: {
    env: 'WAYBILL_P2P_KEY',
    help: 'libp2p identity file (default: <data dir>/p2p.key)',
  },
  maxMessageBytes: {
    env: 'WAYBILL_MAX_MESSAGE_BYTES',
    help: 'largest gossip message or sync frame (default 8388608)',
  },
  peerPenaltyMs: {
    env: 'WAYBILL_P2P_PENALTY_MS',
    help: 'how long a misbehaving peer is refused, in ms (default 60000)',
  },
  // --- end p2p ---
  roundTimeoutMs: {
    env: 'WAYBILL_ROUND_TIMEOUT_MS',
    help: 'consensus: wait for a proposal in ms; the same on every authority (default 1500)',
  },
} as const satisfies Record<keyof NodeConfig, { env: string; help: string }>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: string[]) {
    super(`invalid node configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** One line per setting, for `--help`. */
export function describeSettings(): string {
  return Object.values(SETTINGS)
    .map((s) => `  ${s.env.padEnd(26)} ${s.help}`)
    .join('\n');
}

export function loadNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const problems: string[] = [];
  const text = (key: keyof NodeConfig) => {
    const value = env[SETTINGS[key].env]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (key: keyof NodeConfig, fallback: number, min: number, max: number): number => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${SETTINGS[key].env}="${raw}": expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const dir = text('dataDir');
  if (dir === undefined)
    problems.push(`${SETTINGS.dataDir.env} is required: the ${SETTINGS.dataDir.help}`);
  const dataDir = resolve(dir ?? '.');
  const inData = (value: string | undefined, name: string) =>
    value === undefined ? join(dataDir, name) : isAbsolute(value) ? value : resolve(value);
  const logLevel = text('logLevel') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(
      `${SETTINGS.logLevel.env}="${logLevel}": expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const integrityCheck = text('integrityCheck') ?? 'auto';
  if (!(INTEGRITY_CHECKS as readonly string[]).includes(integrityCheck)) {
    problems.push(
      `${SETTINGS.integrityCheck.env}="${integrityCheck}": expected one of ${INTEGRITY_CHECKS.join(', ')}`,
    );
  }
  const config: NodeConfig = {
    dataDir,
    genesisFile: inData(text('genesisFile'), 'genesis.json'),
    authorityKeyFile: inData(text('authorityKeyFile'), 'authority.key'),
    host: text('host') ?? '127.0.0.1',
    port: integer('port', 4000, 0, 65535),
    blockIntervalMs: integer('blockIntervalMs', 250, 1, 60_000),
    maxBlockTxs: integer('maxBlockTxs', 2000, 1, 100_000),
    heartbeatMs: integer('heartbeatMs', 10_000, 10, 3_600_000),
    mempoolMaxSize: integer('mempoolMaxSize', 20_000, 1, 10_000_000),
    logLevel: logLevel as LogLevel,
    maxBodyBytes: integer('maxBodyBytes', 4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    corsOrigins: corsOrigins(text('corsOrigins'), problems),
    ...explorerUrl(text('explorerUrl'), problems),
    integrityCheck: integrityCheck as IntegrityCheck,
    // --- p2p ---
    p2pHost: p2pHost(text('p2pHost') ?? text('host') ?? '127.0.0.1', problems),
    p2pPort: integer('p2pPort', 4100, 0, 65535),
    bootstrap: list(text('bootstrap')).filter((entry) => {
      const problem = bootstrapProblem(entry);
      if (problem !== undefined) problems.push(`${SETTINGS.bootstrap.env}: "${entry}" ${problem}`);
      return problem === undefined;
    }),
    allowedPeers: list(text('allowedPeers')).filter((entry) => {
      const ok = entry === '*' || isPeerId(entry);
      if (!ok) problems.push(`${SETTINGS.allowedPeers.env}: "${entry}" is not a libp2p peer id`);
      return ok;
    }),
    peerKeyFile: inData(text('peerKeyFile'), 'p2p.key'),
    maxMessageBytes: integer('maxMessageBytes', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    peerPenaltyMs: integer('peerPenaltyMs', 60_000, 0, 86_400_000),
    roundTimeoutMs: integer('roundTimeoutMs', 1500, 30, 600_000),
    // --- end p2p ---
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function explorerUrl(value: string | undefined, problems: string[]): { explorerUrl?: string } {
  if (value === undefined) return {};
  const origin = originOf(value.replace(/\/+$/, ''));
  if (origin === undefined) {
    problems.push(
      `${SETTINGS.explorerUrl.env}: "${value}" is not an address: expected scheme, host and optional port, such as https://explorer.example.org (no path)`,
    );
    return {};
  }
  return { explorerUrl: origin };
}

/**
 * `*`, or a list of origins normalized as browsers send them in `Origin` (lower-case host, no
 * default port, no trailing slash).
 */
function corsOrigins(value: string | undefined, problems: string[]): CorsOrigins {
  if (value === undefined || value === '*') return '*';
  const { env } = SETTINGS.corsOrigins;
  const origins: string[] = [];
  for (const entry of list(value)) {
    if (entry === '*') {
      problems.push(`${env}: * stands alone (any origin); remove it or the other origins`);
      continue;
    }
    const origin = originOf(entry);
    if (origin === undefined) {
      problems.push(
        `${env}: "${entry}" is not an origin: expected scheme, host and optional port, such as https://explorer.example.org or http://localhost:3000 (no path), or * for any`,
      );
      continue;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (list(value).length === 0) problems.push(`${env}="${value}": give origins, or * for any`);
  return origins;
}

function originOf(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const bare =
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !entry.endsWith('?') &&
    !entry.endsWith('#');
  return bare ? url.origin : undefined;
}

// --- p2p ---
/** `a, b,,c` → `['a', 'b', 'c']`. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** libp2p listens on an IP address; `localhost` means 127.0.0.1. */
function p2pHost(value: string, problems: string[]): string {
  if (value === 'localhost') return '127.0.0.1';
  if (isIP(value) === 0) {
    problems.push(
      `${SETTINGS.p2pHost.env}="${value}": expected an IP address such as 0.0.0.0 or 10.0.0.2 (set it when WAYBILL_HOST is a name)`,
    );
  }
  return value;
}

function isPeerId(value: string): boolean {
  try {
    peerIdFromString(value);
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a bootstrap entry, or undefined when it is a dialable TCP address of a peer. */
function bootstrapProblem(entry: string): string | undefined {
  let components: { name: string; value?: string }[];
  try {
    components = multiaddr(entry).getComponents();
  } catch {
    return 'is not a multiaddr (expected e.g. /ip4/10.0.0.2/tcp/4100/p2p/12D3KooW...)';
  }
  const last = components.at(-1);
  if (last?.name !== 'p2p' || last.value === undefined) return 'does not end in /p2p/<peer id>';
  if (!isPeerId(last.value)) return `ends in /p2p/${last.value}, which is not a peer id`;
  if (!components.some((c) => c.name === 'tcp'))
    return 'has no /tcp/<port> (only TCP is supported)';
  return undefined;
}
// --- end p2p ---
