/**
 * docker-compose.yml and the Dockerfiles, checked against the code they run, without Docker: every
 * `waybill` command parses with the CLI's own commander program, the init service's command is run
 * for real into a temporary directory, every node's settings (its node.env, the image's and the
 * service's variables) load with the node's configuration, and ports, volumes, health checks and
 * the explorer's variables agree with the node's and the explorer's code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createDevnet } from '../src/cli/devnet.js';
import { NODE_ENV_FILE, nodeEnv, readNetwork, type Network } from '../src/cli/init.js';
import { createProgram } from '../src/cli/program.js';
import { loadNodeConfig, type NodeConfig } from '../src/config/node-config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// --- docker-compose.yml ---

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { disable?: boolean; test?: string[] };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = Object.entries(compose.services);

/** `${NAME:-default}` as compose interpolates it with NAME unset. */
function interpolate(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

function mounts(service: Service): { source: string; target: string; readOnly: boolean }[] {
  return (service.volumes ?? []).map((spec) => {
    const [source = '', target = '', mode] = spec.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

/** `host:container` port mappings. */
function published(service: Service): { host: number; container: number }[] {
  return (service.ports ?? []).map((spec) => {
    const [host, container] = spec.split(':').map(Number);
    return { host: host ?? NaN, container: container ?? NaN };
  });
}

// --- Dockerfiles ---

interface Dockerfile {
  text: string;
  stages: number;
  /** Instructions of the last stage, continuation lines joined. */
  final: { instruction: string; args: string }[];
}

function dockerfile(path: string): Dockerfile {
  const text = read(path);
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [instruction = '', ...rest] = l.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
  const from = lines.map((l) => l.instruction).lastIndexOf('FROM');
  return {
    text,
    stages: lines.filter((l) => l.instruction === 'FROM').length,
    final: lines.slice(from),
  };
}

function instruction(file: Dockerfile, name: string): string[] {
  return file.final.filter((l) => l.instruction === name).map((l) => l.args);
}

/** The JSON form of ENTRYPOINT, CMD or HEALTHCHECK's CMD. */
function execForm(args: string): string[] {
  return JSON.parse(args.replace(/^(--\S+\s+)*CMD\s+/, '')) as string[];
}

/** The image's WAYBILL_* variables. */
function imageEnv(file: Dockerfile): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instruction(file, 'ENV'))
    for (const [, key = '', value = ''] of args.matchAll(/(WAYBILL_\w+)=(\S+)/g)) env[key] = value;
  return env;
}

function exposed(file: Dockerfile): number[] {
  return instruction(file, 'EXPOSE').flatMap((args) => args.split(/\s+/).map(Number));
}

const nodeImage = dockerfile('backend/Dockerfile');
const explorerImage = dockerfile('frontend/Dockerfile');
const images: Record<string, Dockerfile> = {
  'backend/Dockerfile': nodeImage,
  'frontend/Dockerfile': explorerImage,
};

function imageOf(service: Service): Dockerfile {
  const file = images[service.build?.dockerfile ?? ''];
  if (!file) throw new Error(`no Dockerfile ${String(service.build?.dockerfile)}`);
  return file;
}

/** What the container runs: the service's entrypoint and command, else the image's. */
function argv(service: Service): string[] {
  const image = imageOf(service);
  const entrypoint =
    service.entrypoint ?? execForm(instruction(image, 'ENTRYPOINT').at(-1) ?? '[]');
  const command = service.command ?? execForm(instruction(image, 'CMD').at(-1) ?? '[]');
  return [...entrypoint, ...command];
}

// --- what the code accepts ---

/** Runs `args` through the real `waybill` program with every action replaced: options as parsed. */
function parseWaybill(args: string[]): { command: string; options: Record<string, unknown> } {
  const program = createProgram();
  const quiet = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    command.commands.forEach(quiet);
  };
  quiet(program);
  let parsed: { command: string; options: Record<string, unknown> } | undefined;
  for (const command of program.commands)
    command.action((...received: unknown[]) => {
      parsed = { command: command.name(), options: command.opts() };
      expect(received.at(-1)).toBe(command);
    });
  program.parse(args, { from: 'user' });
  if (!parsed) throw new Error(`waybill ${args.join(' ')} ran no command`);
  return parsed;
}

/** Every variable `waybill start --help` documents: the node's settings and the API's limits. */
function documentedVariables(): Set<string> {
  const program = createProgram();
  const start = program.commands.find((c) => c.name() === 'start');
  let help = '';
  start?.configureOutput({ writeOut: (text) => (help += text) });
  start?.outputHelp();
  return new Set(help.match(/^\s+(WAYBILL_[A-Z0-9_]+)\s/gm)?.map((l) => l.trim()));
}

const SETTINGS = documentedVariables();
/** The node's defaults: what loadNodeConfig makes of a data directory alone. */
const DEFAULTS = loadNodeConfig({ WAYBILL_DATA_DIR: '/data' });
/** The variables the explorer reads, from its configuration module. */
const EXPLORER_VARIABLES = new Set(
  [...read('frontend/src/config/read.ts').matchAll(/env\.(WAYBILL_[A-Z0-9_]+)/g)].map((m) => m[1]),
);

// --- the services ---

const nodeServices = services.filter(
  ([, s]) => s.build?.dockerfile === 'backend/Dockerfile' && argv(s)[1] === 'start',
);
const initServices = services.filter(
  ([, s]) => s.build?.dockerfile === 'backend/Dockerfile' && argv(s)[1] === 'init',
);
const [initName, init] = initServices[0] ?? ['', {}];
const initArgs = argv(init).slice(1);
const initDir = initArgs[initArgs.indexOf('--dir') + 1] ?? '';
const networkVolume = mounts(init).find((m) => m.target === initDir)?.source;

let temp = '';
let network: Network;
/** A path inside the init service's volume, on this machine. */
const onHost = (path: string) => join(temp, posix.relative(initDir, path));

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'waybill-compose-'));
  // The init service's command, run for real with its volume in a temporary directory; run twice,
  // as `docker compose up` does at every start.
  const run = () =>
    createProgram().parseAsync(
      initArgs.map((a) => (a === initDir ? temp : a)),
      { from: 'user' },
    );
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await run();
    const first = readFileSync(join(temp, 'network.json'), 'utf8');
    await run();
    expect(readFileSync(join(temp, 'network.json'), 'utf8')).toBe(first);
  } finally {
    quiet.mockRestore();
  }
  network = readNetwork(temp);
});

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('has one init service, a node service per node it creates, and the explorer', () => {
    expect(initServices).toHaveLength(1);
    expect(nodeServices.map(([name]) => name).sort()).toEqual(
      network.nodes.map((n) => n.name).sort(),
    );
    expect(network.nodes.filter((n) => n.role === 'authority')).toHaveLength(4);
    expect(network.nodes.filter((n) => n.role === 'observer')).toHaveLength(1);
    const explorers = services.filter(([, s]) => s.build?.dockerfile === 'frontend/Dockerfile');
    expect(explorers).toHaveLength(1);
    expect(services).toHaveLength(nodeServices.length + 2);
    for (const [, service] of services) {
      expect(service.build?.context).toBe('.');
      expect(existsSync(join(root, service.build?.dockerfile ?? ''))).toBe(true);
    }
  });

  it('runs only real waybill commands with real options', () => {
    for (const [name, service] of services.filter(([, s]) => imageOf(s) === nodeImage)) {
      const [program, ...args] = argv(service);
      expect(program, name).toBe('waybill');
      expect(() => parseWaybill(args), `${name}: waybill ${args.join(' ')}`).not.toThrow();
    }
    const { command, options } = parseWaybill(initArgs);
    expect(command).toBe('init');
    // Each node reached by its service name, on the node's default ports, kept across restarts.
    expect(options).toMatchObject({ hostnames: true, keepExisting: true });
    expect(options.basePort).toBe(DEFAULTS.port);
    // `waybill` in the image is the package's bin.
    const bin = (JSON.parse(read('backend/package.json')) as { bin: { waybill: string } }).bin
      .waybill;
    expect(nodeImage.text).toContain(`ln -s ${posix.join('/app', bin)} /usr/local/bin/waybill`);
  });

  it("gives each node settings the node accepts: its node.env from init, then the image's and the service's variables", () => {
    for (const [name, service] of nodeServices) {
      const node = network.nodes.find((n) => n.name === name);
      if (!node) throw new Error(`init made no node ${name}`);
      const { options } = parseWaybill(argv(service).slice(1));
      const envFile = options.envFile as string;
      // The file init wrote for this node, in the volume init wrote.
      expect(envFile).toBe(posix.join(initDir, node.name, NODE_ENV_FILE));
      const fromFile = parseEnv(readFileSync(onHost(envFile), 'utf8'));
      expect(fromFile).toEqual(nodeEnv(network, node));
      const fromImage = imageEnv(nodeImage);
      const fromService = service.environment ?? {};
      for (const variable of [
        ...Object.keys(fromFile),
        ...Object.keys(fromImage),
        ...Object.keys(fromService),
      ])
        expect(SETTINGS, `${name}: ${variable}`).toContain(variable);
      // The environment wins over --env-file, the service's variables over the image's.
      let config: NodeConfig | undefined;
      expect(() => {
        config = loadNodeConfig({ ...fromFile, ...fromImage, ...fromService });
      }, name).not.toThrow();
      if (!config) continue;

      expect(config.host).toBe('0.0.0.0');
      expect(config.p2pHost).toBe('0.0.0.0');
      expect(config.port).toBe(DEFAULTS.port);
      expect(config.p2pPort).toBe(DEFAULTS.p2pPort);
      // Keys and genesis from init's volume, read-only here; the database in the node's own volume.
      const own = mounts(service);
      expect(own).toContainEqual({ source: networkVolume, target: initDir, readOnly: true });
      const data = own.find((m) => m.target === config?.dataDir);
      expect(data?.readOnly).toBe(false);
      expect(
        nodeServices.filter(([, s]) => mounts(s).some((m) => m.source === data?.source)),
      ).toHaveLength(1);
      expect(instruction(nodeImage, 'VOLUME').join(' ')).toContain(config.dataDir);
      expect(existsSync(onHost(config.genesisFile))).toBe(true);
      expect(existsSync(onHost(config.peerKeyFile))).toBe(true);
      expect(config.peerKeyFile).toBe(posix.join(initDir, node.name, 'p2p.key'));
      if (node.role === 'authority')
        expect(config.authorityKeyFile).toBe(posix.join(initDir, node.name, 'authority.key'));
      else expect(config.authorityKeyFile.startsWith(`${config.dataDir}/`)).toBe(true);
      expect(existsSync(onHost(config.authorityKeyFile))).toBe(node.role === 'authority');
      // Peers: every other node by its service name and the port it listens on.
      expect(config.allowedPeers).toEqual(network.nodes.map((n) => n.peerId));
      expect(config.bootstrap).toEqual(
        network.nodes
          .filter((n) => n !== node)
          .map((n) => `/dns/${n.name}/tcp/${DEFAULTS.p2pPort}/p2p/${n.peerId}`),
      );
      // Started once init has finished; its API published on the host.
      expect(service.depends_on?.[initName]?.condition).toBe('service_completed_successfully');
      expect(published(service).map((p) => p.container)).toEqual([config.port]);
    }
    expect(mounts(init)).toEqual([{ source: networkVolume, target: initDir, readOnly: false }]);
    const hostPorts = services.flatMap(([, s]) => published(s).map((p) => p.host));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    const named = new Set(services.flatMap(([, s]) => mounts(s).map((m) => m.source)));
    expect(new Set(Object.keys(compose.volumes))).toEqual(named);
  });

  it('points the explorer at a node service, as its server and as browsers reach it', () => {
    const [name, explorer] = services.find(([, s]) => imageOf(s) === explorerImage) ?? ['', {}];
    const env = Object.fromEntries(
      Object.entries(explorer.environment ?? {}).map(([k, v]) => [k, interpolate(v)]),
    );
    for (const variable of Object.keys(env)) expect(EXPLORER_VARIABLES, name).toContain(variable);
    const server = new URL(env.WAYBILL_NODE_URL ?? '');
    const node = compose.services[server.hostname];
    expect(nodeServices.map(([n]) => n)).toContain(server.hostname);
    expect(Number(server.port)).toBe(DEFAULTS.port);
    expect(server.pathname).toBe('/graphql');
    const browser = new URL(env.WAYBILL_PUBLIC_NODE_URL ?? '');
    expect(['localhost', '127.0.0.1']).toContain(browser.hostname);
    expect(published(node ?? {})).toContainEqual({
      host: Number(browser.port),
      container: DEFAULTS.port,
    });
    expect(browser.pathname).toBe('/graphql');
    expect(explorer.depends_on?.[server.hostname]?.condition).toBe('service_healthy');
    const port = Number(argv(explorer)[argv(explorer).indexOf('-p') + 1]);
    expect(argv(explorer)).toContain('start');
    expect(exposed(explorerImage)).toEqual([port]);
    expect(published(explorer)).toEqual([{ host: port, container: port }]);
  });
});

