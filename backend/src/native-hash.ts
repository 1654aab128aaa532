/**
 * Every hash of the protocol through OpenSSL instead of JavaScript: transaction and block hashes,
 * state roots and Merkle trees are SHA-256, and on the block path they are a large share of the
 * work. Same function, same bytes (test/native-hash.test.ts compares the two). Loaded first by
 * every entry point, with the polyfills.
 */
import * as crypto from 'node:crypto';
import { useSha256 } from '@waybill/shared/encoding';

// The one-shot `crypto.hash` (Node 20.12+) skips creating a Hash object per call.
const oneShot = (
  crypto as {
    hash?: ((algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer) &
      ((algorithm: string, data: string, encoding: 'hex') => string);
  }
).hash;

useSha256(
  (data) => {
    const digest = oneShot
      ? oneShot('sha256', data, 'buffer')
      : crypto.createHash('sha256').update(data).digest();
    // A plain Uint8Array view: a Buffer would serialize differently if anything ever printed it.
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
  // Tagged hashes: OpenSSL reads the string as UTF-8 and writes hex, no copies in JavaScript.
  (text) =>
    oneShot
      ? oneShot('sha256', text, 'hex')
      : crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
);
