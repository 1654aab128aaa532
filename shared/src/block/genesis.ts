/**
 * The genesis block header, derived entirely from the genesis configuration: the one document
 * everyone who verifies the chain starts from, so everything in it is checked before use.
 */
import { isValidPublicKey } from '../crypto/index.js';
import { taggedHash, TAGS } from '../encoding/index.js';
import type { JsonValue } from '../encoding/index.js';
import { WaybillError } from '../errors.js';
import { merkleRoot } from '../merkle/index.js';
import { isChainId, isRecord, isTimestamp, unknownKey } from './fields.js';
import { blockHash, ZERO_HASH } from './hash.js';
import { sortValidators, validatorsHash } from './validators.js';
import type { BlockHeader } from './types.js';

export interface GenesisAuthority {
  readonly publicKey: string;
  /** Human name shown by explorers, such as "Port of Rotterdam Authority". */
  readonly name: string;
}

/**
 * Chain parameters (heartbeat interval, clock skew and the like). Their meaning belongs to the
 * node; here they are only hashed, so they must be JSON with integers only: no float reaches a hash.
 */
export type GenesisParams = Readonly<Record<string, JsonValue>>;

export interface GenesisConfig {
  readonly chainId: string;
  /** The genesis block's timestamp, ISO 8601 UTC with milliseconds. */
  readonly timestamp: string;
  readonly authorities: readonly GenesisAuthority[];
  readonly params?: GenesisParams;
}

const GENESIS_KEYS: ReadonlySet<string> = new Set([
  'chainId',
  'timestamp',
  'authorities',
  'params',
]);
const AUTHORITY_KEYS: ReadonlySet<string> = new Set(['publicKey', 'name']);

function fail(path: string, message: string): never {
  throw new WaybillError('INVALID_BLOCK', `invalid genesis: ${message}`, { path });
}

/** Walks `value` and refuses anything but JSON with safe integers. */
function checkIntegerJson(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      fail(path, `${value} is not a safe integer (decimals travel as strings)`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkIntegerJson(item, `${path}[${i}]`);
    });
    return;
  }
  if (!isRecord(value)) fail(path, 'must be JSON');
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(path, 'must be a plain JSON object');
  for (const [key, item] of Object.entries(value)) checkIntegerJson(item, `${path}.${key}`);
}

/** Returns `value` as a genesis configuration or throws INVALID_BLOCK naming the bad entry. */
export function validateGenesis(value: unknown): GenesisConfig {
  if (!isRecord(value)) fail('$', 'the configuration must be a JSON object');
  const extra = unknownKey(value, GENESIS_KEYS);
  if (extra !== undefined) fail(`$.${extra}`, `unknown field "${extra}"`);
  if (!isChainId(value.chainId)) fail('$.chainId', 'chainId must be a non-empty string');
  if (!isTimestamp(value.timestamp)) {
    fail(
      '$.timestamp',
      'timestamp must be ISO 8601 UTC with milliseconds (2026-11-23T12:00:00.000Z)',
    );
  }
  const { authorities } = value;
  if (!Array.isArray(authorities) || authorities.length === 0) {
    fail('$.authorities', 'there must be at least one authority');
  }
  const seen = new Set<string>();
  (authorities as unknown[]).forEach((authority, i) => {
    const path = `$.authorities[${i}]`;
    if (!isRecord(authority)) fail(path, `authority ${i} must be { publicKey, name }`);
    const unknown = unknownKey(authority, AUTHORITY_KEYS);
    if (unknown !== undefined)
      fail(`${path}.${unknown}`, `authority ${i} has an unknown field "${unknown}"`);
    const { publicKey, name } = authority;
    if (typeof name !== 'string' || name.length === 0) {
      fail(`${path}.name`, `authority ${i} needs a non-empty name`);
    }
    if (!isValidPublicKey(publicKey)) {
      fail(
        `${path}.publicKey`,
        `authority ${i} ("${name}") has an invalid public key: it must be a canonical, non-small-order Ed25519 key in 64 lowercase hex characters`,
      );
    }
    if (seen.has(publicKey))
      fail(`${path}.publicKey`, `authority ${i} ("${name}") repeats key ${publicKey}`);
    seen.add(publicKey);
  });
  if (value.params !== undefined) {
    if (!isRecord(value.params)) fail('$.params', 'params must be a JSON object');
    checkIntegerJson(value.params, '$.params');
  }
  return value as unknown as GenesisConfig;
}

/** The genesis validator set, sorted by key. */
export function genesisValidators(genesis: GenesisConfig): string[] {
  return validatorsOf(validateGenesis(genesis));
}

function validatorsOf(config: GenesisConfig): string[] {
  return sortValidators(config.authorities.map((a) => a.publicKey));
}

/**
 * The state root before any block: `hash("waybill/state/v1", genesis config)`. Every later root
 * chains from it, so two chains with different configurations never share a state root.
 */
export function genesisStateRoot(genesis: GenesisConfig): string {
  return taggedHash(TAGS.stateChanges, validateGenesis(genesis));
}

/**
 * Height 0, round 0, no parent (prevHash of zeros), no transactions (txRoot of the empty tree),
 * the genesis state root, the authorities as validator set and the first of them, sorted by key,
 * as proposer: exactly what `proposerFor` gives for height 0, round 0.
 */
export function createGenesisHeader(genesis: GenesisConfig): BlockHeader {
  const config = validateGenesis(genesis);
  const validators = validatorsOf(config);
  return {
    chainId: config.chainId,
    height: 0,
    round: 0,
    timestamp: config.timestamp,
    prevHash: ZERO_HASH,
    txRoot: merkleRoot([]),
    stateRoot: taggedHash(TAGS.stateChanges, config),
    validatorsHash: validatorsHash(validators),
    proposer: validators[0] as string,
  };
}

/** The hash of the genesis header: the chain's identity, what the first block's prevHash names. */
export function genesisHash(genesis: GenesisConfig): string {
  return blockHash(createGenesisHeader(genesis));
}
