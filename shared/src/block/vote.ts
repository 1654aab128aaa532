/**
 * Consensus votes: `hash("waybill/vote/v1", vote)`, signed with Ed25519 over the 32-byte hash.
 * Verification returns false, never throws, so a hostile vote can only ever be "not valid".
 */
import { bytesToHex, taggedHash, taggedHashBytes, TAGS } from '../encoding/index.js';
import { isValidPublicKey, publicKeyOf, sign, verifyHex, verifyStrict } from '../crypto/index.js';
import type { SignatureVerifier } from '../crypto/index.js';
import { WaybillError } from '../errors.js';
import { isChainId, isCount, isHashHex, isKeyHex, isSignatureHex, isRecord } from './fields.js';
import type { SignedVote, Vote } from './types.js';

/** Just the six signed fields: a signature or any other extra member never reaches the hash. */
function voteFields({ type, chainId, height, round, blockHash, validator }: Vote): Vote {
  return { type, chainId, height, round, blockHash, validator };
}

export function voteHash(vote: Vote): string {
  return taggedHash(TAGS.vote, voteFields(vote));
}

/** True when `value` has the form of a vote (extra members, such as a signature, are allowed). */
export function isVote(value: unknown): value is Vote {
  return (
    isRecord(value) &&
    (value.type === 'prevote' || value.type === 'precommit') &&
    isChainId(value.chainId) &&
    isCount(value.height) &&
    isCount(value.round) &&
    (value.blockHash === null || isHashHex(value.blockHash)) &&
    isKeyHex(value.validator)
  );
}

/** Signs `vote` with the secret key of `vote.validator`; refuses to sign for another key. */
export function signVote(vote: Vote, secretKey: Uint8Array): SignedVote {
  if (!isVote(vote)) {
    throw new WaybillError(
      'INVALID_CERTIFICATE',
      'cannot sign a malformed vote: it needs a type, chain id, height, round, block hash or null, and validator key',
    );
  }
  if (bytesToHex(publicKeyOf(secretKey)) !== vote.validator) {
    throw new WaybillError('INVALID_KEY', `the secret key does not belong to ${vote.validator}`);
  }
  const signature = bytesToHex(sign(taggedHashBytes(TAGS.vote, voteFields(vote)), secretKey));
  return { ...voteFields(vote), signature };
}

/**
 * Checks the signature of a vote. A faster verifier may only run behind the key checks
 * (protocol.md, "Signature"), so with one the validator key is checked first; the strict default
 * refuses small-order and non-canonical keys by itself.
 */
export function verifyVote(
  signedVote: SignedVote,
  verifier: SignatureVerifier = verifyStrict,
): boolean {
  if (!isVote(signedVote) || !isSignatureHex(signedVote.signature)) return false;
  if (verifier !== verifyStrict && !isValidPublicKey(signedVote.validator)) return false;
  return verifyHex(
    signedVote.signature,
    taggedHashBytes(TAGS.vote, voteFields(signedVote)),
    signedVote.validator,
    verifier,
  );
}
