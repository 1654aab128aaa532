/**
 * `waybill init`: keys, genesis and one data directory per node of a new network, and the
 * `network.json` that describes it (who is who, which ports, which peer ids) so the devnet, a
 * docker-compose file or a human knows how to start each node and how they find each other.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { genesisHash as hashOfGenesis, type GenesisConfig } from '@waybill/shared/block';
import { generateKeyPair } from '@waybill/shared/keys';
import { loadOrCreatePeerKey } from '../p2p/peer-key.js';

export type NetworkErrorCode =
  | 'NETWORK_EXISTS'
  | 'NO_NETWORK'
  | 'BAD_NETWORK_FILE'
  | 'BAD_PORTS'
  | 'NETWORK_MISMATCH'
  | 'PEER_KEY_MISMATCH'
  | 'PORT_IN_USE'
  | 'NOT_BUILT'
  | 'BAD_SETTING'
  | 'NOT_READY'
  | 'NODE_EXITED'
  | 'SEED_FAILED'
  | 'STOPPED';

/** Failures of creating, reading or running a local network; the message says what to do. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    readonly code: NetworkErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type NodeRole = 'authority' | 'observer';

/** One node as `network.json` stores it. */
export interface NetworkNodeEntry {
  /** `authority-1`, ..., `observer-1`, ...: also the name of its data directory. */
  name: string;
  role: NodeRole;
  /** Its data directory, relative to the network directory. */
  dataDir: string;
  /** The authority's Ed25519 public key (hex), as in genesis; absent for observers. */
  publicKey?: string;
  /** Its libp2p peer id, from `<data dir>/p2p.key`. */
  peerId: string;
  /** GraphQL, `/healthz` and `/readyz` (WAYBILL_PORT). */
  httpPort: number;
  /** libp2p TCP (WAYBILL_P2P_PORT). */
  p2pPort: number;
  /** Where the other nodes reach it (an IP or a DNS name); absent: the network's `host`. */
  host?: string;
}

/** The content of `network.json`. */
export interface NetworkFile {
  version: 1;
  chainId: string;
  genesisHash: string;
  /** The address every node listens on, and is reached at unless the node names its own host. */
  host: string;
  nodes: NetworkNodeEntry[];
}

/** A node of a network read from disk: its data directory made absolute. */
export interface NetworkNode extends NetworkNodeEntry {
  dataDir: string;
}

export interface Network {
  /** The network directory (absolute). */
  dir: string;
  chainId: string;
  genesisHash: string;
  host: string;
  nodes: NetworkNode[];
}

export interface NodePorts {
  http: number;
  p2p: number;
}

export const NETWORK_FILE = 'network.json';
/** Each node's settings, `KEY=value` lines, for `waybill start --env-file` or `node --env-file`. */
export const NODE_ENV_FILE = 'node.env';
export const DEFAULT_BASE_PORT = 4001;
/** p2p ports start this far above the HTTP ones (4001 → 4101). */
export const P2P_PORT_OFFSET = 100;

export interface InitOptions {
  dir: string;
  authorities: number;
  observers: number;
  chainId: string;
  /** Names of the authorities, in order; defaults to "Authority 1", ... */
  names?: string[];
  force?: boolean;
  /** First HTTP port; node i gets basePort + i (default 4001). */
  basePort?: number;
  /** First p2p port; node i gets p2pBasePort + i (default basePort + 100). */
  p2pBasePort?: number;
  /** Explicit ports, one pair per node (authorities first); overrides the base ports. */
  ports?: readonly NodePorts[];
  /** Where the nodes listen (default 127.0.0.1). */
  host?: string;
  /**
   * Where the others reach each node, one per node (authorities first), such as container names;
   * nodes on different hosts may share ports. Default: every node at `host`.
   */
  nodeHosts?: readonly string[];
}

export interface InitResult {
  genesis: GenesisConfig;
  network: Network;
  nodes: NetworkNode[];
}

/** The nodes' names, which are also their data directories: `authority-1`, ..., `observer-1`, ... */
export function nodeNames(authorities: number, observers: number): string[] {
  return [
    ...Array.from({ length: authorities }, (_, i) => `authority-${i + 1}`),
    ...Array.from({ length: observers }, (_, i) => `observer-${i + 1}`),
  ];
}

