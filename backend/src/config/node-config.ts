/**
 * The node's runtime settings, read once at start from environment variables (the CLI maps its
 * flags onto the same names) and validated into a typed object. Every problem is reported at once,
 * each naming the variable and what to put there.
 */
import { isAbsolute, join, resolve } from 'node:path';

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
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  const config: NodeConfig = {
    dataDir,
    genesisFile: inData(text('genesisFile'), 'genesis.json'),
    authorityKeyFile: inData(text('authorityKeyFile'), 'authority.key'),
    host: text('host') ?? '127.0.0.1',
    port: integer('port', 4000, 0, 65535),
    blockIntervalMs: integer('blockIntervalMs', 250, 1, 60_000),
    maxBlockTxs: integer('maxBlockTxs', 2000, 1, 100_000),
    heartbeatMs: integer('heartbeatMs', 10_000, 100, 3_600_000),
    mempoolMaxSize: integer('mempoolMaxSize', 20_000, 1, 10_000_000),
    logLevel: logLevel as LogLevel,
    maxBodyBytes: integer('maxBodyBytes', 4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
