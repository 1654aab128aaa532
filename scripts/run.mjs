#!/usr/bin/env node
// The one entry point behind the root scripts (`npm test`, `npm run build`, ...).
// It needs only Node and npm: pnpm is fetched at the version pinned in package.json
// and dependencies are installed before any task runs, so a fresh clone works.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');

const USAGE = `usage: node scripts/run.mjs <task>

tasks:
  setup      install pnpm ${pnpmVersion} (through npx) and every workspace dependency
  build      build every package
  lint       eslint in every package, prettier --check over the repo
  typecheck  tsc --noEmit in every package
  test       the whole suite: format, build, lint, typecheck, then every package's tests
  format     prettier --write over the repo
  devnet     build, then run a local network of 4 authorities and an observer, one process each,
             seeded with realistic data (what npm start runs; extra arguments go to
             \`waybill devnet\`, e.g. --reset, --base-port 5001 or --authorities 1)
  demo       build, then start a single in-process node with the same seeded data (extra
             arguments go to \`waybill demo\`, e.g. --reset or --port 4001)`;

function fail(message) {
  process.stderr.write(`\nwaybill: ${message}\n`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(
      `Node ${process.versions.node} is too old: install Node 20.19 or newer (https://nodejs.org).`,
    );
  }
}

/** pnpm itself when we already run under it, otherwise the pinned version through npx. */
function pnpmCommand() {
  const agent = process.env.npm_config_user_agent ?? '';
  const execPath = process.env.npm_execpath;
  if (agent.startsWith(`pnpm/${pnpmVersion}`) && execPath) return [process.execPath, execPath];
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

function run(title, args, { cwd = root } = {}) {
  const [cmd, ...rest] = [...pnpmCommand(), ...args];
  process.stdout.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const result = spawnSync(cmd, rest, { cwd, stdio: 'inherit', env: { ...process.env } });
  if (result.error) fail(`could not start ${cmd}: ${result.error.message}. Is npm on your PATH?`);
  if (result.status !== 0) fail(`${title} failed (exit ${result.status ?? result.signal}).`);
  process.stdout.write(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function install() {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  run('install dependencies', ['install', '--prefer-offline', ...frozen]);
}

/** Other packages read @waybill/shared through its built types. */
function buildShared() {
  run('build @waybill/shared', ['--filter', '@waybill/shared', 'run', 'build']);
}

/**
 * Builds, then runs a `waybill` command in the foreground with the extra arguments, and exits with
 * its code. Ctrl-C reaches the command from the terminal (same process group), so this process
 * only waits for it to stop its nodes; a SIGTERM sent here is passed on.
 */
function waybill(command) {
  install();
  run('build', ['-r', 'run', 'build']);
  const cli = join(root, 'backend', 'dist', 'cli', 'main.js');
  process.stdout.write(`\n▶ waybill ${command}\n`);
  const child = spawn(process.execPath, [cli, command, ...process.argv.slice(3)], {
    cwd: root,
    stdio: 'inherit',
  });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const tasks = {
  setup: () => install(),
  build: () => {
    install();
    run('build', ['-r', 'run', 'build']);
  },
  lint: () => {
    install();
    buildShared();
    run('format check (prettier)', ['exec', 'prettier', '--check', '.']);
    run('lint', ['-r', 'run', 'lint']);
  },
  typecheck: () => {
    install();
    buildShared();
    run('typecheck', ['-r', 'run', 'typecheck']);
  },
  test: () => {
    install();
    run('format check (prettier)', ['exec', 'prettier', '--check', '.']);
    // Packages see @waybill/shared through its built types, so it builds before lint and types.
    run('build', ['-r', 'run', 'build']);
    run('lint', ['-r', 'run', 'lint']);
    run('typecheck', ['-r', 'run', 'typecheck']);
    run('test', ['-r', '--workspace-concurrency=1', 'run', 'test']);
  },
  devnet: () => waybill('devnet'),
  demo: () => waybill('demo'),
  format: () => {
    install();
    run('format (prettier)', ['exec', 'prettier', '--write', '.']);
  },
};

checkNode();
const task = process.argv[2];
if (!task || task === '--help' || task === '-h') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(task ? 0 : 2);
}
const fn = tasks[task];
if (!fn) fail(`unknown task "${task}".\n\n${USAGE}`);
fn();
