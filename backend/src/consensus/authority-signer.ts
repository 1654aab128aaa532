/**
 * Signs votes and proposals with the authority key through OpenSSL (node:crypto). Ed25519
 * signatures are deterministic (RFC 8032), so these are byte for byte the signatures of
 * `signVote`/`signProposal` in shared, at a fraction of the cost on a path taken three times a
 * height.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
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
import { bytesToHex, hexToBytes } from '@waybill/shared/encoding';
import { WaybillError } from '@waybill/shared/errors';
import type { AuthorityKey } from './authority-key.js';
import type { RawSigner } from './tendermint/guarded-signer.js';

/** DER prefix of a PKCS #8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function authoritySigner(key: AuthorityKey): RawSigner {
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(key.secretKey)]),
    format: 'der',
    type: 'pkcs8',
  });
  const signHash = (hash: string) => bytesToHex(sign(null, hexToBytes(hash), privateKey));
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
