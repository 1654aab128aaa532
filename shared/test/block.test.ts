import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicKeyOf, verifyHex, verifyStrict } from '../src/crypto/index.js';
import type { SignatureVerifier } from '../src/crypto/index.js';
import { bytesToHex, hexToBytes, taggedHash, TAGS } from '../src/encoding/index.js';
import { WaybillError } from '../src/errors.js';
import { merkleRoot } from '../src/merkle/index.js';
import {
  assertValidCommitCertificate,
  blockHash,
  checkBlockLinks,
  createCommitCertificate,
  createGenesisHeader,
  genesisHash,
  genesisStateRoot,
  genesisValidators,
  HEADER_FIELDS,
  isBlockHeader,
  isTimestamp,
  isVote,
  maxFaulty,
  proposerFor,
  quorum,
  signVote,
  sortValidators,
  validateGenesis,
  validateHeaderShape,
  validatorsHash,
  verifyCommitCertificate,
  verifyVote,
  voteHash,
  ZERO_HASH,
} from '../src/block/index.js';
import type {
  BlockHeader,
  CommitCertificate,
  GenesisConfig,
  SignedVote,
  Vote,
} from '../src/block/index.js';

// Deterministic keys: secret i is 32 bytes of (i + 1).
const secrets = Array.from({ length: 10 }, (_, i) => new Uint8Array(32).fill(i + 1));
const keys = secrets.map((secret) => bytesToHex(publicKeyOf(secret)));
const secretOf = new Map(keys.map((key, i) => [key, secrets[i]!]));

const CHAIN = 'waybill-test';
const authorities = keys.slice(0, 4);
const sorted = sortValidators(authorities);
const outsider = keys[9]!;
/** The identity point: a small-order key, refused wherever a key enters the system. */
const IDENTITY_KEY = '01' + '00'.repeat(31);
const hashOf = (n: number) => taggedHash(TAGS.tx, { n });

const genesis: GenesisConfig = {
  chainId: CHAIN,
  timestamp: '2026-11-23T12:00:00.000Z',
  authorities: authorities.map((publicKey, i) => ({ publicKey, name: `Authority ${i}` })),
};
const genesisHeader = createGenesisHeader(genesis);

function childOf(parent: BlockHeader, txHashes: string[] = [], round = 0): BlockHeader {
  const height = parent.height + 1;
  return {
    chainId: parent.chainId,
    height,
    round,
    timestamp: new Date(Date.parse(parent.timestamp) + 1000).toISOString(),
    prevHash: blockHash(parent),
    txRoot: merkleRoot(txHashes),
    stateRoot: taggedHash(TAGS.stateChanges, { height }),
    validatorsHash: validatorsHash(authorities),
    proposer: proposerFor({ validators: authorities, height, round }),
  };
}

const txHashes = [hashOf(1), hashOf(2), hashOf(3)];
const header1 = childOf(genesisHeader, txHashes);
const hash1 = blockHash(header1);

function vote(validator: string, overrides: Partial<Vote> = {}): Vote {
  return {
    type: 'precommit',
    chainId: CHAIN,
    height: 1,
    round: 0,
    blockHash: hash1,
    validator,
    ...overrides,
  };
}

function signed(validator: string, overrides: Partial<Vote> = {}): SignedVote {
  return signVote(vote(validator, overrides), secretOf.get(validator)!);
}

/** A certificate assembled by hand, so malformed ones can be built too. */
function certificateOf(votes: SignedVote[], overrides: Partial<CommitCertificate> = {}) {
  return {
    height: 1,
    round: 0,
    blockHash: hash1,
    signatures: votes.map(({ validator, signature }) => ({ validator, signature })),
    ...overrides,
  };
}

function verifyFor(certificate: unknown, validators: readonly string[] = authorities) {
  return verifyCommitCertificate({
    certificate: certificate as CommitCertificate,
    chainId: CHAIN,
    header: header1,
    validators,
  });
}

function refusal(check: ReturnType<typeof verifyCommitCertificate>) {
  if (check.ok) throw new Error('expected a refusal');
  expect(check.code).toBe('INVALID_CERTIFICATE');
  return check;
}

function thrown(fn: () => unknown): WaybillError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WaybillError);
    return error as WaybillError;
  }
  throw new Error('expected a throw');
}

