/** Lowercase hex and UTF-8 conversions over Uint8Array (no Buffer: this runs in browsers). */
import { WaybillError } from '../errors.js';

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Value of each lowercase hex digit by char code; -1 for anything else. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUES['0123456789abcdef'.charCodeAt(i)] = i;

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i] as number] as string;
  return out;
}

/** Decodes lowercase hex; `expectedBytes` enforces a length. Throws BAD_ENCODING. */
export function hexToBytes(hex: string, expectedBytes?: number, label = 'hex'): Uint8Array {
  const fail = () =>
    new WaybillError('BAD_ENCODING', `${label} must be lowercase hex with an even length`);
  if (typeof hex !== 'string' || hex.length % 2 !== 0) throw fail();
  if (expectedBytes !== undefined && hex.length !== expectedBytes * 2) {
    throw new WaybillError(
      'BAD_ENCODING',
      `${label} must be ${expectedBytes} bytes (${expectedBytes * 2} hex characters), got ${hex.length} characters`,
    );
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX_VALUES[hex.charCodeAt(i * 2)] ?? -1;
    const lo = HEX_VALUES[hex.charCodeAt(i * 2 + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw fail();
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** True when `value` is lowercase hex of exactly `bytes` bytes. */
export function isHex(value: unknown, bytes?: number): value is string {
  return (
    typeof value === 'string' &&
    HEX_RE.test(value) &&
    (bytes === undefined || value.length === bytes * 2)
  );
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8ToBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function bytesToUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
