#!/usr/bin/env node
// The one entry point behind the root scripts (`npm test`, `npm run build`, ...).
// It needs only Node and npm: pnpm is fetched at the version pinned in package.json
// and dependencies are installed before any task runs, so a fresh clone works.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  test       the whole suite: dependency audit, format, build, lint, typecheck, then every
             package's tests
  audit      pnpm audit of the dependencies the packages ship (high and critical advisories
             fail it; when the registry's advisory service cannot be reached it says so and
             passes, unless WAYBILL_AUDIT_REQUIRED=1)
  format     prettier --write over the repo
  devnet     build, then run a local network of 4 authorities and an observer, one process each,
             seeded with realistic data, and the explorer on http://127.0.0.1:3000 (what npm start
             runs; extra arguments go to \`waybill devnet\`, e.g. --reset, --base-port 5001 or
             --authorities 1; --no-explorer leaves the explorer out; WAYBILL_EXPLORER_PORT moves it)
  demo       build, then start a single in-process node with the same seeded data (extra
             arguments go to \`waybill demo\`, e.g. --reset or --port 4001)
  bench      build the node and the benchmark, then run it (extra arguments go to it: --quick for
             about ten minutes, --smoke for a few seconds, --help for the rest); results go to
             bench/results/ and the method is in docs/benchmarks.md
  chaos      build, then inject faults into a devnet under load and check that it recovers and
             that nothing final is lost (what npm run test:chaos runs; --long for an hour,
             --seed N to replay, --help for the rest; docs/reliability.md)
  bench-import
             build, then import 100,000 EPCIS events into a fresh network with waybill import
             epcis, kill it part-way, resume it, and check every event landed exactly once (what
             npm run bench:import runs; --events N, --interrupt-at F; docs/epcis.md)`;

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
  // Under `npx pnpm`, npm_execpath still names npm's own CLI: trust it only when it is pnpm.
  if (agent.startsWith(`pnpm/${pnpmVersion}`) && execPath && /pnpm/.test(execPath)) {
    return [process.execPath, execPath];
  }
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

/**
 * Known advisories (high or critical) in the dependencies that run in production. The advisory
 * service is a separate endpoint from the package registry: a network that reaches only the
 * registry (or a mirror) cannot ask it, and then the audit says so instead of failing the build.
 */