describe('the Dockerfiles', () => {
  /** The URL a HEALTHCHECK fetches, `process.env.WAYBILL_PORT || 4000` read as its default. */
  function healthUrl(file: Dockerfile): URL {
    const script = execForm(instruction(file, 'HEALTHCHECK')[0] ?? '').join(' ');
    const match =
      /fetch\('http:\/\/127\.0\.0\.1:(?:' \+ \(process\.env\.WAYBILL_PORT \|\| (\d+)\) \+ '|(\d+))(\/[^']*)'\)/.exec(
        script,
      );
    if (!match) throw new Error(`no fetch of a local URL in ${script}`);
    return new URL(`http://127.0.0.1:${match[1] ?? match[2] ?? ''}${match[3] ?? ''}`);
  }

  it('build in stages, on a maintained Node LTS, with the pinned pnpm, and run as a user', () => {
    const pnpm = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;
    for (const file of [nodeImage, explorerImage]) {
      expect(file.stages).toBeGreaterThanOrEqual(2);
      expect(file.text).toMatch(/^ARG NODE_IMAGE=node:(22|24)-/m);
      expect(file.text).toContain(`npm install --global ${pnpm}`);
      expect(file.text).toContain('--frozen-lockfile');
      const users = instruction(file, 'USER');
      expect(users.length).toBeGreaterThan(0);
      expect(['root', '0']).not.toContain(users.at(-1));
    }
    expect(read('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });

  it("check the node's /readyz on its port, and expose its ports", () => {
    const url = healthUrl(nodeImage);
    expect(url.pathname).toBe('/readyz');
    expect(Number(url.port)).toBe(DEFAULTS.port);
    expect(read('backend/src/health/health.controller.ts')).toContain(`@Get('readyz')`);
    expect(exposed(nodeImage).sort()).toEqual([DEFAULTS.port, DEFAULTS.p2pPort].sort());
    expect(execForm(instruction(nodeImage, 'ENTRYPOINT').at(-1) ?? '')).toEqual(['waybill']);
    expect(() => parseWaybill(execForm(instruction(nodeImage, 'CMD').at(-1) ?? ''))).not.toThrow();
    for (const variable of Object.keys(imageEnv(nodeImage))) expect(SETTINGS).toContain(variable);
  });

  it("check a route of the explorer's on the port it serves", () => {
    const url = healthUrl(explorerImage);
    expect(exposed(explorerImage)).toEqual([Number(url.port)]);
    // An app-router file of frontend/src/app that serves the path as it is.
    const route = url.pathname === '/' ? 'page.tsx' : url.pathname.slice(1);
    expect(existsSync(join(root, 'frontend/src/app', route))).toBe(true);
  });

  it('compose overrides no health check but the init step’s, which ends', () => {
    for (const [name, service] of services) if (service.healthcheck) expect(name).toBe(initName);
    expect(init.healthcheck).toEqual({ disable: true });
  });
});

describe('the devnet', () => {
  it('runs its nodes with the node.env variables init writes, as the compose services do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waybill-compose-devnet-'));
    try {
      const devnet = await createDevnet({
        dir,
        nodeScript: fileURLToPath(new URL('../dist/main.js', import.meta.url)),
      });
      for (const node of devnet.nodes) {
        // The same file, written by init, rewritten by the devnet at each start with its extras.
        expect(node.envFile).toBe(join(node.dataDir, NODE_ENV_FILE));
        const written = parseEnv(readFileSync(node.envFile, 'utf8'));
        expect(node.env).toMatchObject(written);
        for (const variable of Object.keys(node.env)) expect(SETTINGS).toContain(variable);
        const composeNode = network.nodes.find((n) => n.name === node.name);
        expect(composeNode, node.name).toBeDefined();
        if (composeNode)
          expect(Object.keys(written).sort()).toEqual(
            Object.keys(nodeEnv(network, composeNode)).sort(),
          );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
