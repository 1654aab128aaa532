/**
 * The CI smoke run of `pnpm bench`: a few seconds of load on real 1- and 4-authority networks
 * proves the harness works end to end (networks, load clients, subscriptions, queries, sync,
 * footprint, report). No target is asserted: only that every figure was measured and every
 * submitted transaction is accounted for.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/report.js';
import type { LoadSummary } from '../src/scenarios.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'waybill-bench-smoke-'));

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

/** `node bench/dist/main.js ARGS`, or with `viaNpm` the README's `npm run bench -- ARGS`. */
function run(args: string[], viaNpm = false): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = viaNpm
      ? spawn('npm', ['run', '--silent', 'bench', '--', ...args], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The bench kills its networks itself on SIGTERM.
    const timer = setTimeout(() => child.kill('SIGTERM'), 540_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function accounted(load: LoadSummary): void {
  const rejected = Object.values(load.rejected).reduce((a, b) => a + b, 0);
  expect(load.submitted).toBeGreaterThan(0);
  expect(load.final).toBeGreaterThan(0);
  expect(load.final + rejected + load.pending + load.lost).toBe(load.submitted);
}

describe('pnpm bench --smoke', () => {
  it('prints its help', async () => {
    const { code, output } = await run(['--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/--quick/);
  });

  it('refuses an unknown part with a message', async () => {
    const { code, output } = await run(['--smoke', '--only', 'five']);
    expect(code).toBe(1);
    expect(output).toMatch(/unknown part "five"/);
  });

  it('measures every figure on real networks and writes JSON and Markdown', async () => {
    // Through the command the README shows (install, build, run), with --smoke for --quick; npm inside pnpm inside npx is what CI nests.
    const { code, output } = await run(['--smoke', '--out', out], true);
    expect(code, output).toBe(0);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const md = files.find((f) => f.endsWith('.md'));
    expect(json && md, files.join(', ')).toBeTruthy();
    const results = JSON.parse(readFileSync(join(out, json as string), 'utf8')) as BenchResults;
    expect(results.profile).toBe('smoke');
    expect(results.ceilings?.nodeVerifierPerSecond).toBeGreaterThan(0);
    expect(results.ceilings?.sqliteInsertsPerSecond).toBeGreaterThan(0);
    const one = results.one;
    const four = results.four;
    if (!one || !four) throw new Error('a network part is missing');
    accounted(one.throughput);
    accounted(one.queries.background);
    expect(one.queries.historyEvents).toBe(50);
    expect(one.queries.historyMs.count).toBeGreaterThan(0);
    expect(one.queries.blockPageMs.count).toBeGreaterThan(0);
    expect(one.queries.loopDelayMs?.p99).toBeGreaterThan(0);
    expect(one.queries.loopDelayMs?.max).toBeGreaterThanOrEqual(one.queries.loopDelayMs?.p99 ?? 0);
    expect(one.sync?.eventsPerSecond).toBeGreaterThan(0);
    expect(one.sync?.reached).toBeGreaterThanOrEqual(one.sync?.height ?? Number.POSITIVE_INFINITY);
    expect(one.bytesPerEvent).toBeGreaterThan(0);
    for (const run of four.latency) {
      accounted(run);
      expect(run.latencyMs.count).toBeGreaterThan(0);
    }
    accounted(four.throughput);
    expect(four.footprint).toHaveLength(5);
    expect(four.footprint.every((f) => (f.peakRssBytes ?? 0) > 0)).toBe(true);
    const table = readFileSync(join(out, md as string), 'utf8');
    expect(table).toMatch(/\| figure \| measured \| target \|/);
    expect(table).toMatch(/new observer sync/);
    expect(table).toMatch(/event-loop delay/);
  }, 600_000);
});