function audit() {
  const [cmd, ...rest] = [...pnpmCommand(), 'audit', '--prod', '--audit-level', 'high'];
  process.stdout.write('\n▶ dependency audit (pnpm audit --prod --audit-level high)\n');
  const result = spawnSync(cmd, rest, { cwd: root, encoding: 'utf8', env: { ...process.env } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status === 0) {
    process.stdout.write(`${output.trim()}\n✔ dependency audit\n`);
    return;
  }
  const unreachable =
    /ERR_PNPM_AUDIT_BAD_RESPONSE|ERR_PNPM_AUDIT_ENDPOINT|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(
      output,
    );
  if (unreachable && process.env.WAYBILL_AUDIT_REQUIRED !== '1') {
    process.stdout.write(
      `⚠ dependency audit skipped: the registry's advisory service did not answer here:\n  ${output.trim().split('\n')[0]}\n  (set WAYBILL_AUDIT_REQUIRED=1 to make this an error)\n`,
    );
    return;
  }
  process.stdout.write(output);
  fail(
    'the dependency audit found high or critical advisories (above): upgrade or replace those packages.',
  );
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

/** `--dir` among the devnet arguments, or its default. */
function devnetDir(args) {
  const i = args.indexOf('--dir');
  const inline = args.find((a) => a.startsWith('--dir='));
  // As `waybill devnet` reads it: relative to the repository root, or absolute.
  return resolve(
    root,
    inline ? inline.slice(6) : i >= 0 ? args[i + 1] : join('.waybill', 'devnet'),
  );
}

/**
 * `npm start`: the devnet in the foreground and, once its first node answers, the explorer's
 * production server pointed at it, trusting the devnet's genesis. Either one stopping stops both.
 */
function devnetWithExplorer() {
  const args = process.argv.slice(3);
  const withExplorer = !args.includes('--no-explorer');
  const devnetArgs = args.filter((a) => a !== '--no-explorer');
  install();
  run('build', ['-r', 'run', 'build']);
  const cli = join(root, 'backend', 'dist', 'cli', 'main.js');
  const port = Number(process.env.WAYBILL_EXPLORER_PORT ?? 3000);
  process.stdout.write(`\n▶ waybill devnet ${devnetArgs.join(' ')}\n`);
  const devnet = spawn(process.execPath, [cli, 'devnet', ...devnetArgs], {
    cwd: root,
    stdio: 'inherit',
    // The nodes' Digital Link resolvers send browsers to the explorer's product pages.
    env: withExplorer
      ? { ...process.env, WAYBILL_EXPLORER_URL: `http://127.0.0.1:${port}` }
      : process.env,
  });
  let explorer;
  let stopping = false;
  const stopAll = (code) => {
    if (stopping) return;
    stopping = true;
    explorer?.kill('SIGTERM');
    if (devnet.exitCode === null) devnet.kill('SIGTERM');
    process.exitCode = code;
  };
  // Ctrl-C reaches the devnet from the terminal (same process group); signalling it again would
  // make it kill its nodes mid-shutdown. SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => {
    stopping = true;
    explorer?.kill('SIGTERM');
  });
  process.on('SIGTERM', () => stopAll(0));
  devnet.on('exit', (code, signal) => {
    explorer?.kill('SIGTERM');
    process.exit(stopping ? (process.exitCode ?? 0) : (code ?? (signal ? 1 : 0)));
  });
  if (!withExplorer) return;

  const networkFile = join(devnetDir(devnetArgs), 'network.json');
  const started = Date.now();
  const waitForNode = async () => {
    // The first run creates keys and seeds the demo; allow it time, but not forever.
    while (!stopping && Date.now() - started < 15 * 60_000) {
      try {
        const network = JSON.parse(readFileSync(networkFile, 'utf8'));
        const node = network.nodes[0];
        const base = `http://${network.host}:${node.httpPort}`;
        const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (ready.ok) return { url: `${base}/graphql`, genesisHash: network.genesisHash };
      } catch {
        // not written or not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return undefined;
  };
  void waitForNode().then((node) => {
    if (!node || stopping) return;
    const next = join(root, 'frontend', 'node_modules', 'next', 'dist', 'bin', 'next');
    explorer = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: join(root, 'frontend'),
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        WAYBILL_NODE_URL: node.url,
        WAYBILL_GENESIS_HASH: node.genesisHash,
      },
    });
    explorer.on('exit', (code) => {
      if (stopping) return;
      process.stderr.write(
        `\nwaybill: the explorer stopped (exit ${code}); is port ${port} taken? Set WAYBILL_EXPLORER_PORT to move it.\n`,
      );
    });
    process.stdout.write(
      `\n  explorer  http://127.0.0.1:${port}  (operators: /, consumers: a product's Digital Link path, staff: /staff)\n` +
        `            reading ${node.url}\n`,
    );
  });
}

/**
 * Builds the node and the bench package, then runs one of its entry points with the extra
 * arguments; the script kills its own networks on SIGTERM, which is passed on.
 */
function benchScript(title, script) {
  install();
  run('build the node and the benchmark', ['--filter', '@waybill/bench...', 'run', 'build']);
  process.stdout.write(`\n▶ ${title}\n`);
  const child = spawn(
    process.execPath,
    [join(root, 'bench', 'dist', script), ...process.argv.slice(3)],
    { cwd: root, stdio: 'inherit' },
  );
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
  audit: () => {
    install();
    audit();
  },
  test: () => {
    install();
    audit();
    run('format check (prettier)', ['exec', 'prettier', '--check', '.']);
    // Packages see @waybill/shared through its built types, so it builds before lint and types.
    run('build', ['-r', 'run', 'build']);
    run('lint', ['-r', 'run', 'lint']);
    run('typecheck', ['-r', 'run', 'typecheck']);
    run('test', ['-r', '--workspace-concurrency=1', 'run', 'test']);
  },
  devnet: () => devnetWithExplorer(),
  bench: () => benchScript('bench', 'main.js'),
  chaos: () => benchScript('chaos run', join('chaos', 'main.js')),
  'bench-import': () => benchScript('import benchmark', join('import', 'main.js')),
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
