import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, canonicalize, sha256, taggedHash, TAGS } from '@waybill/shared/encoding';
import { describe, expect, it } from 'vitest';
import '../src/native-hash.js';

describe('the node hashes with OpenSSL', () => {
  it('gives the same SHA-256 as noble on empty, short, block-sized and long inputs', () => {
    for (const length of [0, 1, 31, 32, 55, 56, 63, 64, 65, 1000, 100_000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      const native = sha256(data);
      expect(native).toBeInstanceOf(Uint8Array);
      expect(Object.getPrototypeOf(native)).toBe(Uint8Array.prototype);
      expect(bytesToHex(native)).toBe(bytesToHex(nobleSha256(data)));
    }
  });

  it('hashes tagged text as UTF-8 exactly as the byte path does, beyond ASCII too', () => {
    const values = [
      { a: 1 },
      { name: 'Crème fraîche 🧀', note: 'Zürich → Łódź', quote: '"\\\n\u0000' },
      { nested: [{ z: null, y: [true, 2.5, -0] }], empty: {} },
      'x'.repeat(70_000),
    ];
    for (const value of values) {
      const bytes = new TextEncoder().encode(`${TAGS.stateChanges}\u0000${canonicalize(value)}`);
      expect(taggedHash(TAGS.stateChanges, value)).toBe(bytesToHex(nobleSha256(bytes)));
    }
  });

  it('keeps the protocol vector of a tagged hash', () => {
    // protocol.md: sha256("waybill/tx/v1" || 0x00 || jcs({"a":1}))
    const expected = bytesToHex(nobleSha256(new TextEncoder().encode(`${TAGS.tx}\u0000{"a":1}`)));
    expect(taggedHash(TAGS.tx, { a: 1 })).toBe(expected);
  });
});
