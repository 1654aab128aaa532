/** The `waybill` command line against real files and a real node. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptKeystore } from '@waybill/shared/keys';
import { PARTICIPANTS, TEST_GTINS, testKey } from '@waybill/shared/testing';
import { itemEpc } from '@waybill/shared/gs1';
import { cleanUp, soloChain, startNode, tempDataDir } from './harness.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

async function waybill(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

afterAll(cleanUp);

describe('waybill CLI', () => {
  it('explains itself', async () => {
    const help = await waybill(['--help']);
    for (const command of [
      'keygen',
      'init',
      'start',
      'devnet',
      'demo',
      'status',
      'submit',
      'verify-chain',
      'export-bundle',
      'verify-bundle',
    ]) {
      expect(help.stdout).toContain(command);
    }
    expect((await waybill(['start', '--help'])).stdout).toContain('WAYBILL_DATA_DIR');
    const devnetHelp = (await waybill(['devnet', '--help'])).stdout;
    for (const flag of [
      '--dir',
      '--authorities',
      '--observers',
      '--base-port',
      '--reset',
      '--no-seed',
    ])
      expect(devnetHelp).toContain(flag);
    const unknown = await waybill(['frobnicate']);
    expect(unknown.code).not.toBe(0);
  });

  it('creates keys: a hex file readable only by its owner, and a keystore', async () => {
    const dir = tempDataDir();
    const out = await waybill(['keygen', '--out', join(dir, 'key.hex')]);
    expect(out.stdout).toMatch(/public key: [0-9a-f]{64}/);
    expect(statSync(join(dir, 'key.hex')).mode & 0o077).toBe(0);
    const keystore = await waybill(
      ['keygen', '--keystore', join(dir, 'ks.json'), '--label', 'dock 4'],
      { WAYBILL_PASSPHRASE: 'correct horse' },
    );
    const publicKey = /public key: ([0-9a-f]{64})/.exec(keystore.stdout)?.[1];
    const opened = decryptKeystore(
      JSON.parse(readFileSync(join(dir, 'ks.json'), 'utf8')),
      'correct horse',
    );
    expect(opened.publicKey).toBe(publicKey);
    expect(
      (await waybill(['keygen', '--keystore', join(dir, 'ks2.json')], { WAYBILL_PASSPHRASE: '' }))
        .code,
    ).toBe(1);
  });

  it('initializes a network and refuses to overwrite it', async () => {
    const dir = tempDataDir();
    const init = await waybill([
      'init',
      '--dir',
      dir,
      '--authorities',
      '4',
      '--observers',
      '1',
      '--chain-id',
      'waybill-cli',
    ]);
    expect(init.code).toBe(0);
    for (const name of ['authority-1', 'authority-4', 'observer-1'])
      expect(existsSync(join(dir, name, 'genesis.json'))).toBe(true);
    expect(existsSync(join(dir, 'observer-1', 'authority.key'))).toBe(false);
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as {
      authorities: unknown[];
    };
    expect(genesis.authorities).toHaveLength(4);
    const again = await waybill(['init', '--dir', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--force/);
    expect((await waybill(['init', '--dir', dir, '--authorities', '0'])).stderr).toMatch(
      /--authorities/,
    );
  });

  it('submits from a file, reports status, exports a bundle and verifies it offline', async () => {
    const chain = soloChain('waybill-cli');
    const node = await startNode(chain.dataDir);
    const acme = testKey('acme-admin');
    const { name, roles, gln } = PARTICIPANTS.acme;
    const txs = [
      chain.sign(
        'org.register',
        { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
        chain.authority,
      ),
    ];
    const file = join(chain.dataDir, 'txs.json');
    writeFileSync(file, JSON.stringify(txs));
    expect((await waybill(['submit', file, '--url', node.graphqlUrl, '--wait'])).stdout).toMatch(
      /1 accepted, 0 rejected/,
    );
    writeFileSync(
      file,
      JSON.stringify([chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, acme)]),
    );
    await waybill(['submit', file, '--url', node.graphqlUrl, '--wait']);
    writeFileSync(
      file,
      JSON.stringify([
        chain.sign(
          'product.commission',
          { gtin: TEST_GTINS.milk, serials: ['C1'], eventTime: new Date().toISOString() },
          acme,
        ),
        chain.sign(
          'product.commission',
          { gtin: TEST_GTINS.milk, serials: ['C1'], eventTime: new Date().toISOString() },
          testKey('stranger'),
        ),
      ]),
    );
    const mixed = await waybill(['submit', file, '--url', node.graphqlUrl, '--wait']);
    expect(mixed.stdout).toMatch(/1 accepted, 1 rejected/);
    expect(mixed.code).toBe(1);

    const status = await waybill(['status', '--url', node.graphqlUrl]);
    expect(status.stdout).toMatch(/chain waybill-cli at height \d+ \(authority\)/);
    expect(status.stdout).toMatch(
      /consensus deciding height \d+, round \d+, (propose|prevote|precommit)/,
    );
    expect(status.stdout).toMatch(/peer id 12D3KooW\w+, 0 peers/);
    const genesisHash = /genesis ([0-9a-f]{64})/.exec(status.stdout)?.[1] ?? '';

    const bundleFile = join(chain.dataDir, 'bundle.json');
    expect(
      (
        await waybill([
          'export-bundle',
          itemEpc(TEST_GTINS.milk, 'C1'),
          '--url',
          node.graphqlUrl,
          '--out',
          bundleFile,
        ])
      ).code,
    ).toBe(0);
    const verified = await waybill(['verify-bundle', bundleFile, '--genesis-hash', genesisHash]);
    expect(verified.stdout).toMatch(/VERIFIED/);
    expect(verified.stdout).toMatch(/ok .*product\.commission/);
    expect(
      (await waybill(['verify-bundle', bundleFile, '--genesis-hash', '00'.repeat(32)])).code,
    ).toBe(1);
    expect((await waybill(['status', '--url', 'http://127.0.0.1:9/graphql'])).stderr).toMatch(
      /cannot reach/,
    );
  });
});
