#!/usr/bin/env node
// `pnpm test` in e2e: makes sure Debian's Chromium is there (installing the `chromium` package
// when it is missing and this runs as root with apt-get, otherwise saying how), then runs
// `playwright test` with any extra arguments. Whatever happens, it finally stops every process
// group the run recorded (global teardown already does; this covers a killed or crashed run).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const groupsFile = join(e2eDir, 'artifacts', 'run', 'process-groups');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  process.stderr.write(`\ne2e: ${message}\n`);
  process.exit(1);
}

function ensureChromium() {
  if (executable(chromium)) return;
  if (process.env.CHROMIUM_PATH) {
    fail(`CHROMIUM_PATH is set to ${chromium}, which is not an executable file.`);
  }
  const howTo =
    'Install Debian’s Chromium with `sudo apt-get install -y chromium` (or point CHROMIUM_PATH at a Chromium or Chrome binary), then run the tests again.';
  const root = process.getuid?.() === 0;
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find(executable);
  if (!root || !aptGet) fail(`Chromium was not found at ${chromium}. ${howTo}`);
  process.stdout.write(`Chromium is missing: installing the chromium package with ${aptGet}…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync(aptGet, ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    }).status === 0;
  if (!install()) {
    spawnSync(aptGet, ['update'], { stdio: 'inherit', env });
    if (!install()) fail(`apt-get could not install chromium. ${howTo}`);
  }
  if (!executable(chromium)) fail(`chromium was installed but ${chromium} is missing. ${howTo}`);
}

function sweep() {
  if (!existsSync(groupsFile)) return;
  for (const line of readFileSync(groupsFile, 'utf8').split('\n')) {
    const pgid = Number(line);
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
      process.stderr.write(`e2e: killed process group ${String(pgid)} left running\n`);
    } catch {
      // Stopped by the teardown, as it should be.
    }
  }
}

ensureChromium();
const cli = join(e2eDir, 'node_modules', '@playwright', 'test', 'cli.js');
const child = spawn(process.execPath, [cli, 'test', ...process.argv.slice(2)], {
  cwd: e2eDir,
  stdio: 'inherit',
});
// Ctrl-C reaches Playwright through the terminal; a SIGTERM sent here is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  sweep();
  process.exit(code ?? (signal ? 1 : 0));
});
