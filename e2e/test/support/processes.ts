/**
 * The processes a run starts (the devnet, the explorer, a node restarted by a test), each the
 * leader of its own process group, so stopping one stops everything it started. Every group id
 * goes to GROUPS_FILE at once, so teardown, and the test wrapper after it, can sweep them even
 * when a test or the set-up itself failed half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GROUPS_FILE } from './paths.js';

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Every line of output so far. */
  output: () => string;
}

export function startGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Started {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  appendFileSync(GROUPS_FILE, `${String(pid)}\n`);
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    log.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('exit', () => {
    log.end();
  });
  // The test process must not wait for these to exit.
  child.unref();
  return { child, pid, output: () => text };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to each group (SIGCONT first, in case a test stopped one), SIGKILL after `graceMs`. */
export async function stopGroups(pgids: readonly number[], graceMs = 8000): Promise<void> {
  const alive = pgids.filter(groupAlive);
  for (const pgid of alive) {
    signalGroup(pgid, 'SIGCONT');
    signalGroup(pgid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (alive.some(groupAlive) && Date.now() < deadline) await sleep(100);
  for (const pgid of alive.filter(groupAlive)) signalGroup(pgid, 'SIGKILL');
  while (alive.some(groupAlive)) await sleep(50);
}

export function recordedGroups(): number[] {
  if (!existsSync(GROUPS_FILE)) return [];
  return readFileSync(GROUPS_FILE, 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/**
 * The kernel's ephemeral range, from which outgoing connections (the nodes' own dials among them)
 * take their local ports: a listening port picked inside it can be taken before it is bound.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: assume the IANA range.
  }
  return [49152, 65535];
}

/** Random candidates below the ephemeral range (or above it, when it starts too low). */
function candidate(span: number): number {
  const [low, high] = ephemeralRange();
  const [from, to] = low - span > 12_000 ? [10_000, low - span] : [high + 1, 65_535 - span];
  return from + Math.floor(Math.random() * (to - from));
}

/** A free port for a server: outside the ephemeral range, checked by binding it. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = candidate(1);
    if (await portFree(port)) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

/**
 * A base port P for the devnet with P..P+n-1 (HTTP) and P+100..P+100+n-1 (p2p) all free, outside
 * the ephemeral range.
 */
export async function freeDevnetBase(nodes: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = candidate(100 + nodes);
    const ports = Array.from({ length: nodes }, (_, i) => [base + i, base + 100 + i]).flat();
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free range of ports for the devnet on 127.0.0.1');
}

/** Thrown from a `waitFor` check to stop waiting at once (the process it waits for died). */
export class GaveUp extends Error {}

/** Polls `check` until it returns a value, or fails with `what` and the last error. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 250 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GaveUp) throw error;
      last = error;
    }
    await sleep(intervalMs);
  }
  const reason = last instanceof Error ? `: ${last.message}` : '';
  throw new Error(`timed out after ${String(timeoutMs / 1000)} s waiting for ${what}${reason}`);
}