describe('validator sets', () => {
  it('has the quorum floor(2n/3) + 1 and tolerates floor((n-1)/3) faults', () => {
    expect(Array.from({ length: 10 }, (_, i) => quorum(i + 1))).toEqual([
      1, 2, 3, 3, 4, 5, 5, 6, 7, 7,
    ]);
    expect(Array.from({ length: 10 }, (_, i) => maxFaulty(i + 1))).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2, 2, 3,
    ]);
  });

  it('makes any two quorums share an honest authority, and f faults never block a quorum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const q = quorum(n);
        const f = maxFaulty(n);
        expect(2 * q - n).toBeGreaterThan(f);
        expect(n - f).toBeGreaterThanOrEqual(q);
        expect(3 * q).toBeGreaterThan(2 * n);
      }),
    );
  });

  it('refuses an empty or fractional set size', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(thrown(() => quorum(n)).code).toBe('INVALID_CERTIFICATE');
      expect(thrown(() => maxFaulty(n)).code).toBe('INVALID_CERTIFICATE');
    }
  });

  it('sorts and dedupes keys, and hashes the set the same in any order', () => {
    const shuffled = [authorities[2]!, authorities[0]!, authorities[3]!, authorities[1]!];
    expect(sortValidators([...shuffled, authorities[0]!])).toEqual([...authorities].sort());
    expect(validatorsHash(shuffled)).toBe(validatorsHash(authorities));
    expect(validatorsHash(authorities)).toBe(taggedHash(TAGS.validators, [...authorities].sort()));
    expect(validatorsHash(keys.slice(0, 3))).not.toBe(validatorsHash(authorities));
  });

  it.each([1, 4, 7])('rotates the proposer over %i authorities by height + round', (n) => {
    const set = keys.slice(0, n);
    const order = [...set].sort();
    for (let height = 0; height < 3 * n; height++) {
      for (let round = 0; round < n + 2; round++) {
        expect(proposerFor({ validators: set, height, round })).toBe(order[(height + round) % n]);
      }
    }
    // Every authority proposes exactly once in any n consecutive heights.
    const window = Array.from({ length: n }, (_, i) =>
      proposerFor({ validators: [...set].reverse(), height: 100 + i, round: 0 }),
    );
    expect(new Set(window).size).toBe(n);
    // A failed round hands the height to the next authority in key order.
    const first = order.indexOf(proposerFor({ validators: set, height: 5, round: 0 }));
    expect(proposerFor({ validators: set, height: 5, round: 1 })).toBe(order[(first + 1) % n]);
  });

  it('rotates correctly near the largest safe height', () => {
    const height = Number.MAX_SAFE_INTEGER;
    const expected = sorted[Number((BigInt(height) + 3n) % 4n)];
    expect(proposerFor({ validators: authorities, height, round: 3 })).toBe(expected);
  });

  it('refuses to pick a proposer from an empty set or at a bad height', () => {
    expect(thrown(() => proposerFor({ validators: [], height: 0, round: 0 })).code).toBe(
      'INVALID_BLOCK',
    );
    expect(thrown(() => proposerFor({ validators: authorities, height: -1, round: 0 })).code).toBe(
      'INVALID_BLOCK',
    );
    expect(thrown(() => proposerFor({ validators: authorities, height: 1, round: 0.5 })).code).toBe(
      'INVALID_BLOCK',
    );
  });
});

