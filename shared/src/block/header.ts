/**
 * The form of a block header, checked before anything is hashed or compared: exact fields, the
 * right types, hex of the right length, a real timestamp. Links to the chain are checked elsewhere.
 */
import { WaybillError } from '../errors.js';
import {
  isChainId,
  isCount,
  isHashHex,
  isKeyHex,
  isRecord,
  isTimestamp,
  unknownKey,
} from './fields.js';
import { HEADER_FIELDS } from './types.js';
import type { BlockHeader } from './types.js';

const HASH_RULE = [isHashHex, 'a SHA-256 hash, 64 lowercase hex characters'] as const;

type Rule = readonly [(value: unknown) => boolean, string];

const RULES: { readonly [K in keyof BlockHeader]: Rule } = {
  chainId: [isChainId, 'a non-empty string'],
  height: [isCount, 'a non-negative safe integer'],
  round: [isCount, 'a non-negative safe integer'],
  timestamp: [
    isTimestamp,
    'an ISO 8601 UTC timestamp with milliseconds (2026-11-23T12:00:00.000Z)',
  ],
  prevHash: HASH_RULE,
  txRoot: HASH_RULE,
  stateRoot: HASH_RULE,
  validatorsHash: HASH_RULE,
  proposer: [isKeyHex, 'an Ed25519 public key, 64 lowercase hex characters'],
};

const ALLOWED: ReadonlySet<string> = new Set(HEADER_FIELDS);

export interface ShapeProblem {
  /** JSON path of the offending value, such as `$.header.height`. */
  readonly path: string;
  readonly message: string;
}

/** The first thing wrong with the form of `value` as a header, or undefined if it is well formed. */
export function headerShapeProblem(value: unknown, path = '$'): ShapeProblem | undefined {
  if (!isRecord(value)) return { path, message: 'a block header must be a JSON object' };
  const extra = unknownKey(value, ALLOWED);
  if (extra !== undefined) {
    return { path: `${path}.${extra}`, message: `unknown header field "${extra}"` };
  }
  for (const field of HEADER_FIELDS) {
    const [test, expected] = RULES[field];
    const fieldValue = value[field];
    if (fieldValue === undefined) {
      return { path: `${path}.${field}`, message: `header field "${field}" is missing` };
    }
    if (!test(fieldValue)) {
      return { path: `${path}.${field}`, message: `header field "${field}" must be ${expected}` };
    }
  }
  return undefined;
}

export function isBlockHeader(value: unknown): value is BlockHeader {
  return headerShapeProblem(value) === undefined;
}

/** Returns `value` as a header or throws INVALID_BLOCK with `details.path` naming the bad field. */
export function validateHeaderShape(value: unknown, path = '$'): BlockHeader {
  const problem = headerShapeProblem(value, path);
  if (problem) throw new WaybillError('INVALID_BLOCK', problem.message, { path: problem.path });
  return value as BlockHeader;
}
