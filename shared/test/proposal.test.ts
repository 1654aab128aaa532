import { describe, expect, it } from 'vitest';
import { isProposal, signProposal, verifyProposal, type Proposal } from '../src/block/index.js';
import { testKey } from '../src/testing/index.js';

const proposer = testKey('proposer');
const base: Proposal = {
  chainId: 'proposal-test',
  height: 7,
  round: 2,
  blockHash: 'ab'.repeat(32),
  validRound: -1,
  proposer: proposer.publicKey,
};

describe('block proposals', () => {
  it('sign and verify; any changed field breaks the signature', () => {
    const signed = signProposal(base, proposer.secretKey);
    expect(verifyProposal(signed)).toBe(true);
    for (const change of [
      { height: 8 },
      { round: 3 },
      { blockHash: 'cd'.repeat(32) },
      { validRound: 1 },
      { chainId: 'other' },
    ]) {
      expect(verifyProposal({ ...signed, ...change })).toBe(false);
    }
  });

  it('a re-proposal names an earlier round; later or lower is malformed', () => {
    expect(isProposal({ ...base, validRound: 1 })).toBe(true);
    expect(isProposal({ ...base, validRound: 2 })).toBe(false);
    expect(isProposal({ ...base, validRound: -2 })).toBe(false);
    expect(isProposal({ ...base, validRound: 0.5 })).toBe(false);
    expect(isProposal({ ...base, blockHash: 'AB'.repeat(32) })).toBe(false);
    expect(isProposal(null)).toBe(false);
  });

  it('refuses to sign malformed proposals or for another key, and never throws on garbage', () => {
    expect(() => signProposal({ ...base, validRound: 5 }, proposer.secretKey)).toThrow(/malformed/);
    expect(() => signProposal(base, testKey('someone-else').secretKey)).toThrow(/does not belong/);
    expect(verifyProposal({ ...base, signature: 'zz' })).toBe(false);
    expect(verifyProposal({} as never)).toBe(false);
  });

  it('a vote signature is not a proposal signature (tags differ)', async () => {
    const { signVote } = await import('../src/block/index.js');
    const vote = signVote(
      {
        type: 'prevote',
        chainId: base.chainId,
        height: 7,
        round: 2,
        blockHash: base.blockHash,
        validator: proposer.publicKey,
      },
      proposer.secretKey,
    );
    expect(verifyProposal({ ...base, signature: vote.signature })).toBe(false);
  });
});
