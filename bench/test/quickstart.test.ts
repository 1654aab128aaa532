/**
 * The README's first command, `npm start`, as a reader runs it: it installs and builds, starts the
 * devnet (4 authorities and an observer, seeded) and the explorer, prints where to open it, and
 * Ctrl-C (SIGINT to the terminal's process group) stops everything and exits 0. Here on free
 * ports and in a temporary directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPortFree } from '@waybill/node/devnet';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/network.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waybill-quickstart-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A base port whose 5 HTTP ports (base…base+4) and 5 p2p ports (base+100…) are all free. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = [0, 1, 2, 3, 4].flatMap((i) => [base + i, base + 100 + i]);
    const free = await Promise.all(ports.map((p) => isPortFree('127.0.0.1', p)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free block of ports found');
}

describe('npm start', () => {
  it('starts the network and the explorer, says where to open it, and stops on Ctrl-C', async () => {
    const base = await freeBase();
    const explorerPort = await freePort();
    const started = spawn('npm', ['start', '--', '--dir', dir, '--base-port', String(base)], {
      cwd: root,
      env: { ...process.env, WAYBILL_EXPLORER_PORT: String(explorerPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives it: Ctrl-C signals the whole group.
      detached: true,
    });
    child = started;
    let output = '';
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /explorer\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 500);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`npm start exited (${String(code)}) first:\n${output.slice(-3_000)}`));
      });
    });
    expect(url).toBe(`http://127.0.0.1:${explorerPort}`);
    // The explorer answers (it starts right after printing), with the seeded network behind it.
    let page = '';
    for (let i = 0; i < 60 && !page.includes('Waybill'); i++) {
      page = await fetch(url, { signal: AbortSignal.timeout(10_000) })
        .then((r) => (r.ok ? r.text() : ''))
        .catch(() => '');
      if (!page.includes('Waybill')) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(page).toContain('Waybill');
    // The demo data is submitted meanwhile; the devnet says so when it is done.
    for (let i = 0; i < 480 && !/Press Ctrl-C/.test(output); i++)
      await new Promise((r) => setTimeout(r, 1_000));
    expect(output).toMatch(/seeding \d+ demo transactions/);
    expect(output).toMatch(/Press Ctrl-C/);

    process.kill(-(started.pid as number), 'SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000)),
    ]);
    // npm itself dies of the SIGINT (no exit code), as it does in a terminal; what counts is that
    // the devnet and the explorer it started stop and free their ports.
    expect(code === 0 || (code === null && started.signalCode === 'SIGINT'), String(code)).toBe(
      true,
    );
    const ports = [base, base + 1, base + 2, base + 3, base + 4, base + 100, explorerPort];
    let free = false;
    for (let i = 0; i < 30 && !free; i++) {
      free = (await Promise.all(ports.map((p) => isPortFree('127.0.0.1', p)))).every(Boolean);
      if (!free) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(free, output.slice(-3_000)).toBe(true);
  }, 900_000);
});
