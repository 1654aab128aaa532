/**
 * Real multi-node networks for integration tests: `startTestNetwork` creates a network (keys,
 * genesis, libp2p identities, network.json) in a temporary directory on free loopback ports and
 * runs every node as its own `node dist/main.js` process, through the same code as
 * `waybill devnet` (src/cli/devnet.ts). Every process is registered with harness.ts, so
 * `cleanUp()` (afterAll) and the exit safety net kill it, also when a test fails.
 */
import { createServer } from 'node:net';
import { createDevnet, isPortFree, type Devnet, type DevnetNode } from '../src/cli/devnet.js';
import { P2P_PORT_OFFSET, type NodePorts } from '../src/cli/init.js';
import { MAIN, TEST_NODE_ENV, tempDataDir, track } from './harness.js';

/** One node: `name`, `role`, `url`, `graphqlUrl`, `client`, `publicKey`, `peerId`, `logs`,
 * `start()`, `waitReady()`, `kill(signal)`, `stop()`, `restart()`, `readyHeight()`. */
export type TestNode = DevnetNode;

export interface TestNetworkOptions {
  authorities?: number;
  observers?: number;
  chainId?: string;
  /** Extra environment for every node (after the fast test defaults and the network's own). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Print every node's lines, prefixed with its name (also with WAYBILL_TEST_LOGS=1). */
  echo?: boolean;
}

export interface TestNetwork {
  dir: string;
  chainId: string;
  genesisHash: string;
  nodes: readonly TestNode[];
  authorities: TestNode[];
  observers: TestNode[];
  node(name: string): TestNode;
  /** Resolves once every node given (default all) is at `height` or higher. */
  waitForHeight(height: number, nodes?: readonly TestNode[], timeoutMs?: number): Promise<void>;
  /** SIGTERM to every node (SIGKILL after a few seconds); resolves when all have exited. */
  stop(): Promise<void>;
  devnet: Devnet;
}

/** `count` distinct ports nothing listens on now (the OS picks them: bind to port 0). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
            resolve(server);
          });
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/**
 * A base port for `waybill devnet --base-port`: HTTP ports base.. and p2p ports base+100.. are all
 * free for `nodes` nodes. Chosen below the Linux ephemeral range so outgoing connections do not
 * take them in the meantime.
 */
export async function freeBasePort(nodes: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    const wanted = Array.from({ length: nodes }, (_, i) => [base + i, base + P2P_PORT_OFFSET + i]);
    const free = await Promise.all(wanted.flat().map((port) => isPortFree('127.0.0.1', port)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`found no free range of ${nodes} ports`);
}

export async function startTestNetwork(options: TestNetworkOptions = {}): Promise<TestNetwork> {
  const authorities = options.authorities ?? 4;
  const observers = options.observers ?? 1;
  const count = authorities + observers;
  const flat = await freePorts(count * 2);
  const ports: NodePorts[] = Array.from({ length: count }, (_, i) => ({
    http: flat[2 * i] as number,
    p2p: flat[2 * i + 1] as number,
  }));
  const echo = options.echo ?? process.env.WAYBILL_TEST_LOGS === '1';
  const devnet = await createDevnet({
    dir: tempDataDir(),
    authorities,
    observers,
    chainId: options.chainId ?? 'waybill-net-it',
    ports,
    nodeScript: MAIN,
    env: { ...TEST_NODE_ENV, ...options.env },
    onSpawn: (child) => {
      track(child);
    },
    ...(echo && {
      output: (node: DevnetNode, line: string) => {
        process.stdout.write(`${node.name} | ${line}\n`);
      },
    }),
  });
  try {
    await devnet.start(options.readyTimeoutMs ?? 90_000);
  } catch (error) {
    await devnet.stop(1_000);
    throw error;
  }
  return {
    dir: devnet.dir,
    chainId: devnet.network.chainId,
    genesisHash: devnet.network.genesisHash,
    nodes: devnet.nodes,
    authorities: devnet.authorities,
    observers: devnet.nodes.filter((n) => n.role === 'observer'),
    node: (name) => devnet.node(name),
    waitForHeight: (height, nodes, timeoutMs) => devnet.waitForHeight(height, nodes, timeoutMs),
    stop: () => devnet.stop(),
    devnet,
  };
}
