/**
 * `waybill init` for containers (`--hostnames`, `--keep-existing`), the node.env it writes, and
 * `waybill start --env-file`, through the real commander program with the node itself mocked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NODE_ENV_FILE, initNetwork, nodeEnv, readNetwork } from '../src/cli/init.js';
import { createProgram } from '../src/cli/program.js';

const startNode = vi.hoisted(() => vi.fn());
vi.mock('../src/node.js', () => ({ startNode }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waybill-cli-network-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  startNode.mockReset();
  rmSync(dir, { recursive: true, force: true });
});

async function waybill(...args: string[]): Promise<void> {
  const program = createProgram().exitOverride();
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeErr: () => undefined });
  await program.parseAsync(args, { from: 'user' });
}

describe('waybill init --hostnames', () => {
  it('has each node dialled by its name on the same ports, listening on every interface', async () => {
    await waybill('init', '--dir', dir, '--authorities', '2', '--observers', '1', '--hostnames');
    const network = readNetwork(dir);
    expect(network.host).toBe('0.0.0.0');
    expect(network.nodes.map((n) => [n.name, n.host, n.httpPort, n.p2pPort])).toEqual([
      ['authority-1', 'authority-1', 4001, 4101],
      ['authority-2', 'authority-2', 4001, 4101],
      ['observer-1', 'observer-1', 4001, 4101],
    ]);
    const [first, second, observer] = network.nodes;
    const env = parseEnv(readFileSync(join(first!.dataDir, NODE_ENV_FILE), 'utf8'));
    expect(env).toEqual(nodeEnv(network, first!));
    expect(env).toMatchObject({ WAYBILL_HOST: '0.0.0.0', WAYBILL_P2P_HOST: '0.0.0.0' });
    expect(env.WAYBILL_BOOTSTRAP?.split(',')).toEqual([
      `/dns/authority-2/tcp/4101/p2p/${second!.peerId}`,
      `/dns/observer-1/tcp/4101/p2p/${observer!.peerId}`,
    ]);
  });

  it('writes /ip4 and /ip6 addresses for hosts given as IPs; one host cannot serve two nodes on one port', async () => {
    const { network } = await initNetwork({
      dir,
      authorities: 2,
      observers: 0,
      chainId: 'waybill-test',
      nodeHosts: ['10.0.0.2', 'fd00::3'],
    });
    const env = nodeEnv(network, network.nodes[0]!);
    expect(env.WAYBILL_BOOTSTRAP).toBe(`/ip6/fd00::3/tcp/4101/p2p/${network.nodes[1]!.peerId}`);
    await expect(
      initNetwork({
        dir,
        force: true,
        authorities: 2,
        observers: 0,
        chainId: 'waybill-test',
        nodeHosts: ['box', 'box'],
      }),
    ).rejects.toMatchObject({ code: 'BAD_PORTS' });
  });

  it('without it, writes the devnet layout: 127.0.0.1, ports counting up', async () => {
    await waybill('init', '--dir', dir, '--authorities', '2');
    const network = readNetwork(dir);
    expect(network.nodes.map((n) => [n.host, n.httpPort, n.p2pPort])).toEqual([
      [undefined, 4001, 4101],
      [undefined, 4002, 4102],
    ]);
    const env = parseEnv(readFileSync(join(network.nodes[0]!.dataDir, NODE_ENV_FILE), 'utf8'));
    expect(env.WAYBILL_BOOTSTRAP).toBe(`/ip4/127.0.0.1/tcp/4102/p2p/${network.nodes[1]!.peerId}`);
  });
});

describe('waybill init --keep-existing', () => {
  it('keeps a network already there and succeeds; refuses to go with --force', async () => {
    await waybill('init', '--dir', dir, '--keep-existing');
    const first = readFileSync(join(dir, 'network.json'), 'utf8');
    await waybill('init', '--dir', dir, '--keep-existing', '--authorities', '3');
    expect(readFileSync(join(dir, 'network.json'), 'utf8')).toBe(first);
    await expect(waybill('init', '--dir', dir)).rejects.toMatchObject({ code: 'NETWORK_EXISTS' });
    await expect(waybill('init', '--dir', dir, '--keep-existing', '--force')).rejects.toThrow(
      /cannot be used with/,
    );
  });
});

describe('waybill start --env-file', () => {
  it('reads the file; the environment wins over it, and the options over both', async () => {
    const file = join(dir, 'node.env');
    writeFileSync(
      file,
      'WAYBILL_DATA_DIR=/from-file\nWAYBILL_HOST=10.0.0.1\nWAYBILL_PORT=4000\nWAYBILL_P2P_PORT=4100\n',
    );
    vi.stubEnv('WAYBILL_DATA_DIR', '/data');
    vi.stubEnv('WAYBILL_PORT', '4200');
    await waybill('start', '--env-file', file, '--port', '4300');
    expect(startNode).toHaveBeenCalledOnce();
    expect(startNode.mock.calls[0]?.[0]).toMatchObject({
      WAYBILL_DATA_DIR: '/data',
      WAYBILL_HOST: '10.0.0.1',
      WAYBILL_PORT: '4300',
      WAYBILL_P2P_PORT: '4100',
    });
  });

  it('names the file it cannot read', async () => {
    await expect(waybill('start', '--env-file', join(dir, 'missing.env'))).rejects.toThrow(
      /cannot read --env-file .*missing\.env/,
    );
    expect(startNode).not.toHaveBeenCalled();
  });
});
