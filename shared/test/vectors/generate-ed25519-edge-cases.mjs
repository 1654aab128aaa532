/**
 * Regenerates ed25519-edge-cases.json, the committed suite that pins which Ed25519 inputs strict
 * verification (noble, `zip215: false`) and Node's built-in verifier (OpenSSL) accept. The node
 * may only swap in OpenSSL where this suite proves both give the same answer (protocol.md,
 * "Signature"), so every case here is one where implementations are known to differ somewhere:
 * small-order and mixed-order keys, non-canonical encodings, S >= L, R with a torsion component,
 * wrong lengths. Run from shared/: `node test/vectors/generate-ed25519-edge-cases.mjs`.
 *
 * Output is deterministic (fixed seeds, deterministic signing, messages found by counting), so a
 * regeneration on the same Node/OpenSSL gives byte-identical JSON. `strict` is what each case is
 * built to test and is checked against noble here; `openssl` is recorded from the running Node.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';

const OUT = new URL('./ed25519-edge-cases.json', import.meta.url);
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const { Point } = ed25519;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
const utf8 = (text) => new Uint8Array(Buffer.from(text, 'utf8'));
const concat = (...parts) => new Uint8Array(Buffer.concat(parts));

function numberToLE(n, length = 32) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  if (n !== 0n) throw new Error('number does not fit');
  return out;
}

function leToNumber(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

const mod = (a, m) => ((a % m) + m) % m;

/** A fixed secret key per label, so regeneration is reproducible. */
function seed(label) {
  return new Uint8Array(
    createHash('sha512').update(`waybill/ed25519-edge/${label}`).digest(),
  ).slice(0, 32);
}

/** RFC 8032 challenge k = SHA-512(R || A || M) mod L over the exact bytes given. */
function challenge(rBytes, aBytes, message) {
  const digest = createHash('sha512').update(rBytes).update(aBytes).update(message).digest();
  return mod(leToNumber(digest), L);
}

