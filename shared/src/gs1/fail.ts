/**
 * INVALID_GS1 errors. One constructor, so every GS1 failure carries the JSON path the caller gave
 * (`$.payload.gtin`) and quotes the offending input the same way, cut short so that hostile input
 * cannot bloat messages and logs.
 */
import { WaybillError } from '../errors.js';

/** Options of every GS1 validator: `path` is reported with an error, e.g. `$.payload.gtin`. */
export interface Gs1PathOptions {
  readonly path?: string | undefined;
}

const MAX_QUOTED = 64;

export function invalidGs1(message: string, path: string | undefined): WaybillError<'INVALID_GS1'> {
  return new WaybillError('INVALID_GS1', message, path === undefined ? {} : { path });
}

/** A string input quoted for a message (JSON escaping makes control characters visible). */
export function quote(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
}

/** What a non-string input was, for "must be a string, got …" messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Extends a JSON path with a member name; undefined stays undefined. */
export function subPath(path: string | undefined, member: string): string | undefined {
  return path === undefined ? undefined : `${path}.${member}`;
}
