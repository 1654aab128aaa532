/**
 * Block proposals: `hash("waybill/proposal/v1", proposal)`, signed with Ed25519 by the proposer of
 * the height and round. Like votes, verification returns false and never throws.
 */
import { isValidPublicKey, publicKeyOf, sign, verifyHex, verifyStrict } from '../crypto/index.js';
import type { SignatureVerifier } from '../crypto/index.js';
import { bytesToHex, taggedHashBytes, TAGS } from '../encoding/index.js';
import { WaybillError } from '../errors.js';
import { isChainId, isCount, isHashHex, isKeyHex, isRecord, isSignatureHex } from './fields.js';
import type { Proposal, SignedProposal } from './types.js';

function proposalFields(p: Proposal): Proposal {
  const { chainId, height, round, blockHash, validRound, proposer } = p;
  return { chainId, height, round, blockHash, validRound, proposer };
}

/** `hash("waybill/proposal/v1", proposal)`: the 32 bytes a proposer signs, as hex. */
export function proposalHash(proposal: Proposal): string {
  return bytesToHex(taggedHashBytes(TAGS.proposal, proposalFields(proposal)));
}

/** True when `value` has the form of a proposal (extra members, such as a signature, are allowed). */
export function isProposal(value: unknown): value is Proposal {
  return (
    isRecord(value) &&
    isChainId(value.chainId) &&
    isCount(value.height) &&
    isCount(value.round) &&
    isHashHex(value.blockHash) &&
    typeof value.validRound === 'number' &&
    Number.isSafeInteger(value.validRound) &&
    value.validRound >= -1 &&
    value.validRound < value.round &&
    isKeyHex(value.proposer)
  );
}

/** Signs `proposal` with the proposer's secret key; refuses to sign for another key. */
export function signProposal(proposal: Proposal, secretKey: Uint8Array): SignedProposal {
  if (!isProposal(proposal)) {
    throw new WaybillError(
      'INVALID_BLOCK',
      'cannot sign a malformed proposal: it needs a chain id, height, round, block hash, valid round (-1 or an earlier round) and proposer key',
    );
  }
  if (bytesToHex(publicKeyOf(secretKey)) !== proposal.proposer) {
    throw new WaybillError('INVALID_KEY', `the secret key does not belong to ${proposal.proposer}`);
  }
  const fields = proposalFields(proposal);
  return {
    ...fields,
    signature: bytesToHex(sign(taggedHashBytes(TAGS.proposal, fields), secretKey)),
  };
}

/** Checks a proposal's form and signature (the fast verifier only behind the key checks). */
export function verifyProposal(
  signed: SignedProposal,
  verifier: SignatureVerifier = verifyStrict,
): boolean {
  if (!isProposal(signed) || !isSignatureHex(signed.signature)) return false;
  if (verifier !== verifyStrict && !isValidPublicKey(signed.proposer)) return false;
  return verifyHex(
    signed.signature,
    taggedHashBytes(TAGS.proposal, proposalFields(signed)),
    signed.proposer,
    verifier,
  );
}