/** Same contract as verifyStrict in src/crypto: lengths first, false on any throw. */
function strictVerify(publicKey, message, signature) {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Node's built-in verifier; any throw (bad SPKI, bad length) counts as "not valid". */
function opensslVerify(publicKey, message, signature) {
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** The first `waybill edge case N` message for which `accept(message)` holds. */
function findMessage(accept, limit = 256) {
  for (let i = 0; i < limit; i++) {
    const message = utf8(`waybill edge case ${i}`);
    if (accept(message)) return message;
  }
  throw new Error('no message found');
}

const BASE_MESSAGE = utf8('waybill edge case');

// The whole torsion subgroup E[8]: eight points, canonical encodings (checked below).
const SMALL_ORDER = [
  ['identity', 1, '0100000000000000000000000000000000000000000000000000000000000000'],
  ['order-2', 2, 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['order-4-a', 4, '0000000000000000000000000000000000000000000000000000000000000000'],
  ['order-4-b', 4, '0000000000000000000000000000000000000000000000000000000000000080'],
  ['order-8-a', 8, '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
  ['order-8-b', 8, '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
  ['order-8-c', 8, 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
  ['order-8-d', 8, 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'],
].map(([name, order, encoding]) => {
  const point = Point.fromBytes(unhex(encoding), false);
  if (hex(point.toBytes()) !== encoding || !point.isSmallOrder()) throw new Error(name);
  let multiple = point;
  for (let i = 1; i < order; i++) multiple = multiple.add(point);
  if (!multiple.is0()) throw new Error(`${name} is not of order ${order}`);
  return { name, order, encoding, point };
});
if (new Set(SMALL_ORDER.map((t) => t.encoding)).size !== 8) throw new Error('torsion not distinct');
const torsion = (name) => SMALL_ORDER.find((t) => t.name === name).point;

// Non-canonical encodings of small-order points: y >= p, or x = 0 with the sign bit set.
const NON_CANONICAL_SMALL_ORDER = [
  [
    'y-p-plus-1',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'identity, y = p + 1',
  ],
  ['y-p', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'order 4, y = p'],
  [
    'y-p-sign',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'order 4, y = p, sign bit',
  ],
  [
    'y-p-plus-1-sign',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'identity, y = p + 1, x = 0 with sign bit',
  ],
  [
    'identity-sign',
    '0100000000000000000000000000000000000000000000000000000000000080',
    'identity, x = 0 with sign bit',
  ],
  [
    'order-2-sign',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'order 2, x = 0 with sign bit',
  ],
];

/** A signer whose scalar we know, so we can build signatures with any R we like. */
function signer(label) {
  const { scalar, point, pointBytes } = ed25519.utils.getExtendedPublicKey(seed(label));
  return { secretKey: seed(label), scalar, point, publicKey: pointBytes };
}

/**
 * A signature with R = [r]B + T and S = r + k*a: the prime-order part of the equation holds, and
 * T is the only thing left over. Cofactored verification ignores T; cofactorless does not.
 */
function signWithTorsionR(a, aBytes, message, r, T) {
  const R = r === 0n ? T : Point.BASE.multiply(r).add(T);
  const rBytes = R.toBytes();
  const k = challenge(rBytes, aBytes, message);
  return concat(rBytes, numberToLE(mod(r + k * a, L)));
}

const cases = [];

function add(id, comment, publicKey, message, signature, strict) {
  const actual = strictVerify(publicKey, message, signature);
  if (actual !== strict)
    throw new Error(`${id}: built to be strict=${strict}, noble says ${actual}`);
  if (cases.some((c) => c.id === id)) throw new Error(`duplicate id ${id}`);
  cases.push({
    id,
    comment,
    publicKey: hex(publicKey),
    message: hex(message),
    signature: hex(signature),
    strict,
    openssl: opensslVerify(publicKey, message, signature),
  });
}

const alice = signer('alice');
const goodSig = ed25519.sign(BASE_MESSAGE, alice.secretKey);
const goodR = goodSig.slice(0, 32);
const goodS = leToNumber(goodSig.slice(32));
const withS = (s, r = goodR) => concat(r, numberToLE(s));

// --- Baselines -----------------------------------------------------------------------------------
add('valid', 'an ordinary signature', alice.publicKey, BASE_MESSAGE, goodSig, true);
add(
  'valid-empty-message',
  'an ordinary signature over the empty message',
  alice.publicKey,
  new Uint8Array(0),
  ed25519.sign(new Uint8Array(0), alice.secretKey),
  true,
);
add(
  'wrong-message',
  'signature over a different message',
  alice.publicKey,
  utf8('waybill edge casf'),
  goodSig,
  false,
);
{
  const bob = signer('bob');
  add('wrong-key', 'a valid key that did not sign', bob.publicKey, BASE_MESSAGE, goodSig, false);
}
for (const [id, index, bit] of [
  ['flip-r-bit-0', 0, 0],
  ['flip-r-bit-255', 31, 7],
  ['flip-s-bit-0', 32, 0],
  ['flip-s-bit-200', 57, 0],
]) {
  const sig = goodSig.slice();
  sig[index] ^= 1 << bit;
  add(
    id,
    `the valid signature with bit ${(index % 32) * 8 + bit} of ${index < 32 ? 'R' : 'S'} flipped`,
    alice.publicKey,
    BASE_MESSAGE,
    sig,
    false,
  );
}
{
  const key = alice.publicKey.slice();
  key[0] ^= 1;
  add('flip-key-bit-0', 'the signing key with bit 0 flipped', key, BASE_MESSAGE, goodSig, false);
}

// --- Lengths -------------------------------------------------------------------------------------
add(
  'key-31-bytes',
  'public key truncated to 31 bytes',
  alice.publicKey.slice(0, 31),
  BASE_MESSAGE,
  goodSig,
  false,
);
add(
  'key-33-bytes',
  'public key with a zero byte appended',
  concat(alice.publicKey, new Uint8Array(1)),
  BASE_MESSAGE,
  goodSig,
  false,
);
add('key-empty', 'empty public key', new Uint8Array(0), BASE_MESSAGE, goodSig, false);
add(
  'sig-63-bytes',
  'signature truncated to 63 bytes',
  alice.publicKey,
  BASE_MESSAGE,
  goodSig.slice(0, 63),
  false,
);
add(
  'sig-65-bytes',
  'signature with a zero byte appended',
  alice.publicKey,
  BASE_MESSAGE,
  concat(goodSig, new Uint8Array(1)),
  false,
);
add('sig-empty', 'empty signature', alice.publicKey, BASE_MESSAGE, new Uint8Array(0), false);

// --- S out of range (Wycheproof "signature malleability") ------------------------------------
add(
  's-plus-l',
  'S + L: the classic malleated twin of a valid signature',
  alice.publicKey,
  BASE_MESSAGE,
  withS(goodS + L),
  false,
);
add('s-plus-2l', 'S + 2L', alice.publicKey, BASE_MESSAGE, withS(goodS + 2n * L), false);
add(
  's-plus-8l',
  'S + 8L (still below 2^256)',
  alice.publicKey,
  BASE_MESSAGE,
  withS(goodS + 8n * L),
  false,
);
add('s-equals-l', 'S = L with the valid R', alice.publicKey, BASE_MESSAGE, withS(L), false);
add(
  's-bit-255-set',
  'S with bit 255 set (S + 2^255)',
  alice.publicKey,
  BASE_MESSAGE,
  withS(goodS + (1n << 255n)),
  false,
);
add(
  's-bits-253-255-set',
  'S with the top three bits set',
  alice.publicKey,
  BASE_MESSAGE,
  withS(goodS | (7n << 253n)),
  false,
);
add('s-all-ones', 'S = 2^256 - 1', alice.publicKey, BASE_MESSAGE, withS((1n << 256n) - 1n), false);

// --- Special values of R and S on a valid key (Wycheproof-style grid) ------------------------
const SPECIAL_R = [
  ['r-zero', new Uint8Array(32), 'R = 0x00..00 (an order-4 point)'],
  ['r-identity', unhex(SMALL_ORDER[0].encoding), 'R = identity'],
  ['r-order-2', unhex(SMALL_ORDER[1].encoding), 'R = the order-2 point'],
  ['r-ff', new Uint8Array(32).fill(0xff), 'R = 0xff..ff (y >= p)'],
];
const SPECIAL_S = [
  ['s-0', 0n],
  ['s-1', 1n],
  ['s-l-minus-1', L - 1n],
  ['s-l', L],
  ['s-l-plus-1', L + 1n],
  ['s-p', P],
];
for (const [rId, rBytes, rText] of SPECIAL_R) {
  for (const [sId, s] of SPECIAL_S) {
    add(
      `special-${rId}-${sId}`,
      `${rText}, ${sId.replace('s-', 'S = ')}`,
      alice.publicKey,
      BASE_MESSAGE,
      withS(s, rBytes),
      false,
    );
  }
}

// --- R variants on a valid key -------------------------------------------------------------------
{
  const sig = goodSig.slice();
  sig[31] ^= 0x80;
  add('r-negated', 'R with its sign bit flipped (-R)', alice.publicKey, BASE_MESSAGE, sig, false);
}
{
  // R = identity and S = k*a satisfies [S]B = R + [k]A exactly: a valid (if odd) signature.
  const rBytes = unhex(SMALL_ORDER[0].encoding);
  const k = challenge(rBytes, alice.publicKey, BASE_MESSAGE);
  add(
    'r-identity-s-ka',
    'R = identity, S = k*a: both equations hold exactly',
    alice.publicKey,
    BASE_MESSAGE,
    withS(mod(k * alice.scalar, L), rBytes),
    true,
  );
}
for (const [id, encoding, text] of [
  ['r-identity-y-p-plus-1', NON_CANONICAL_SMALL_ORDER[0][1], 'R = identity encoded with y = p + 1'],
  [
    'r-identity-x0-sign',
    NON_CANONICAL_SMALL_ORDER[4][1],
    'R = identity encoded with x = 0 and the sign bit',
  ],
]) {
  const rBytes = unhex(encoding);
  const k = challenge(rBytes, alice.publicKey, BASE_MESSAGE);
  add(
    id,
    `${text}, S = k*a (would verify if R were decoded leniently)`,
    alice.publicKey,
    BASE_MESSAGE,
    withS(mod(k * alice.scalar, L), rBytes),
    false,
  );
}
{
  // y = 2 has no x on the curve (checked): R that is not a point at all.
  const rBytes = numberToLE(2n);
  let decodes = true;
  try {
    Point.fromBytes(rBytes, true);
  } catch {
    decodes = false;
  }
  if (decodes) throw new Error('y = 2 unexpectedly on the curve');
  add(
    'r-not-on-curve',
    'R with y = 2, which is not on the curve',
    alice.publicKey,
    BASE_MESSAGE,
    withS(goodS, rBytes),
    false,
  );
}
{
  // R = [r]B + T, S = r + k*a: honest except for a torsion component in R. Strict noble checks the
  // cofactored equation [8]([S]B - R - [k]A) = 0 and accepts; OpenSSL checks [S]B - [k]A == R
  // byte for byte and refuses. The one disagreement that survives the key and S checks.
  const r = mod(leToNumber(seed('alice-nonce')), L);
  for (const name of ['order-2', 'order-4-a', 'order-8-a', 'order-8-d']) {
    add(
      `r-torsion-${name}`,
      `R = [r]B + T (T ${name.replace('order-', 'of order ')}), S = r + k*a: cofactored equation holds, cofactorless does not`,
      alice.publicKey,
      BASE_MESSAGE,
      signWithTorsionR(alice.scalar, alice.publicKey, BASE_MESSAGE, r, torsion(name)),
      true,
    );
  }
  add(
    'r-small-order-s-ka',
    'R = an order-8 point, S = k*a: cofactored equation holds, cofactorless does not',
    alice.publicKey,
    BASE_MESSAGE,
    signWithTorsionR(alice.scalar, alice.publicKey, BASE_MESSAGE, 0n, torsion('order-8-c')),
    true,
  );
}

// --- Small-order public keys ---------------------------------------------------------------------
for (const { name, encoding, point } of SMALL_ORDER) {
  const key = unhex(encoding);
  const rIdentity = unhex(SMALL_ORDER[0].encoding);
  // R = identity, S = 0: [S]B - [k]A = -[k]A is the identity whenever ord(A) divides k, so the
  // cofactorless equation holds exactly. Pick a message that makes it so.
  const message = findMessage((m) => point.multiplyUnsafe(challenge(rIdentity, key, m)).is0());
  add(
    `small-order-key-${name}-r-identity-s-0`,
    `public key = small-order point (${name}), R = identity, S = 0, message chosen so [k]A = identity`,
    key,
    message,
    concat(rIdentity, new Uint8Array(32)),
    false,
  );
  add(
    `small-order-key-${name}-zero-signature`,
    `public key = small-order point (${name}), all-zero signature, message "waybill edge case"`,
    key,
    BASE_MESSAGE,
    new Uint8Array(64),
    false,
  );
  // A genuine-looking signature from a real scalar, checked against a small-order key.
  add(
    `small-order-key-${name}-valid-signature`,
    `public key = small-order point (${name}), alice's valid signature`,
    key,
    BASE_MESSAGE,
    goodSig,
    false,
  );
}
{
  // The all-zero signature is R = (sqrt(-1), 0) of order 4; with the order-4 key 0x00..00 it holds
  // cofactorlessly when [k]A = -A, i.e. k = 3 mod 4.
  const key = new Uint8Array(32);
  const A = Point.fromBytes(key, false);
  const rBytes = new Uint8Array(32);
  const message = findMessage((m) =>
    A.multiplyUnsafe(challenge(rBytes, key, m)).equals(A.negate()),
  );
  add(
    'small-order-key-order-4-a-zero-signature-crafted',
    'all-zero key and all-zero signature, message chosen so [S]B - [k]A = R exactly',
    key,
    message,
    new Uint8Array(64),
    false,
  );
}

// --- Non-canonical public keys -------------------------------------------------------------------
for (const [name, encoding, text] of NON_CANONICAL_SMALL_ORDER) {
  const key = unhex(encoding);
  const rIdentity = unhex(SMALL_ORDER[0].encoding);
  let point = null;
  try {
    point = Point.fromBytes(key, true);
  } catch {
    // x = 0 with the sign bit: even lenient decoding may refuse; any message will do then.
  }
  const message = point
    ? findMessage((m) => point.multiplyUnsafe(challenge(rIdentity, key, m)).is0())
    : BASE_MESSAGE;
  add(
    `non-canonical-key-${name}`,
    `public key = non-canonical encoding (${text}), R = identity, S = 0, message chosen so [k]A = identity`,
    key,
    message,
    concat(rIdentity, new Uint8Array(32)),
    false,
  );
}
{
  // Points with a small y (< 19) have a second, non-canonical encoding y + p. Their discrete log is
  // unknown, so no signature can be forged; these pin that the encoding itself is refused.
  let found = 0;
  for (let y = 2n; y < 19n && found < 2; y++) {
    let point;
    try {
      point = Point.fromBytes(numberToLE(y), false);
    } catch {
      continue;
    }
    if (point.isSmallOrder()) continue;
    found++;
    const key = numberToLE(y + P);
    add(
      `non-canonical-key-y-${y}-plus-p`,
      `public key = y ${y} encoded as y + p (a large-order point), alice's signature`,
      key,
      BASE_MESSAGE,
      goodSig,
      false,
    );
    const rIdentity = unhex(SMALL_ORDER[0].encoding);
    add(
      `non-canonical-key-y-${y}-plus-p-zero-s`,
      `public key = y ${y} encoded as y + p, R = identity, S = 0`,
      key,
      BASE_MESSAGE,
      concat(rIdentity, new Uint8Array(32)),
      false,
    );
  }
  if (found !== 2) throw new Error('expected two small-y points');
}
{
  const key = numberToLE(2n);
  add(
    'key-not-on-curve',
    'public key with y = 2, which is not on the curve',
    key,
    BASE_MESSAGE,
    goodSig,
    false,
  );
}

// --- Mixed-order public keys (valid point + small-order point) -----------------------------------
for (const name of ['order-2', 'order-4-a', 'order-8-a']) {
  const T = torsion(name);
  const A = alice.point.add(T);
  const key = A.toBytes();
  if (A.isSmallOrder() || A.isTorsionFree()) throw new Error('mixed-order key construction failed');
  const r = mod(leToNumber(seed(`mixed-${name}`)), L);
  const R = Point.BASE.multiply(r).toBytes();
  // Signed with alice's scalar: [S]B - R - [k]A' = -[k]T, zero exactly when ord(T) divides k.
  const sigFor = (m) => concat(R, numberToLE(mod(r + challenge(R, key, m) * alice.scalar, L)));
  const order = BigInt(SMALL_ORDER.find((t) => t.name === name).order);
  const bad = findMessage((m) => challenge(R, key, m) % order !== 0n);
  const good = findMessage((m) => challenge(R, key, m) % order === 0n);
  add(
    `mixed-order-key-${name}-k-not-multiple`,
    `public key = A + T (T ${name}), signed with a; ord(T) does not divide k: cofactored holds, cofactorless does not`,
    key,
    bad,
    sigFor(bad),
    true,
  );
  add(
    `mixed-order-key-${name}-k-multiple`,
    `public key = A + T (T ${name}), signed with a; ord(T) divides k: both equations hold`,
    key,
    good,
    sigFor(good),
    true,
  );
}

const output = {
  description:
    'Ed25519 edge cases: "strict" is noble verify with zip215 false (verifyStrict), "openssl" is ' +
    "Node's crypto.verify on an SPKI key (any throw counts as false). Keys, messages and " +
    'signatures are hex. Regenerate with generate-ed25519-edge-cases.mjs.',
  generatedWith: { node: process.version, openssl: process.versions.openssl },
  cases,
};
writeFileSync(OUT, `${JSON.stringify(output, null, 2)}\n`);
const differ = cases.filter((c) => c.strict !== c.openssl).map((c) => c.id);
console.log(`${cases.length} cases written; strict and openssl differ on ${differ.length}:`);
for (const id of differ) console.log(`  ${id}`);
