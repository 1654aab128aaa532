/**
 * Storage faults on a real node process and its real SQLite file: a full disk stops block
 * application without a partial block and resumes when space returns; a damaged file stops the node
 * at start with verify-chain's report.
 */
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PARTICIPANTS, TEST_GTINS, testKey } from '@waybill/shared/testing';
import { txHash, type SignedTx } from '@waybill/shared/tx';
import { CLEAN_CLOSE_FILE } from '../src/chain/clean-close.js';
import { verifyStoredChain } from '../src/chain/verify-stored-chain.js';
import {
  cleanUp,
  soloChain,
  startNode,
  stopRunning,
  type NodeProcess,
  type SoloChain,
} from './harness.js';

afterEach(stopRunning);
afterAll(cleanUp);

const DATABASE = 'waybill.sqlite';

interface Readiness {
  status: number;
  body: { status?: string; code?: string; height?: number; message?: string };
}

async function readyz(node: NodeProcess): Promise<Readiness> {
  const response = await fetch(`${node.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

async function disk(node: NodeProcess, full: boolean): Promise<void> {
  const response = await fetch(`${node.url}/control/disk?full=${full ? 1 : 0}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
}

/** A chain with one organization and one product, `blocks` heights past its definition. */
async function startedChain(
  name: string,
  env: Record<string, string> = {},
): Promise<{ chain: SoloChain; node: NodeProcess; definedAt: number }> {
  const chain = soloChain(name);
  const node = await startNode(chain.dataDir, env);
  const acme = testKey('acme-admin');
  const { name: orgName, roles, gln } = PARTICIPANTS.acme;
  await node.client.submit(
    chain.sign(
      'org.register',
      { orgId: 'acme', name: orgName, roles: [...roles], gln, admin: acme.publicKey },
      chain.authority,
    ),
    { waitFinal: true },
  );
  const defined = await node.client.submit(
    chain.sign('product.define', { gtin: TEST_GTINS.milk, name: 'Whole milk' }, acme),
    { waitFinal: true },
  );
  return { chain, node, definedAt: defined.height ?? 0 };
}

function sql(file: string, statement: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (openError) => {
      if (openError) {
        reject(openError);
        return;
      }
      db.run(statement, (error) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}

/** Overwrites `length` bytes at `offset` of the file with a fixed pattern. */
function scribble(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

/** A stopped node's database file, with no write-ahead log left beside it to hide the damage. */
async function stoppedDatabase(node: NodeProcess, dataDir: string): Promise<string> {
  expect(await node.kill('SIGTERM'), node.logs.join('')).toBe(0);
  // The clean stop is recorded: the damage below must still be found, because it changes the file.
  expect(existsSync(join(dataDir, CLEAN_CLOSE_FILE))).toBe(true);
  const file = join(dataDir, DATABASE);
  // A clean close checkpoints the log into the file; what remains beside it is empty.
  for (const suffix of ['-wal', '-shm']) {
    const side = `${file}${suffix}`;
    if (existsSync(side)) {
      if (suffix === '-wal') expect(statSync(side).size).toBe(0);
      rmSync(side);
    }
  }
  return file;
}

async function refusedStart(dataDir: string): Promise<string> {
  const error = await startNode(dataDir).then(
    () => new Error('the node started on a damaged database'),
    (refusal: unknown) => refusal,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toMatch(/node exited with 1 before it was ready/);
  expect(message).toContain('CORRUPT_DATABASE: the node will not start on a damaged database');
  expect(message).toContain('What to do: restore');
  return message;
}

describe('storage faults', () => {
  it('skips the page scan after a clean stop, and checks every page after a crash or with WAYBILL_INTEGRITY_CHECK=always', async () => {
    const { chain, node } = await startedChain('waybill-restarts');
    const info = { WAYBILL_LOG_LEVEL: 'info' };
    const scanned = (logs: readonly string[]) =>
      logs.join('').includes('integrity check of every page: ok');
    const skipped = (logs: readonly string[]) => logs.join('').includes('page scan skipped');

    expect(await node.kill('SIGTERM'), node.logs.join('')).toBe(0);
    const clean = await startNode(chain.dataDir, info);
    expect(skipped(clean.logs)).toBe(true);
    expect(scanned(clean.logs)).toBe(false);

    await clean.kill('SIGKILL');
    const crashed = await startNode(chain.dataDir, info);
    expect(scanned(crashed.logs)).toBe(true);

    expect(await crashed.kill('SIGTERM'), crashed.logs.join('')).toBe(0);
    const always = await startNode(chain.dataDir, { ...info, WAYBILL_INTEGRITY_CHECK: 'always' });
    expect(scanned(always.logs)).toBe(true);
    expect(await always.kill('SIGTERM'), always.logs.join('')).toBe(0);
  }, 90_000);

  it('stops applying blocks on a full disk without a partial block, reports it on /readyz and in the log, and resumes when space returns', async () => {
    const { chain, node } = await startedChain('waybill-disk-full', {
      WAYBILL_TEST_CONTROLS: '1',
      WAYBILL_HEARTBEAT_MS: '200',
      WAYBILL_MAX_BLOCK_TXS: '50',
    });
    const acme = testKey('acme-admin');
    const load: SignedTx[] = Array.from({ length: 400 }, (_, i) =>
      chain.sign(
        'product.commission',
        { gtin: TEST_GTINS.milk, serials: [`D${i}`], eventTime: new Date().toISOString() },
        acme,
      ),
    );
    await disk(node, true);
    // Taken by the pool while the disk is full: nothing is lost, they are stored once it frees.
    for (let sent = 0; sent < load.length; sent += 100) {
      const results = await node.client.submitMany(load.slice(sent, sent + 100));
      expect(results.every((r) => r.status === 'PENDING')).toBe(true);
    }
    await expect
      .poll(async () => (await readyz(node)).body, { timeout: 20_000, interval: 100 })
      .toMatchObject({ status: 'storage-fault', code: 'STORAGE_FULL' });
    const fault = await readyz(node);
    expect(fault.status).toBe(503);
    expect(fault.body.message).toMatch(/^block \d+ cannot be stored: .*SQLITE_FULL/);
    expect(node.logs.join('')).toMatch(/STORAGE_FULL: block \d+ was not stored/);
    const stuck = (await node.client.chain()).height;
    expect(fault.body.height).toBe(stuck);
    // Retries keep failing while the disk stays full, and nothing moves.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await node.client.chain()).height).toBe(stuck);
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/^waybill_storage_fault 1$/m);

    await disk(node, false);
    await expect
      .poll(async () => (await readyz(node)).status, { timeout: 20_000, interval: 100 })
      .toBe(200);
    expect(node.logs.join('')).toMatch(
      /storage recovered: block \d+ stored after \d+ s of STORAGE_FULL/,
    );
    const finalCount = async () => {
      const statuses = await Promise.all(
        load.map(async (tx) => (await node.client.transaction(txHash(tx)))?.status),
      );
      return statuses.filter((s) => s === 'FINAL').length;
    };
    await expect.poll(finalCount, { timeout: 30_000, interval: 500 }).toBe(load.length);
    expect((await node.client.chain()).height).toBeGreaterThan(stuck);

    await stoppedDatabase(node, chain.dataDir);
    const verdict = await verifyStoredChain(chain.dataDir, chain.genesis);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('refuses to start on a file whose pages are damaged, with verify-chain’s report', async () => {
    const { chain, node, definedAt } = await startedChain('waybill-damaged-pages', {
      WAYBILL_HEARTBEAT_MS: '100',
    });
    await expect
      .poll(async () => (await node.client.chain()).height, { timeout: 10_000 })
      .toBeGreaterThan(definedAt + 20);
    const file = await stoppedDatabase(node, chain.dataDir);
    const size = statSync(file).size;
    // Every page but the first (the schema) and the last: tables and indexes alike.
    scribble(file, 4096, size - 2 * 4096);
    const message = await refusedStart(chain.dataDir);
    expect(message).toMatch(/malformed|SQLITE_CORRUPT/);
    expect(message).toMatch(/verify-chain: (first bad height: \d+|the database cannot be)/);
  });

  it('refuses to start on a file that is not a database', async () => {
    const { chain, node } = await startedChain('waybill-not-a-database');
    const file = await stoppedDatabase(node, chain.dataDir);
    scribble(file, 0, 100);
    const message = await refusedStart(chain.dataDir);
    expect(message).toMatch(/not a database|SQLITE_NOTADB/);
    expect(message).toContain('verify-chain: the database cannot be');
  });

  it('refuses to start when the head block was altered, and verify-chain names its height', async () => {
    // No heartbeat blocks: the block that defined the product stays the head.
    const { chain, node, definedAt } = await startedChain('waybill-altered-head', {
      WAYBILL_HEARTBEAT_MS: '600000',
    });
    const file = await stoppedDatabase(node, chain.dataDir);
    await sql(
      file,
      `UPDATE blocks SET header = json_set(header, '$.timestamp', '2030-01-01T00:00:00.000Z') WHERE height = ${String(definedAt)}`,
    );
    const message = await refusedStart(chain.dataDir);
    expect(message).toContain(`verify-chain: first bad height: ${String(definedAt)}:`);
  });
});
