import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PARTICIPANTS, TEST_GTINS, testKey } from '@waybill/shared/testing';
import { txHash as txHashOf, type SignedTx } from '@waybill/shared/tx';
import { MEMPOOL_JOURNAL_FILE } from '../src/app.module.js';
import { cleanUp, soloChain, startNode } from './harness.js';

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const run = promisify(execFile);

async function verifyChainCli(dataDir: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, 'verify-chain', '--data-dir', dataDir]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

function sql(file: string, statement: string, params: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (openError) => {
      if (openError) {
        reject(openError);
        return;
      }
      db.run(statement, params, (error) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}

afterAll(cleanUp);

describe('crash safety', () => {
  it('loses no final block and leaves no partial one when killed under load; verify-chain passes', async () => {
    const chain = soloChain('waybill-crash');
    let node = await startNode(chain.dataDir, {
      WAYBILL_BLOCK_INTERVAL_MS: '20',
      WAYBILL_MAX_BLOCK_TXS: '100',
    });
    const acme = testKey('acme-admin');
    const { name, roles, gln } = PARTICIPANTS.acme;
    await node.client.submit(
      chain.sign(
        'org.register',
        { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
        chain.authority,
      ),
      { waitFinal: true },
    );
    await node.client.submit(
      chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Milk' }, acme),
      { waitFinal: true },
    );

    // Signed before the clock starts, as real clients sign on their own devices.
    const load: SignedTx[] = Array.from({ length: 1500 }, (_, i) =>
      chain.sign(
        'product.commission',
        { gtin: TEST_GTINS.milk, serials: [`K${i}`], eventTime: new Date().toISOString() },
        acme,
      ),
    );
    const start = (await node.client.chain()).height;
    let sent = 0;
    const submitting = (async () => {
      for (; sent < load.length; sent += 100) {
        await node.client.submitMany(load.slice(sent, sent + 100)).catch(() => undefined);
      }
    })();
    await expect
      .poll(async () => (await node.client.chain()).height, { timeout: 20_000, interval: 20 })
      .toBeGreaterThan(start + 4)
      .catch((error: unknown) => {
        console.error(node.logs.join('').slice(-3000));
        throw error;
      });
    const finalBefore = (await node.client.chain()).height;
    const sample = await Promise.all(
      load.slice(0, 50).map(async (tx, i) => ({
        i,
        status: (await node.client.transaction(txHashOf(tx)))?.status,
      })),
    );
    await node.kill('SIGKILL');
    await submitting;

    node = await startNode(chain.dataDir, { WAYBILL_HEARTBEAT_MS: '600000' });
    const after = await node.client.chain();
    expect(after.height).toBeGreaterThanOrEqual(finalBefore);
    for (const { i, status } of sample) {
      if (status === 'FINAL')
        expect((await node.client.transaction(txHashOf(load[i]!)))?.status).toBe('FINAL');
    }
    expect(await node.kill('SIGTERM')).toBe(0);
    const verdict = await verifyChainCli(chain.dataDir);
    expect(verdict.stdout).toMatch(/verified: \d+ blocks/);
    expect(verdict.code).toBe(0);
  });

  it('keeps what is pending across a clean restart: a client told PENDING finds it final after', async () => {
    const chain = soloChain('waybill-pending-restart');
    // Blocks only once a minute: what is submitted now is still pending at the stop.
    let node = await startNode(chain.dataDir, { WAYBILL_BLOCK_INTERVAL_MS: '60000' });
    const acme = testKey('acme-admin');
    const { name, roles, gln } = PARTICIPANTS.acme;
    const registration = chain.sign(
      'org.register',
      { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
      chain.authority,
    );
    expect((await node.client.submit(registration)).status).toBe('PENDING');
    expect(await node.kill('SIGTERM')).toBe(0);
    expect(existsSync(join(chain.dataDir, MEMPOOL_JOURNAL_FILE))).toBe(true);

    node = await startNode(chain.dataDir, { WAYBILL_BLOCK_INTERVAL_MS: '20' });
    const hash = txHashOf(registration);
    await waitUntil(async () => (await node.client.transaction(hash))?.status === 'FINAL');
    expect(existsSync(join(chain.dataDir, MEMPOOL_JOURNAL_FILE))).toBe(false);
    await node.kill('SIGTERM');
  }, 60_000);

  it('verify-chain reports the height of a block altered in the database file', async () => {
    const chain = soloChain('waybill-tamper');
    const node = await startNode(chain.dataDir, { WAYBILL_HEARTBEAT_MS: '100' });
    const acme = testKey('acme-admin');
    const { name, roles, gln } = PARTICIPANTS.acme;
    await node.client.submit(
      chain.sign(
        'org.register',
        { orgId: 'acme', name, roles: [...roles], gln, admin: acme.publicKey },
        chain.authority,
      ),
      { waitFinal: true },
    );
    const defined = await node.client.submit(
      chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Whole milk' }, acme),
      { waitFinal: true },
    );
    await expect
      .poll(async () => (await node.client.chain()).height, { timeout: 10_000 })
      .toBeGreaterThan((defined.height ?? 0) + 2);
    expect(await node.kill('SIGTERM')).toBe(0);
    expect((await verifyChainCli(chain.dataDir)).code).toBe(0);

    await sql(
      join(chain.dataDir, 'waybill.sqlite'),
      `UPDATE transactions SET body = replace(body, 'Whole milk', 'Whole milk!') WHERE hash = ?`,
      [defined.hash],
    );
    const verdict = await verifyChainCli(chain.dataDir);
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toContain(`first bad height: ${String(defined.height)}`);
  });
});