describe('votes', () => {
  it('hashes exactly the six vote fields with the vote tag', () => {
    const v = vote(authorities[0]!);
    expect(voteHash(v)).toBe(taggedHash(TAGS.vote, v));
    expect(voteHash({ ...v, signature: 'ab', extra: 1 } as Vote)).toBe(voteHash(v));
    expect(voteHash({ ...v, type: 'prevote' })).not.toBe(voteHash(v));
  });

  it('signs the 32-byte vote hash', () => {
    const s = signed(authorities[0]!);
    expect(s.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyHex(s.signature, hexToBytes(voteHash(s)), s.validator)).toBe(true);
    expect(verifyVote(s)).toBe(true);
    // Ed25519 is deterministic: the same vote always gets the same signature.
    expect(signed(authorities[0]!).signature).toBe(s.signature);
  });

  it('signs and verifies nil votes', () => {
    const nil = signed(authorities[1]!, { type: 'prevote', blockHash: null });
    expect(verifyVote(nil)).toBe(true);
  });

  it('refuses a vote with any field changed', () => {
    const s = signed(authorities[0]!);
    const changes: Partial<SignedVote>[] = [
      { type: 'prevote' },
      { chainId: 'other' },
      { height: 2 },
      { round: 1 },
      { blockHash: null },
      { blockHash: hashOf(9) },
      { validator: authorities[1]! },
      { signature: signed(authorities[1]!).signature },
    ];
    for (const change of changes) expect(verifyVote({ ...s, ...change })).toBe(false);
  });

  it('says "not valid", never throws, for malformed votes', () => {
    const s = signed(authorities[0]!);
    const junk: unknown[] = [
      null,
      'vote',
      [],
      { ...s, type: 'commit' },
      { ...s, chainId: '' },
      { ...s, height: -1 },
      { ...s, height: 1.5 },
      { ...s, round: '0' },
      { ...s, blockHash: 'AB'.repeat(32) },
      { ...s, validator: s.validator.slice(2) },
      { ...s, signature: s.signature.toUpperCase() },
      { ...s, signature: undefined },
    ];
    for (const value of junk) expect(verifyVote(value as SignedVote)).toBe(false);
    expect(isVote(vote(authorities[0]!))).toBe(true);
    expect(isVote({ ...vote(authorities[0]!), round: -1 })).toBe(false);
  });

  it('refuses to sign a malformed vote or for another key', () => {
    expect(thrown(() => signVote({ ...vote(authorities[0]!), height: -1 }, secrets[0]!)).code).toBe(
      'INVALID_CERTIFICATE',
    );
    expect(thrown(() => signVote(vote(authorities[0]!), secretOf.get(authorities[1]!)!)).code).toBe(
      'INVALID_KEY',
    );
  });

  it('checks the key before handing a vote to a faster verifier', () => {
    const calls: string[] = [];
    const lenient: SignatureVerifier = (_signature, _message, publicKey) => {
      calls.push(bytesToHex(publicKey));
      return true;
    };
    const s = signed(authorities[0]!);
    expect(verifyVote(s, lenient)).toBe(true);
    expect(verifyVote({ ...s, validator: IDENTITY_KEY, signature: '00'.repeat(64) }, lenient)).toBe(
      false,
    );
    expect(calls).toEqual([s.validator]);
    expect(verifyVote(s, verifyStrict)).toBe(true);
  });
});

