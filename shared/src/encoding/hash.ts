/** SHA-256 and the domain-separated hash every signed or hashed kind uses. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from './hex.js';
import { canonicalBytes } from './jcs.js';

/** Domain tags (protocol.md): a tx hash can never be confused with a block or vote hash. */
export const TAGS = {
  tx: 'waybill/tx/v1',
  block: 'waybill/block/v1',
  vote: 'waybill/vote/v1',
  proposal: 'waybill/proposal/v1',
  stateChanges: 'waybill/state/v1',
  validators: 'waybill/validators/v1',
  refusal: 'waybill/refusal/v1',
} as const;
export type HashTag = (typeof TAGS)[keyof typeof TAGS];

/** A SHA-256 implementation: bytes in, 32 bytes out. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

let implementation: Sha256 = nobleSha256;

/**
 * Replaces the SHA-256 implementation (noble's, in JavaScript, by default). The node installs
 * OpenSSL's, several times faster on the block path; a replacement must be SHA-256 itself (the
 * node's tests compare the two), so every hash stays the same.
 */
export function useSha256(sha: Sha256): void {
  implementation = sha;
}

export function sha256(data: Uint8Array): Uint8Array {
  return implementation(data);
}

const SEPARATOR = new Uint8Array([0]);

/** `sha256(utf8(tag) || 0x00 || jcs(obj))` as bytes. */
export function taggedHashBytes(tag: HashTag, obj: unknown): Uint8Array {
  return implementation(concatBytes(utf8ToBytes(tag), SEPARATOR, canonicalBytes(obj)));
}

/** `sha256(utf8(tag) || 0x00 || jcs(obj))` as lowercase hex. */
export function taggedHash(tag: HashTag, obj: unknown): string {
  return bytesToHex(taggedHashBytes(tag, obj));
}
