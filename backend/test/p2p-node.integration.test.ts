/**
 * The p2p module inside real node processes: two nodes of one chain find each other through
 * WAYBILL_BOOTSTRAP, keep their identity in <data dir>/p2p.key, and still exit at once on SIGTERM.
 */
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peerIdOfKeyFile } from '../src/p2p/peer-key.js';
import { cleanUp, soloChain, startNode, tempDataDir, type NodeProcess } from './harness.js';

afterAll(cleanUp);

/** The first address of the node's `p2p listening on` line. */
function listenAddress(node: NodeProcess): string | undefined {
  return /p2p listening on (\/ip4\/[^\s",]+)/.exec(node.logs.join(''))?.[1];
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('p2p in the node', { timeout: 60_000 }, () => {
  it('connects two nodes through WAYBILL_BOOTSTRAP and exits promptly on SIGTERM', async () => {
    const chain = soloChain('waybill-p2p-it');
    const observerDir = tempDataDir();
    copyFileSync(join(chain.dataDir, 'genesis.json'), join(observerDir, 'genesis.json'));
    const env = { WAYBILL_LOG_LEVEL: 'debug' };
    const authority = await startNode(chain.dataDir, env);
    await until(() => listenAddress(authority) !== undefined, 'the authority to listen');
    const address = listenAddress(authority)!;
    const authorityId = await peerIdOfKeyFile(join(chain.dataDir, 'p2p.key'));
    expect(address.endsWith(`/p2p/${authorityId}`)).toBe(true);
    expect(statSync(join(chain.dataDir, 'p2p.key')).mode & 0o777).toBe(0o600);

    const observer = await startNode(observerDir, { ...env, WAYBILL_BOOTSTRAP: address });
    const observerId = await peerIdOfKeyFile(join(observerDir, 'p2p.key'));
    await until(
      () => observer.logs.join('').includes(`peer connected: ${authorityId}`),
      'the observer to connect',
    );
    await until(
      () => authority.logs.join('').includes(`peer connected: ${observerId}`),
      'the authority to see the observer',
    );

    for (const node of [observer, authority]) {
      const started = Date.now();
      const code = await node.kill('SIGTERM');
      if (code !== 0) console.log(node.child.signalCode, node.logs.join('').slice(-3000));
      expect(code).toBe(0);
      const exitMs = Date.now() - started;
      console.log(`node exited ${exitMs} ms after SIGTERM`);
      expect(exitMs).toBeLessThan(1_500);
    }
  });
});
