/**
 * Signs votes and proposals with the authority key through OpenSSL (node:crypto). Ed25519
 * signatures are deterministic (RFC 8032), so these are byte for byte the signatures of
 * `signVote`/`signProposal` in shared, at a fraction of the cost on a path taken three times a
 * height.
 */
import {
  isProposal,
  isVote,
  proposalHash,
  voteHash,
  type Proposal,
  type SignedProposal,
  type SignedVote,
  type Vote,
} from '@waybill/shared/block';
import { WaybillError } from '@waybill/shared/errors';
import { hashSigner } from '../native-sign.js';
import type { AuthorityKey } from './authority-key.js';
import type { RawSigner } from './tendermint/guarded-signer.js';

export function authoritySigner(key: AuthorityKey): RawSigner {
  const signHash = hashSigner(key.secretKey);
  return {
    publicKey: key.publicKey,
    signVote(vote: Vote): SignedVote {
      if (!isVote(vote) || vote.validator !== key.publicKey) {
        throw new WaybillError(
          'INVALID_KEY',
          `refusing to sign a malformed vote or one for another key`,
        );
      }
      const { type, chainId, height, round, blockHash, validator } = vote;
      const fields = { type, chainId, height, round, blockHash, validator };
      return { ...fields, signature: signHash(voteHash(fields)) };
    },
    signProposal(proposal: Proposal): SignedProposal {
      if (!isProposal(proposal) || proposal.proposer !== key.publicKey) {
        throw new WaybillError(
          'INVALID_KEY',
          `refusing to sign a malformed proposal or one for another key`,
        );
      }
      const { chainId, height, round, blockHash, validRound, proposer } = proposal;
      const fields = { chainId, height, round, blockHash, validRound, proposer };
      return { ...fields, signature: signHash(proposalHash(fields)) };
    },
  };
}
