/**
 * The short `pnpm test:chaos` run, as the README documents it (`npm run test:chaos`, from the
 * repository root): every kind of fault once over a real 4 + 1 devnet under load, each recovered
 * from within 20 s, and every safety invariant held. The seed is fixed so that a failure here
 * reruns exactly (`npm run test:chaos -- --seed 7`); the summary is printed either way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChaosSummary } from '../src/chaos/run.js';
import { PERTURBATION_KINDS } from '../src/chaos/schedule.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'waybill-chaos-ci-'));
const SEED = process.env.WAYBILL_CHAOS_SEED ?? '7';

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'test:chaos', '--', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The run kills its network itself on SIGTERM; CI allows it ten minutes.
    const timer = setTimeout(() => child.kill('SIGTERM'), 570_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('pnpm test:chaos (short)', () => {
  it('survives every kind of fault with every invariant held', async () => {
    const { code, output } = await run(['--seed', SEED, '--out', out]);
    // The summary, with its seed, belongs in the CI log whatever happens.
    process.stdout.write(`${output.split('\n').slice(-40).join('\n')}\n`);
    expect(code).toBe(0);
    const file = readdirSync(out).find((f) => f.endsWith('-short.json'));
    expect(file).toBeDefined();
    const summary = JSON.parse(readFileSync(join(out, file as string), 'utf8')) as ChaosSummary;
    expect(summary.seed).toBe(Number(SEED));
    expect(new Set(summary.perturbations.map((p) => p.kind))).toEqual(new Set(PERTURBATION_KINDS));
    expect(summary.perturbations.filter((p) => !p.ok)).toEqual([]);
    expect(summary.invariants.length).toBeGreaterThanOrEqual(4);
    expect(summary.invariants.filter((c) => !c.ok)).toEqual([]);
    expect(summary.events.final).toBeGreaterThan(50);
    expect(summary.forkChecks).toBeGreaterThan(100);
    expect(summary.ok).toBe(true);
  }, 600_000);
});
