/**
 * A small validating schema kit: each schema parses `unknown` into a typed value or throws
 * INVALID_PAYLOAD naming the JSON path of the first thing wrong. Objects are exact (unknown fields
 * are rejected, not ignored) and types are inferred from the schemas, so no rule is written twice.
 */
import { WaybillError, type RejectionCode } from '../errors.js';

export interface Schema<T> {
  parse(value: unknown, path: string): T;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Marks an object member as optional. */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

export function invalid(
  path: string,
  message: string,
  code: RejectionCode = 'INVALID_PAYLOAD',
): never {
  throw new WaybillError(code, `${path}: ${message}`, { path });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
    : typeof value;
}

export interface StringOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** What the pattern means, for the error message ("64 lowercase hex characters"). */
  expected?: string;
  check?: (value: string, path: string) => void;
}

export function string(options: StringOptions = {}): Schema<string> {
  const { min = 1, max = 1000, pattern, expected, check } = options;
  return {
    parse(value, path) {
      if (typeof value !== 'string')
        return invalid(path, `expected a string, got ${describe(value)}`);
      if (value.length < min)
        return invalid(
          path,
          min === 1 ? 'must not be empty' : `must be at least ${min} characters`,
        );
      if (value.length > max)
        return invalid(path, `must be at most ${max} characters, got ${value.length}`);
      if (pattern && !pattern.test(value)) {
        return invalid(
          path,
          `expected ${expected ?? `a string matching ${String(pattern)}`}, got ${describe(value)}`,
        );
      }
      check?.(value, path);
      return value;
    },
  };
}

export function literal<const T extends string>(...values: T[]): Schema<T> {
  return {
    parse(value, path) {
      if (typeof value !== 'string' || !(values as string[]).includes(value)) {
        return invalid(
          path,
          `expected one of ${values.map((v) => `"${v}"`).join(', ')}, got ${describe(value)}`,
        );
      }
      return value as T;
    },
  };
}

export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return {
    parse(value, path) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        return invalid(path, `expected a safe integer, got ${describe(value)}`);
      }
      if (value < min || value > max)
        return invalid(path, `must be between ${min} and ${max}, got ${value}`);
      return value;
    },
  };
}

export function array<T>(
  item: Schema<T>,
  options: { min?: number; max?: number; unique?: boolean } = {},
): Schema<T[]> {
  const { min = 0, max = 1000, unique = false } = options;
  return {
    parse(value, path) {
      if (!Array.isArray(value)) return invalid(path, `expected an array, got ${describe(value)}`);
      if (value.length < min)
        return invalid(path, min === 1 ? 'must not be empty' : `must hold at least ${min} entries`);
      if (value.length > max)
        return invalid(path, `must hold at most ${max} entries, got ${value.length}`);
      const out = value.map((v, i) => item.parse(v, `${path}[${i}]`));
      if (unique) {
        const seen = new Set<string>();
        out.forEach((v, i) => {
          const key = JSON.stringify(v);
          if (seen.has(key)) invalid(`${path}[${i}]`, 'is listed twice');
          seen.add(key);
        });
      }
      return out;
    },
  };
}

/** A value of `schema`, or `null` (a vote for no block, for instance). */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return { parse: (value, path) => (value === null ? null : schema.parse(value, path)) };
}

export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return { optional: true, parse: (value, path) => schema.parse(value, path) };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An exact object: every required member present, no member the schema does not name. */
export function object<S extends Shape>(
  shape: S,
  refine?: (value: ObjectOf<S>, path: string) => void,
): Schema<ObjectOf<S>> {
  return {
    parse(value, path) {
      if (!isPlainObject(value)) return invalid(path, `expected an object, got ${describe(value)}`);
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) invalid(`${path}.${key}`, 'is not a known field');
      }
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const member = value[key];
        if (member === undefined) {
          if ('optional' in schema) continue;
          invalid(`${path}.${key}`, 'is required');
        }
        out[key] = schema.parse(member, `${path}.${key}`);
      }
      const typed = out as ObjectOf<S>;
      refine?.(typed, path);
      return typed;
    },
  };
}

/** Plain JSON as `jsonObject` accepts it. */
export type JsonObject = { [key: string]: JsonData };
export type JsonData = null | boolean | number | string | JsonData[] | JsonObject;

/**
 * Any JSON object, such as a captured EPCIS event kept whole: plain data only (no non-finite
 * numbers), nested at most `maxDepth` deep. Returned as a copy, so the payload owns it.
 */
export function jsonObject(options: { maxDepth?: number } = {}): Schema<JsonObject> {
  const { maxDepth = 16 } = options;
  const copy = (value: unknown, path: string, depth: number): JsonData => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      return Number.isFinite(value) ? value : invalid(path, 'expected a finite number');
    }
    if (depth >= maxDepth) return invalid(path, `nests deeper than ${maxDepth} levels`);
    if (Array.isArray(value)) return value.map((v, i) => copy(v, `${path}[${i}]`, depth + 1));
    if (isPlainObject(value)) {
      const out: JsonObject = {};
      for (const [key, member] of Object.entries(value)) {
        out[key] = copy(member, `${path}.${key}`, depth + 1);
      }
      return out;
    }
    return invalid(path, `expected JSON, got ${describe(value)}`);
  };
  return {
    parse(value, path) {
      if (!isPlainObject(value)) return invalid(path, `expected an object, got ${describe(value)}`);
      return copy(value, path, 0) as JsonObject;
    },
  };
}
