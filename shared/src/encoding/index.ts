/** Bytes, canonical JSON (RFC 8785) and domain-separated hashing. */
export {
  bytesToHex,
  bytesToUtf8,
  concatBytes,
  equalBytes,
  hexToBytes,
  isHex,
  utf8ToBytes,
} from './hex.js';
export { canonicalBytes, canonicalize, type JsonValue } from './jcs.js';
export {
  sha256,
  taggedHash,
  taggedHashBytes,
  TAGS,
  useSha256,
  type HashTag,
  type Sha256,
  type Sha256HexOfText,
} from './hash.js';
