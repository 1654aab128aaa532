/**
 * Resilience: the node the explorer reads stops; the open dashboard says live updates paused;
 * the node starts again (its own process, as the devnet ran it) and the same page, never
 * reloaded, reconnects by itself and follows the chain again.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chainHeight } from './support/graphql.js';
import { expect, test } from './support/fixtures.js';
import { NODE_SCRIPT, REPO_DIR, RUN_DIR } from './support/paths.js';
import { startGroup, waitFor } from './support/processes.js';
import { runState } from './support/state.js';

/** The pid of the node process the devnet started last for this data directory. */
function devnetNodePid(envFile: string): number {
  const log = readFileSync(join(dirname(envFile), 'node.log'), 'utf8');
  const pids = [...log.matchAll(/started, pid (\d+)/g)].map((m) => Number(m[1]));
  const pid = pids.at(-1);
  if (pid === undefined) throw new Error(`no pid in ${envFile}'s node.log`);
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const heightOf = async (text: Promise<string>) => Number((await text).replace(/\D/g, ''));

test('resilience: the node stops and starts again; live updates resume without a reload', async ({
  page,
  journey,
}) => {
  test.setTimeout(120_000);
  const { nodeUrl, nodeEnvFile, nodeName } = runState();
  const height = page.getByTestId('finalized-height');
  const banner = page.getByRole('status').filter({ hasText: 'Live updates paused' });

  await page.goto('/');
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect(banner).toHaveCount(0);
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.evaluate(() => {
    (window as unknown as { e2eSamePage: boolean }).e2eSamePage = true;
  });
  await journey.shot(page, 'dashboard connected');

  // Stop the node: the devnet runs it as a process of its own.
  const pid = devnetNodePid(nodeEnvFile);
  process.kill(pid, 'SIGTERM');
  await waitFor('the node to exit', () => Promise.resolve(alive(pid) ? undefined : true), {
    timeoutMs: 10_000,
  });
  await expect(banner).toBeVisible();
  await expect(page.getByText('Reconnecting', { exact: true })).toBeVisible();
  await journey.step(page, 'live updates paused');
  const heightWhileDown = await heightOf(height.innerText());

  // Start it again, the way the devnet's message says to.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('WAYBILL_')),
  );
  startGroup(process.execPath, [`--env-file=${nodeEnvFile}`, NODE_SCRIPT], {
    cwd: REPO_DIR,
    env,
    logFile: join(RUN_DIR, `${nodeName}-restarted.log`),
  });
  await waitFor(
    'the node to answer again',
    async () => ((await chainHeight(nodeUrl)) > heightWhileDown ? true : undefined),
    { timeoutMs: 45_000, intervalMs: 500 },
  );

  // The page reconnects by itself (with backoff) and the height moves on.
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect
    .poll(() => heightOf(height.innerText()), { timeout: 20_000 })
    .toBeGreaterThan(heightWhileDown);
  const reconnectedAt = await heightOf(height.innerText());
  await expect
    .poll(() => heightOf(height.innerText()), { timeout: 20_000 })
    .toBeGreaterThan(reconnectedAt);
  await journey.step(page, 'live updates resumed');

  expect(navigations).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { e2eSamePage?: boolean }).e2eSamePage),
  ).toBe(true);
});
