/** SHA-256 and the domain-separated hash every signed or hashed kind uses. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from './hex.js';
import { canonicalize } from './jcs.js';

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

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export type Sha256HexOfText = (text: string) => string;

let implementation: Sha256 = nobleSha256;
let hexOfText: Sha256HexOfText | undefined;

/**
 * Replaces the SHA-256 implementation (noble's, in JavaScript, by default). The node installs
 * OpenSSL's, several times faster on the block path; a replacement must be SHA-256 itself (the
 * node's tests compare the two), so every hash stays the same. `textHex`, when given, hashes a
 * string's UTF-8 bytes straight to hex: tagged hashes then skip encoding, copying and hex
 * conversion in JavaScript (they are most of the hashing on the block path).
 */
export function useSha256(sha: Sha256, textHex?: Sha256HexOfText): void {
  implementation = sha;
  hexOfText = textHex;
}

export function sha256(data: Uint8Array): Uint8Array {
  return implementation(data);
}

/**
 * The text a tagged hash covers: `tag || 0x00 || jcs(obj)` (UTF-8 of U+0000 is the byte 0x00).
 * The canonical form holds no lone surrogate, so its UTF-8 encoding is the same everywhere.
 */
function taggedText(tag: HashTag, obj: unknown): string {
  return `${tag}\u0000${canonicalize(obj)}`;
}

/** `sha256(utf8(tag) || 0x00 || jcs(obj))` as bytes. */
export function taggedHashBytes(tag: HashTag, obj: unknown): Uint8Array {
  return implementation(utf8ToBytes(taggedText(tag, obj)));
}

/** `sha256(utf8(tag) || 0x00 || jcs(obj))` as lowercase hex. */
export function taggedHash(tag: HashTag, obj: unknown): string {
  const text = taggedText(tag, obj);
  return hexOfText ? hexOfText(text) : bytesToHex(implementation(utf8ToBytes(text)));
}