/** Ports for `count` nodes: HTTP from `basePort`, p2p from `p2pBasePort`, checked for overlaps. */
export function assignPorts(
  count: number,
  basePort = DEFAULT_BASE_PORT,
  p2pBasePort = basePort + Math.max(P2P_PORT_OFFSET, count),
): NodePorts[] {
  const ports = Array.from({ length: count }, (_, i) => ({
    http: basePort + i,
    p2p: p2pBasePort + i,
  }));
  checkPorts(ports);
  return ports;
}

/** Ports must be valid, and distinct among the nodes on one host. */
function checkPorts(ports: readonly NodePorts[], hosts?: readonly string[]): void {
  const seen = new Set<string>();
  for (const [i, { http, p2p }] of ports.entries()) {
    for (const port of [http, p2p]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new NetworkError(
          'BAD_PORTS',
          `port ${port} is not from 1 to 65535: lower --base-port`,
        );
      const key = `${hosts?.[i] ?? ''}:${port}`;
      if (seen.has(key))
        throw new NetworkError(
          'BAD_PORTS',
          `port ${port} would serve two nodes: the HTTP and p2p ranges overlap; choose a --base-port further apart`,
        );
      seen.add(key);
    }
  }
}

export async function initNetwork(options: InitOptions): Promise<InitResult> {
  const { authorities, observers, chainId } = options;
  const dir = resolve(options.dir);
  const host = options.host ?? '127.0.0.1';
  if (!options.force && existsSync(join(dir, 'genesis.json'))) {
    throw new NetworkError(
      'NETWORK_EXISTS',
      `${dir} already holds a network (genesis.json exists); pass --force to overwrite it, or choose another --dir`,
    );
  }
  const count = authorities + observers;
  const hosts = options.nodeHosts;
  if (hosts !== undefined && hosts.length !== count)
    throw new NetworkError('BAD_PORTS', `${hosts.length} hosts given for ${count} nodes`);
  const ports = options.ports
    ? [...options.ports]
    : hosts
      ? sharedPorts(count, options.basePort, options.p2pBasePort)
      : assignPorts(count, options.basePort, options.p2pBasePort);
  if (ports.length !== count)
    throw new NetworkError('BAD_PORTS', `${ports.length} port pairs given for ${count} nodes`);
  checkPorts(ports, hosts);

  const keys = Array.from({ length: authorities }, () => generateKeyPair());
  const genesis: GenesisConfig = {
    chainId,
    timestamp: new Date().toISOString(),
    authorities: keys.map((k, i) => ({
      publicKey: k.publicKey,
      name: options.names?.[i] ?? `Authority ${i + 1}`,
    })),
  };
  const genesisText = `${JSON.stringify(genesis, null, 2)}\n`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'genesis.json'), genesisText);

  const names = nodeNames(authorities, observers);
  const specs = names.map((name, i) =>
    i < authorities
      ? { name, role: 'authority' as const, key: keys[i] }
      : { name, role: 'observer' as const, key: undefined },
  );
  const entries: NetworkNodeEntry[] = [];
  for (const [i, spec] of specs.entries()) {
    const dataDir = join(dir, spec.name);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'genesis.json'), genesisText);
    if (spec.key)
      writeFileSync(join(dataDir, 'authority.key'), `${spec.key.secretKey}\n`, { mode: 0o600 });
    // A new network gets new identities, also when --force reuses a directory.
    if (options.force) rmSync(join(dataDir, 'p2p.key'), { force: true });
    const { peerId } = await loadOrCreatePeerKey(join(dataDir, 'p2p.key'));
    const port = ports[i] as NodePorts;
    entries.push({
      name: spec.name,
      role: spec.role,
      dataDir: spec.name,
      ...(spec.key && { publicKey: spec.key.publicKey }),
      peerId,
      httpPort: port.http,
      p2pPort: port.p2p,
      ...(hosts?.[i] !== undefined && { host: hosts[i] }),
    });
  }
  const file: NetworkFile = {
    version: 1,
    chainId,
    genesisHash: hashOfGenesis(genesis),
    host,
    nodes: entries,
  };
  writeNetworkFile(dir, file);
  const network = networkFromFile(dir, file);
  for (const node of network.nodes)
    writeFileSync(join(node.dataDir, NODE_ENV_FILE), envFileText(nodeEnv(network, node)));
  return { genesis, network, nodes: network.nodes };
}

