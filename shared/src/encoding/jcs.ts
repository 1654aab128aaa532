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
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** The JSON path of a failure, built only when something fails (it is not free). */
function pathOf(parts: readonly (string | number)[]): string {
  let path = '$';
  for (const part of parts) path += typeof part === 'number' ? `[${part}]` : `.${part}`;
  return path;
}

function fail(parts: readonly (string | number)[], what: string): never {
  const path = pathOf(parts);
  throw new WaybillError('BAD_ENCODING', `cannot canonicalize ${path}: ${what}`, { path });
}

/** `String.prototype.isWellFormed` (ES2024) where the engine has it: native and much faster. */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean })
  .isWellFormed;

function hasLoneSurrogate(value: string): boolean {
  if (isWellFormed) return !isWellFormed.call(value);
  // Most strings hold no surrogate at all: only those need the slower lone-surrogate check.
  return ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value);
}

function serializeString(value: string, parts: (string | number)[]): string {
  if (hasLoneSurrogate(value)) fail(parts, 'string contains a lone surrogate');
  return JSON.stringify(value);
}

/** `parts` is the path to `value`, as a stack; `seen` the objects above it (cycles). */
function serialize(value: unknown, parts: (string | number)[], seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(parts, `number ${String(value)} is not finite`);
      // ECMAScript Number-to-String is exactly RFC 8785's number form; -0 serializes as 0.
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, parts);
    case 'object': {
      if (seen.has(value)) fail(parts, 'value is circular');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          parts.push(i);
          out += (i === 0 ? '' : ',') + serialize(value[i], parts, seen);
          parts.pop();
        }
        out += ']';
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null)
          fail(parts, 'only plain objects are allowed');
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        out = '{';
        let first = true;
        for (const k of keys) {
          const member = record[k];
          if (member === undefined) continue;
          const name = serializeString(k, parts);
          parts.push(k);
          out += `${first ? '' : ','}${name}:${serialize(member, parts, seen)}`;
          parts.pop();
          first = false;
        }
        out += '}';
      }
      seen.delete(value);
      return out;
    }
    default:
      return fail(parts, `${typeof value} is not a JSON value`);
  }
}

/** The RFC 8785 canonical JSON text of `value`. Throws BAD_ENCODING for non-JSON input. */
export function canonicalize(value: unknown): string {
  return serialize(value, [], new Set());
}

/** UTF-8 bytes of the canonical JSON text. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8ToBytes(canonicalize(value));
}
