/**
 * RFC 8785 JSON Canonicalization Scheme: the one byte form of every signed or hashed object.
 * Object members are sorted by UTF-16 code units, numbers use the ECMAScript shortest form,
 * strings use JSON.stringify's escaping; lone surrogates, non-finite numbers and values JSON
 * cannot carry are refused, so two parties can never hash the same object differently.
 */
import { WaybillError } from '../errors.js';
import { utf8ToBytes } from './hex.js';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(path: string, what: string): never {
  throw new WaybillError('BAD_ENCODING', `cannot canonicalize ${path}: ${what}`, { path });
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) fail(path, 'string contains a lone surrogate');
  return JSON.stringify(value);
}

function serialize(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, `number ${String(value)} is not finite`);
      // ECMAScript Number-to-String is exactly RFC 8785's number form; -0 serializes as 0.
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, path);
    case 'object': {
      if (seen.has(value)) fail(path, 'value is circular');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v, i) => serialize(v, `${path}[${i}]`, seen)).join(',')}]`;
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null)
          fail(path, 'only plain objects are allowed');
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        out = `{${keys
          .map((k) => `${serializeString(k, path)}:${serialize(record[k], `${path}.${k}`, seen)}`)
          .join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      return fail(path, `${typeof value} is not a JSON value`);
  }
}

/** The RFC 8785 canonical JSON text of `value`. Throws BAD_ENCODING for non-JSON input. */
export function canonicalize(value: unknown): string {
  return serialize(value, '$', new Set());
}

/** UTF-8 bytes of the canonical JSON text. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8ToBytes(canonicalize(value));
}
