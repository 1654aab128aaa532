/**
 * `waybill demo`: a node with realistic seeded data, in one command. The first run creates the
 * network under the demo directory and submits the seed through the API as real signed
 * transactions; later runs resume the same chain; `--reset` starts over.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WaybillClient } from '@waybill/shared/client';
import { hexToBytes } from '@waybill/shared/encoding';
import { publicKeyOf } from '@waybill/shared/crypto';
import { bytesToHex } from '@waybill/shared/encoding';
import { buildDemoSeed } from '../demo/index.js';
import { initNetwork } from './init.js';

export interface DemoOptions {
  dir: string;
  port: number;
  host: string;
  reset: boolean;
  log: (line: string) => void;
  progress: (label: string, done: number, total: number) => void;
}

const CHAIN_ID = 'waybill-demo';

export async function runDemo(
  options: DemoOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = resolve(options.dir);
  if (options.reset) rmSync(dir, { recursive: true, force: true });
  if (!existsSync(join(dir, 'genesis.json'))) {
    await initNetwork({
      dir,
      authorities: 1,
      observers: 0,
      chainId: CHAIN_ID,
      names: ['Waybill demo authority'],
    });
    options.log(`created a new demo network in ${dir}`);
  }
  const dataDir = join(dir, 'authority-1');
  const { startNode } = await import('../node.js');
  const node = await startNode({
    ...process.env,
    WAYBILL_DATA_DIR: dataDir,
    WAYBILL_PORT: String(options.port),
    WAYBILL_HOST: options.host,
    WAYBILL_LOG_LEVEL: process.env.WAYBILL_LOG_LEVEL ?? 'warn',
  });
  const graphql = `${node.url}/graphql`;
  const marker = join(dir, 'seeded.json');
  if (!existsSync(marker)) {
    const secret = readFileSync(join(dataDir, 'authority.key'), 'utf8').trim();
    const secretKey = hexToBytes(secret, 32, 'authority key');
    const seed = buildDemoSeed({
      chainId: CHAIN_ID,
      authority: { secretKey, publicKey: bytesToHex(publicKeyOf(secretKey)) },
      now: new Date(),
    });
    const client = new WaybillClient({ url: graphql });
    let done = 0;
    for (const wave of seed.waves) {
      for (let i = 0; i < wave.length; i += 200) {
        const results = await client.submitMany(wave.slice(i, i + 200), { waitFinal: true });
        const refused = results.find((r) => r.status !== 'FINAL');
        if (refused)
          throw new Error(
            `the demo seed was refused: ${refused.code ?? refused.status} ${refused.message ?? ''}`,
          );
        done += results.length;
        options.progress('seeding', done, seed.summary.transactions);
      }
    }
    writeFileSync(join(dir, 'demo-keys.json'), `${JSON.stringify(seed.keys, null, 2)}\n`, {
      mode: 0o600,
    });
    writeFileSync(marker, `${JSON.stringify(seed.summary, null, 2)}\n`);
    options.log(`seeded ${seed.summary.transactions} transactions in ${seed.summary.waves} waves`);
  }
  const summary = JSON.parse(readFileSync(marker, 'utf8')) as { featured: Record<string, string> };
  options.log('');
  options.log(`Waybill demo node: GraphQL ${graphql}`);
  options.log(`  health  ${node.url}/readyz`);
  options.log(`  staff keys (demo only) in ${join(dir, 'demo-keys.json')}`);
  options.log('  things worth opening:');
  for (const [name, value] of Object.entries(summary.featured))
    options.log(`    ${name.padEnd(18)} ${value}`);
  options.log('Press Ctrl-C to stop.');
  return { url: node.url, close: node.close };
}