describe('commit certificates', () => {
  const precommits = authorities.map((key) => signed(key));

  it('is accepted with exactly a quorum of precommits', () => {
    const check = verifyFor(certificateOf(precommits.slice(0, 3)));
    expect(check).toEqual({
      ok: true,
      signed: 3,
      total: 4,
      quorum: 3,
      summary: '3 of 4 authorities signed, quorum is 3',
    });
    expect(verifyFor(certificateOf(precommits)).ok).toBe(true);
  });

  it('is refused one short of quorum', () => {
    const check = refusal(verifyFor(certificateOf(precommits.slice(0, 2))));
    expect(check.reason).toBe('2 of 4 authorities signed, quorum is 3');
  });

  it('is refused with a signer outside the validator set, naming it', () => {
    const check = refusal(verifyFor(certificateOf([...precommits.slice(0, 3), signed(outsider)])));
    expect(check.validator).toBe(outsider);
    expect(check.path).toBe('$.signatures[3]');
    expect(check.reason).toContain(outsider);
    expect(check.reason).toContain('not in the validator set');
  });

  it('is refused with a duplicated signer, even one that would not be needed', () => {
    const check = refusal(
      verifyFor(certificateOf([precommits[0]!, precommits[1]!, precommits[0]!])),
    );
    expect(check.validator).toBe(authorities[0]);
    expect(check.reason).toContain('more than once');
    expect(refusal(verifyFor(certificateOf([...precommits, precommits[3]!]))).path).toBe(
      '$.signatures[4]',
    );
  });

  it('is refused with a forged signature, naming which one', () => {
    const forged = { ...precommits[2]!, signature: precommits[1]!.signature };
    const check = refusal(verifyFor(certificateOf([precommits[0]!, precommits[1]!, forged])));
    expect(check.path).toBe('$.signatures[2].signature');
    expect(check.validator).toBe(authorities[2]);
    expect(check.reason).toMatch(/^signature 2 by [0-9a-f]{64} is not a valid precommit/);
  });

  it('is refused with prevotes instead of precommits', () => {
    const prevotes = authorities.map((key) => signed(key, { type: 'prevote' }));
    expect(refusal(verifyFor(certificateOf(prevotes))).path).toBe('$.signatures[0].signature');
  });

  it('is refused for another block, height, round or chain', () => {
    const good = certificateOf(precommits);
    // Signatures over a different vote: the certificate claims this block, the votes do not.
    const elsewhere = (overrides: Partial<Vote>) =>
      certificateOf(authorities.map((key) => signed(key, overrides)));
    expect(refusal(verifyFor(elsewhere({ blockHash: hashOf(7) }))).path).toBe(
      '$.signatures[0].signature',
    );
    expect(refusal(verifyFor(elsewhere({ chainId: 'other-chain' }))).path).toBe(
      '$.signatures[0].signature',
    );
    // The certificate itself names another block, height or round.
    expect(refusal(verifyFor({ ...good, blockHash: hashOf(7) })).path).toBe('$.blockHash');
    expect(refusal(verifyFor({ ...good, height: 2 })).path).toBe('$.height');
    expect(refusal(verifyFor({ ...good, round: 1 })).path).toBe('$.signatures[0].signature');
    // Valid precommits, but for round 1 while the certificate says round 0, or vice versa.
    const round1 = authorities.map((key) => signed(key, { round: 1 }));
    expect(refusal(verifyFor(certificateOf(round1))).path).toBe('$.signatures[0].signature');
    expect(
      refusal(
        verifyCommitCertificate({
          certificate: good,
          chainId: 'other-chain',
          blockHash: hash1,
          height: 1,
          validators: authorities,
        }),
      ).path,
    ).toBe('$.signatures[0].signature');
  });

  it('accepts a block committed in a later round than it was proposed in', () => {
    // Tendermint re-proposes a locked block unchanged, so its header keeps the earlier round.
    const round1 = authorities.map((key) => signed(key, { round: 1 }));
    expect(verifyFor(certificateOf(round1, { round: 1 })).ok).toBe(true);
    const proposedInRound2 = childOf(genesisHeader, txHashes, 2);
    const check = refusal(
      verifyCommitCertificate({
        certificate: certificateOf(round1, { round: 1, blockHash: blockHash(proposedInRound2) }),
        chainId: CHAIN,
        header: proposedInRound2,
        validators: authorities,
      }),
    );
    expect(check.path).toBe('$.round');
  });

  it('checks an explicit target exactly', () => {
    const good = certificateOf(precommits);
    const target = { chainId: CHAIN, validators: authorities, certificate: good };
    expect(verifyCommitCertificate({ ...target, blockHash: hash1, height: 1 }).ok).toBe(true);
    expect(verifyCommitCertificate({ ...target, blockHash: hash1, height: 1, round: 0 }).ok).toBe(
      true,
    );
    expect(
      refusal(verifyCommitCertificate({ ...target, blockHash: hash1, height: 1, round: 1 })).path,
    ).toBe('$.round');
    expect(refusal(verifyCommitCertificate({ ...target, blockHash: hash1, height: 2 })).path).toBe(
      '$.height',
    );
    expect(
      refusal(verifyCommitCertificate({ ...target, blockHash: hashOf(1), height: 1 })).path,
    ).toBe('$.blockHash');
  });

  it('is refused for a header of another chain or an empty validator set', () => {
    expect(
      refusal(
        verifyCommitCertificate({
          certificate: certificateOf(precommits),
          chainId: 'other-chain',
          header: header1,
          validators: authorities,
        }),
      ).reason,
    ).toContain('other-chain');
    expect(refusal(verifyFor(certificateOf(precommits), [])).reason).toBe(
      'the validator set is empty',
    );
  });

  it('refuses malformed certificates without throwing', () => {
    const good = certificateOf(precommits);
    const cases: [unknown, string | undefined][] = [
      [null, undefined],
      [[], undefined],
      [{ ...good, extra: 1 }, '$.extra'],
      [{ ...good, height: -1 }, '$.height'],
      [{ ...good, round: 0.5 }, '$.round'],
      [{ ...good, blockHash: 'xyz' }, '$.blockHash'],
      [{ ...good, signatures: {} }, '$.signatures'],
      [{ ...good, signatures: [null] }, '$.signatures[0]'],
      [{ ...good, signatures: [{ ...good.signatures[0]!, note: 'x' }] }, '$.signatures[0]'],
      [{ ...good, signatures: [{ ...good.signatures[0]!, signature: 'ab' }] }, '$.signatures[0]'],
      [{ ...good, signatures: [{ ...good.signatures[0]!, validator: 7 }] }, '$.signatures[0]'],
    ];
    for (const [certificate, path] of cases)
      expect(refusal(verifyFor(certificate)).path).toBe(path);
  });

  it('passes a custom verifier through', () => {
    const never: SignatureVerifier = () => false;
    const check = verifyCommitCertificate({
      certificate: certificateOf(precommits),
      chainId: CHAIN,
      header: header1,
      validators: authorities,
      verifier: never,
    });
    expect(refusal(check).path).toBe('$.signatures[0].signature');
  });

  it('throws INVALID_CERTIFICATE from the assert form', () => {
    expect(
      assertValidCommitCertificate({
        certificate: certificateOf(precommits),
        chainId: CHAIN,
        header: header1,
        validators: authorities,
      }).summary,
    ).toBe('4 of 4 authorities signed, quorum is 3');
    const error = thrown(() =>
      assertValidCommitCertificate({
        certificate: certificateOf([...precommits.slice(0, 3), signed(outsider)]),
        chainId: CHAIN,
        header: header1,
        validators: authorities,
      }),
    );
    expect(error.code).toBe('INVALID_CERTIFICATE');
    expect(error.details.validator).toBe(outsider);
    expect(error.path).toBe('$.signatures[3]');
  });

  describe('createCommitCertificate', () => {
    const base = { chainId: CHAIN, height: 1, round: 0, blockHash: hash1 };

    it('keeps only valid precommits for the block, one per validator, sorted by key', () => {
      const forged = { ...precommits[3]!, signature: precommits[2]!.signature };
      const votes = [
        signed(authorities[1]!, { type: 'prevote' }),
        signed(authorities[2]!, { blockHash: null }),
        signed(authorities[3]!, { height: 2 }),
        signed(authorities[3]!, { round: 1 }),
        signed(authorities[3]!, { chainId: 'other-chain' }),
        forged,
        precommits[2]!,
        precommits[0]!,
        precommits[2]!,
        signed(outsider),
        precommits[1]!,
      ];
      const certificate = createCommitCertificate({ ...base, votes, validators: authorities });
      expect(certificate).toEqual({
        height: 1,
        round: 0,
        blockHash: hash1,
        signatures: [precommits[0]!, precommits[1]!, precommits[2]!]
          .map(({ validator, signature }) => ({ validator, signature }))
          .sort((a, b) => (a.validator < b.validator ? -1 : 1)),
      });
      expect(certificate).not.toHaveProperty('chainId');
      expect(verifyFor(certificate).ok).toBe(true);
    });

    it('keeps a later valid vote after a forged one from the same key', () => {
      const forged = { ...precommits[0]!, signature: precommits[1]!.signature };
      const certificate = createCommitCertificate({ ...base, votes: [forged, precommits[0]!] });
      expect(certificate.signatures).toEqual([
        { validator: precommits[0]!.validator, signature: precommits[0]!.signature },
      ]);
    });

    it('keeps outsiders only when no validator set is given', () => {
      const certificate = createCommitCertificate({ ...base, votes: [signed(outsider)] });
      expect(certificate.signatures.map((s) => s.validator)).toEqual([outsider]);
    });

    it('throws short of quorum, saying how short', () => {
      const error = thrown(() =>
        createCommitCertificate({
          ...base,
          votes: [...precommits.slice(0, 2), signed(outsider)],
          validators: authorities,
        }),
      );
      expect(error.code).toBe('INVALID_CERTIFICATE');
      expect(error.message).toContain('2 of 4 authorities signed, quorum is 3');
      expect(error.details).toEqual({ signed: 2, total: 4, quorum: 3 });
    });

    it('throws with no valid vote at all, or without a block hash', () => {
      expect(thrown(() => createCommitCertificate({ ...base, votes: [] })).code).toBe(
        'INVALID_CERTIFICATE',
      );
      const error = thrown(() =>
        createCommitCertificate({ ...base, blockHash: 'nil', votes: precommits }),
      );
      expect(error.code).toBe('INVALID_CERTIFICATE');
      expect(error.path).toBe('$.blockHash');
    });

    it('uses the given verifier', () => {
      const never: SignatureVerifier = () => false;
      expect(
        thrown(() => createCommitCertificate({ ...base, votes: precommits, verifier: never })).code,
      ).toBe('INVALID_CERTIFICATE');
    });
  });
});

