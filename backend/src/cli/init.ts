/** `waybill init`: keys, genesis and one data directory per node of a new network. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenesisConfig } from '@waybill/shared/block';
import { generateKeyPair } from '@waybill/shared/keys';

export interface InitOptions {
  dir: string;
  authorities: number;
  observers: number;
  chainId: string;
  /** Names of the authorities, in order; defaults to "Authority 1", ... */
  names?: string[];
  force?: boolean;
}

export interface InitResult {
  genesis: GenesisConfig;
  nodes: { name: string; dataDir: string; publicKey?: string }[];
}

export function initNetwork(options: InitOptions): InitResult {
  const { dir, authorities, observers, chainId } = options;
  if (!options.force && existsSync(join(dir, 'genesis.json'))) {
    throw new Error(
      `${dir} already holds a network (genesis.json exists); pass --force to overwrite it, or choose another --dir`,
    );
  }
  const keys = Array.from({ length: authorities }, () => generateKeyPair());
  const genesis: GenesisConfig = {
    chainId,
    timestamp: new Date().toISOString(),
    authorities: keys.map((k, i) => ({
      publicKey: k.publicKey,
      name: options.names?.[i] ?? `Authority ${i + 1}`,
    })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'genesis.json'), `${JSON.stringify(genesis, null, 2)}\n`);
  const nodes: InitResult['nodes'] = [];
  keys.forEach((key, i) => {
    const dataDir = join(dir, `authority-${i + 1}`);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'genesis.json'), `${JSON.stringify(genesis, null, 2)}\n`);
    writeFileSync(join(dataDir, 'authority.key'), `${key.secretKey}\n`, { mode: 0o600 });
    nodes.push({ name: `authority-${i + 1}`, dataDir, publicKey: key.publicKey });
  });
  for (let i = 0; i < observers; i++) {
    const dataDir = join(dir, `observer-${i + 1}`);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'genesis.json'), `${JSON.stringify(genesis, null, 2)}\n`);
    nodes.push({ name: `observer-${i + 1}`, dataDir });
  }
  return { genesis, nodes };
}