/** The same ports for every node, for nodes that each have their own host. */
function sharedPorts(
  count: number,
  basePort = DEFAULT_BASE_PORT,
  p2pBasePort = basePort + P2P_PORT_OFFSET,
): NodePorts[] {
  return Array.from({ length: count }, () => ({ http: basePort, p2p: p2pBasePort }));
}

/** `KEY=value` lines, as `node --env-file` and `waybill start --env-file` read them. */
export function envFileText(env: Record<string, string>): string {
  return `${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

function writeNetworkFile(dir: string, file: NetworkFile): void {
  writeFileSync(join(dir, NETWORK_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** Writes `network` back to its `network.json`, data directories relative to it again. */
export function saveNetwork(network: Network): void {
  writeNetworkFile(network.dir, {
    version: 1,
    chainId: network.chainId,
    genesisHash: network.genesisHash,
    host: network.host,
    nodes: network.nodes.map((n) => ({ ...n, dataDir: relative(network.dir, n.dataDir) })),
  });
}

function networkFromFile(dir: string, file: NetworkFile): Network {
  return {
    dir,
    chainId: file.chainId,
    genesisHash: file.genesisHash,
    host: file.host,
    nodes: file.nodes.map((n) => ({
      ...n,
      dataDir: isAbsolute(n.dataDir) ? n.dataDir : join(dir, n.dataDir),
    })),
  };
}

/** Reads and checks `<dir>/network.json`. */
export function readNetwork(dir: string): Network {
  const absolute = resolve(dir);
  const path = join(absolute, NETWORK_FILE);
  if (!existsSync(path))
    throw new NetworkError(
      'NO_NETWORK',
      `${path} does not exist: create the network with waybill init`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new NetworkError(
      'BAD_NETWORK_FILE',
      `${path} is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const file = parsed as Partial<NetworkFile> | null;
  const bad = (what: string) =>
    new NetworkError('BAD_NETWORK_FILE', `${path}: ${what}; recreate the network (--reset)`);
  if (file?.version !== 1) throw bad('expected "version": 1');
  if (typeof file.chainId !== 'string' || typeof file.genesisHash !== 'string')
    throw bad('chainId and genesisHash must be strings');
  if (typeof file.host !== 'string') throw bad('host must be a string');
  if (!Array.isArray(file.nodes) || file.nodes.length === 0) throw bad('nodes must list the nodes');
  for (const [i, node] of file.nodes.entries()) {
    const n = node as Partial<NetworkNodeEntry> | null;
    if (
      typeof n?.name !== 'string' ||
      (n.role !== 'authority' && n.role !== 'observer') ||
      typeof n.dataDir !== 'string' ||
      typeof n.peerId !== 'string' ||
      !Number.isInteger(n.httpPort) ||
      !Number.isInteger(n.p2pPort) ||
      (n.role === 'authority' && typeof n.publicKey !== 'string') ||
      (n.host !== undefined && typeof n.host !== 'string')
    )
      throw bad(`nodes[${i}] needs name, role, dataDir, peerId, httpPort, p2pPort (and publicKey)`);
  }
  return networkFromFile(absolute, file as NetworkFile);
}

/** Where other nodes dial `node`: `/ip4/...`, `/ip6/...` or, for a name, `/dns/...`. */
export function nodeMultiaddr(network: Pick<Network, 'host'>, node: NetworkNodeEntry): string {
  const host = node.host ?? network.host;
  const family = isIP(host);
  const protocol = family === 4 ? 'ip4' : family === 6 ? 'ip6' : 'dns';
  return `/${protocol}/${host}/tcp/${node.p2pPort}/p2p/${node.peerId}`;
}

/**
 * The environment that runs `node` as a member of `network`: its data directory and ports, the
 * other nodes as bootstrap peers, and every peer id of the network as the allowed set.
 */
export function nodeEnv(network: Network, node: NetworkNode): Record<string, string> {
  const others = network.nodes.filter((n) => n.name !== node.name);
  return {
    WAYBILL_DATA_DIR: node.dataDir,
    WAYBILL_HOST: network.host,
    WAYBILL_PORT: String(node.httpPort),
    WAYBILL_P2P_HOST: network.host,
    WAYBILL_P2P_PORT: String(node.p2pPort),
    ...(others.length > 0 && {
      WAYBILL_BOOTSTRAP: others.map((n) => nodeMultiaddr(network, n)).join(','),
    }),
    WAYBILL_ALLOWED_PEERS: network.nodes.map((n) => n.peerId).join(','),
  };
}