describe('block hash', () => {
  it('is the tagged hash of the header and ignores anything else', () => {
    expect(hash1).toBe(taggedHash(TAGS.block, header1));
    expect(blockHash({ ...header1, txs: [] } as BlockHeader)).toBe(hash1);
    expect(HEADER_FIELDS).toEqual(Object.keys(header1));
  });

  it('changes when any header field is tampered with', () => {
    const replacement: { [K in keyof BlockHeader]: fc.Arbitrary<BlockHeader[K]> } = {
      chainId: fc.string({ minLength: 1 }),
      height: fc.nat(),
      round: fc.nat(),
      timestamp: fc
        .date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      prevHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
      txRoot: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
      stateRoot: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
      validatorsHash: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
      proposer: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex),
    };
    const tampered = fc.oneof(
      ...HEADER_FIELDS.map((field) =>
        (replacement[field] as fc.Arbitrary<unknown>).map((value) => ({ field, value })),
      ),
    );
    fc.assert(
      fc.property(tampered, ({ field, value }) => {
        fc.pre(value !== header1[field]);
        expect(blockHash({ ...header1, [field]: value })).not.toBe(hash1);
      }),
    );
  });
});

describe('header shape', () => {
  it('accepts a well-formed header', () => {
    expect(validateHeaderShape(header1)).toBe(header1);
    expect(isBlockHeader(header1)).toBe(true);
    expect(isBlockHeader(genesisHeader)).toBe(true);
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'header', '$'],
    ['an array', [], '$'],
    ['null', null, '$'],
    ['an unknown field', { ...header1, txs: [] }, '$.txs'],
    ['a missing field', { ...header1, stateRoot: undefined }, '$.stateRoot'],
    ['an empty chain id', { ...header1, chainId: '' }, '$.chainId'],
    ['a negative height', { ...header1, height: -1 }, '$.height'],
    ['a fractional height', { ...header1, height: 1.5 }, '$.height'],
    ['an unsafe height', { ...header1, height: 2 ** 53 }, '$.height'],
    ['a string round', { ...header1, round: '0' }, '$.round'],
    ['a negative round', { ...header1, round: -1 }, '$.round'],
    [
      'a timestamp without milliseconds',
      { ...header1, timestamp: '2026-11-23T12:00:01Z' },
      '$.timestamp',
    ],
    [
      'a timestamp with an offset',
      { ...header1, timestamp: '2026-11-23T12:00:01.000+01:00' },
      '$.timestamp',
    ],
    ['an impossible date', { ...header1, timestamp: '2026-02-30T12:00:00.000Z' }, '$.timestamp'],
    ['an impossible hour', { ...header1, timestamp: '2026-02-03T24:00:00.000Z' }, '$.timestamp'],
    ['an uppercase hash', { ...header1, prevHash: header1.prevHash.toUpperCase() }, '$.prevHash'],
    ['a short hash', { ...header1, txRoot: header1.txRoot.slice(2) }, '$.txRoot'],
    ['a numeric hash', { ...header1, stateRoot: 7 }, '$.stateRoot'],
    [
      'a long validators hash',
      { ...header1, validatorsHash: header1.validatorsHash + '00' },
      '$.validatorsHash',
    ],
    ['a short proposer', { ...header1, proposer: 'ab' }, '$.proposer'],
  ];

  it.each(bad)('refuses %s with INVALID_BLOCK and the path', (_, value, path) => {
    const error = thrown(() => validateHeaderShape(value));
    expect(error.code).toBe('INVALID_BLOCK');
    expect(error.path).toBe(path);
    expect(isBlockHeader(value)).toBe(false);
  });

  it('prefixes paths for headers inside blocks', () => {
    expect(thrown(() => validateHeaderShape({ ...header1, round: -1 }, '$.header')).path).toBe(
      '$.header.round',
    );
  });

  it('recognizes timestamps exactly as Date writes them', () => {
    expect(isTimestamp('0000-01-01T00:00:00.000Z')).toBe(true);
    expect(isTimestamp('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isTimestamp('2025-02-29T23:59:59.999Z')).toBe(false);
    expect(isTimestamp(Date.now())).toBe(false);
  });
});

describe('block links', () => {
  const links = {
    header: header1,
    parent: genesisHeader,
    txHashes,
    validators: authorities,
    maxClockSkewMs: 5000,
  };

  function problems(overrides: Partial<typeof links> & { now?: Date }) {
    const check = checkBlockLinks({ ...links, ...overrides });
    if (check.ok) throw new Error('expected problems');
    expect(check.code).toBe('INVALID_BLOCK');
    expect(check.reason).toBe(check.problems.map((p) => p.message).join('; '));
    return check.problems;
  }

  it('accepts a well-linked block and genesis', () => {
    expect(checkBlockLinks(links)).toEqual({ ok: true });
    expect(
      checkBlockLinks({ ...links, header: genesisHeader, parent: undefined, txHashes: [] }),
    ).toEqual({ ok: true });
    const header2 = childOf(header1, [], 3);
    expect(checkBlockLinks({ ...links, header: header2, parent: header1, txHashes: [] })).toEqual({
      ok: true,
    });
  });

  it('refuses a malformed header before anything else', () => {
    expect(problems({ header: { ...header1, height: -1 } })).toEqual([
      {
        field: 'header',
        path: '$.header.height',
        message: 'header field "height" must be a non-negative safe integer',
      },
    ]);
  });

  it('refuses a height that is not the parent + 1', () => {
    for (const height of [0, 2, 5]) {
      const [problem, ...rest] = problems({
        header: {
          ...header1,
          height,
          proposer: proposerFor({ validators: authorities, height, round: 0 }),
        },
      });
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ field: 'height', path: '$.header.height' });
      expect(problem!.message).toContain('height must be 1');
    }
  });

  it('refuses a prevHash that is not the parent hash', () => {
    expect(problems({ header: { ...header1, prevHash: ZERO_HASH } })).toEqual([
      expect.objectContaining({ field: 'prevHash', path: '$.header.prevHash' }),
    ]);
  });

  it('refuses a chain id that differs from the parent', () => {
    expect(problems({ header: { ...header1, chainId: 'other-chain' } })).toEqual([
      expect.objectContaining({ field: 'chainId' }),
    ]);
  });

  it('refuses a timestamp that does not strictly increase', () => {
    for (const timestamp of [genesisHeader.timestamp, '2026-11-23T11:59:59.999Z']) {
      expect(problems({ header: { ...header1, timestamp } })).toEqual([
        expect.objectContaining({ field: 'timestamp' }),
      ]);
    }
    expect(
      checkBlockLinks({ ...links, header: { ...header1, timestamp: '2026-11-23T12:00:00.001Z' } })
        .ok,
    ).toBe(true);
  });

  it('refuses a timestamp too far ahead of the node clock, allowing exactly the skew', () => {
    const at = Date.parse(header1.timestamp);
    expect(checkBlockLinks({ ...links, now: new Date(at - 5000) }).ok).toBe(true);
    const [problem] = problems({ now: new Date(at - 5001) });
    expect(problem).toMatchObject({ field: 'timestamp', path: '$.header.timestamp' });
    expect(problem!.message).toContain('5001 ms ahead');
    expect(checkBlockLinks({ ...links, now: new Date(at + 3_600_000) }).ok).toBe(true);
  });

  it('refuses a txRoot that is not the root of the transaction hashes', () => {
    expect(problems({ txHashes: txHashes.slice(0, 2) })).toEqual([
      expect.objectContaining({ field: 'txRoot', path: '$.header.txRoot' }),
    ]);
    expect(problems({ txHashes: [...txHashes].reverse() })).toHaveLength(1);
    expect(problems({ txHashes: [txHashes[0]!, 'nope'] })).toEqual([
      expect.objectContaining({ field: 'txRoot', path: '$.txs[1]' }),
    ]);
  });

  it('refuses another validator set and the wrong proposer', () => {
    expect(problems({ validators: keys.slice(0, 5) }).map((p) => p.field)).toContain(
      'validatorsHash',
    );
    const wrong = sorted.find((key) => key !== header1.proposer)!;
    expect(problems({ header: { ...header1, proposer: wrong } })).toEqual([
      expect.objectContaining({ field: 'proposer', path: '$.header.proposer' }),
    ]);
    expect(problems({ header: { ...header1, round: 1 } })).toEqual([
      expect.objectContaining({ field: 'proposer' }),
    ]);
    expect(problems({ validators: [] })).toEqual([
      expect.objectContaining({
        field: 'validatorsHash',
        message: 'the validator set for this height is empty',
      }),
    ]);
  });

  it('refuses a parentless block that is not genesis', () => {
    expect(problems({ parent: undefined }).map((p) => p.field)).toEqual(['height', 'prevHash']);
  });

  it('lists every problem at once', () => {
    const header = {
      ...header1,
      height: 3,
      prevHash: ZERO_HASH,
      timestamp: genesisHeader.timestamp,
      txRoot: merkleRoot([]),
      validatorsHash: ZERO_HASH,
      proposer: outsider,
    };
    expect(problems({ header }).map((p) => p.field)).toEqual([
      'height',
      'prevHash',
      'timestamp',
      'txRoot',
      'validatorsHash',
      'proposer',
    ]);
  });

  it('throws on a nonsensical clock skew setting', () => {
    for (const maxClockSkewMs of [-1, Number.NaN]) {
      expect(thrown(() => checkBlockLinks({ ...links, maxClockSkewMs })).code).toBe(
        'INVALID_BLOCK',
      );
    }
  });
});

describe('genesis', () => {
  it('derives the genesis header from the configuration', () => {
    expect(genesisHeader).toEqual({
      chainId: CHAIN,
      height: 0,
      round: 0,
      timestamp: genesis.timestamp,
      prevHash: ZERO_HASH,
      txRoot: merkleRoot([]),
      stateRoot: taggedHash(TAGS.stateChanges, genesis),
      validatorsHash: validatorsHash(authorities),
      proposer: sorted[0],
    });
    expect(genesisHeader.proposer).toBe(
      proposerFor({ validators: authorities, height: 0, round: 0 }),
    );
    expect(genesisStateRoot(genesis)).toBe(genesisHeader.stateRoot);
    expect(genesisValidators(genesis)).toEqual(sorted);
    expect(genesisHash(genesis)).toBe(blockHash(genesisHeader));
    expect(header1.prevHash).toBe(genesisHash(genesis));
  });

  it('gives a different chain for any change to the configuration', () => {
    const reordered = { ...genesis, authorities: [...genesis.authorities].reverse() };
    expect(createGenesisHeader(reordered).validatorsHash).toBe(genesisHeader.validatorsHash);
    expect(genesisHash(reordered)).not.toBe(genesisHash(genesis));
    const withParams = {
      ...genesis,
      params: { maxClockSkewMs: 5000, nested: { list: [1, 'x', null, true] } },
    };
    expect(validateGenesis(withParams)).toBe(withParams);
    expect(genesisHash(withParams)).not.toBe(genesisHash(genesis));
    expect(genesisHash({ ...genesis, params: undefined })).toBe(genesisHash(genesis));
    expect(genesisHash({ ...genesis, chainId: 'other' })).not.toBe(genesisHash(genesis));
  });

  it('works with a single authority', () => {
    const solo = { ...genesis, authorities: [{ publicKey: outsider, name: 'Solo' }] };
    expect(createGenesisHeader(solo).proposer).toBe(outsider);
  });

  const first = genesis.authorities[0]!;
  const invalid: [string, unknown, string][] = [
    ['not an object', 'genesis', '$'],
    ['an unknown field', { ...genesis, version: 2 }, '$.version'],
    ['an empty chain id', { ...genesis, chainId: '' }, '$.chainId'],
    ['a bad timestamp', { ...genesis, timestamp: '2026-11-23' }, '$.timestamp'],
    ['no authorities', { ...genesis, authorities: [] }, '$.authorities'],
    ['authorities that are not a list', { ...genesis, authorities: {} }, '$.authorities'],
    [
      'an authority that is not an object',
      { ...genesis, authorities: [first, 'key'] },
      '$.authorities[1]',
    ],
    [
      'an authority with an extra field',
      { ...genesis, authorities: [{ ...first, role: 'x' }] },
      '$.authorities[0].role',
    ],
    [
      'an authority without a name',
      { ...genesis, authorities: [{ publicKey: first.publicKey, name: '' }] },
      '$.authorities[0].name',
    ],
    [
      'a small-order key',
      { ...genesis, authorities: [first, { publicKey: IDENTITY_KEY, name: 'Zero' }] },
      '$.authorities[1].publicKey',
    ],
    [
      'an uppercase key',
      { ...genesis, authorities: [{ ...first, publicKey: first.publicKey.toUpperCase() }] },
      '$.authorities[0].publicKey',
    ],
    [
      'a missing key',
      { ...genesis, authorities: [{ name: 'Nobody' }] },
      '$.authorities[0].publicKey',
    ],
    [
      'a duplicated key',
      { ...genesis, authorities: [first, { ...first, name: 'Again' }] },
      '$.authorities[1].publicKey',
    ],
    ['params that are not an object', { ...genesis, params: [1] }, '$.params'],
    ['a float param', { ...genesis, params: { skew: 4.5 } }, '$.params.skew'],
    ['a nested float param', { ...genesis, params: { a: { b: [1, 0.5] } } }, '$.params.a.b[1]'],
    ['a non-JSON param', { ...genesis, params: { at: new Date(0) } }, '$.params.at'],
    ['an undefined param', { ...genesis, params: { a: [undefined] } }, '$.params.a[0]'],
  ];

  it.each(invalid)('refuses %s with INVALID_BLOCK naming the entry', (_, config, path) => {
    const error = thrown(() => createGenesisHeader(config as GenesisConfig));
    expect(error.code).toBe('INVALID_BLOCK');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/^invalid genesis: /);
  });

  it('names the authority with a bad key', () => {
    const error = thrown(() =>
      validateGenesis({
        ...genesis,
        authorities: [first, { publicKey: IDENTITY_KEY, name: 'Zero' }],
      }),
    );
    expect(error.message).toContain('authority 1 ("Zero")');
  });

  it('accepts params in a null-prototype object', () => {
    const params = Object.assign(Object.create(null) as Record<string, number>, { a: 1 });
    expect(() => validateGenesis({ ...genesis, params })).not.toThrow();
  });
});
