/**
 * Consensus messages on the wire: JSON, one per gossip message. Decoding checks form and
 * signatures only; whether a message matters (height, round, authority set) is the engine's call.
 */
import {
  blockHash,
  isBlockHeader,
  isProposal,
  isVote,
  verifyProposal,
  verifyVote,
  type ProposedBlock,
  type Refusal,
  type SignedProposal,
  type SignedVote,
} from '@waybill/shared/block';
import type { SignatureVerifier } from '@waybill/shared/crypto';

export type ConsensusMessage =
  | { readonly kind: 'vote'; readonly vote: SignedVote }
  | {
      readonly kind: 'proposal';
      readonly proposal: SignedProposal;
      /** Transactions stay unchecked JSON until the block is validated against the state. */
      readonly block: ProposedBlock;
      readonly polka: readonly SignedVote[];
    };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/** Why a message was refused; the sender of such a message is penalized. */
export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}

function signedVote(value: unknown, verifier: SignatureVerifier, what: string): SignedVote {
  if (!isVote(value) || !verifyVote(value as SignedVote, verifier)) {
    throw new MalformedMessage(`${what} is not a well-formed vote with a valid signature`);
  }
  return value as SignedVote;
}

/** Parses and checks a received message; throws MalformedMessage when it is garbage or forged. */
export function decodeConsensusMessage(
  data: Uint8Array,
  chainId: string,
  verifier: SignatureVerifier,
): ConsensusMessage {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    throw new MalformedMessage('not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null) throw new MalformedMessage('not an object');
  const message = value as Record<string, unknown>;
  if (message.kind === 'vote') {
    const vote = signedVote(message.vote, verifier, 'vote');
    if (vote.chainId !== chainId) throw new MalformedMessage(`vote for chain ${vote.chainId}`);
    return { kind: 'vote', vote };
  }
  if (message.kind !== 'proposal') throw new MalformedMessage('unknown message kind');
  const proposal = message.proposal;
  if (!isProposal(proposal) || !verifyProposal(proposal as SignedProposal, verifier)) {
    throw new MalformedMessage('proposal is malformed or its signature does not verify');
  }
  if (proposal.chainId !== chainId) {
    throw new MalformedMessage(`proposal for chain ${proposal.chainId}`);
  }
  const block = message.block as Record<string, unknown> | null;
  if (typeof block !== 'object' || block === null || !isBlockHeader(block.header)) {
    throw new MalformedMessage('proposal without a well-formed block header');
  }
  if (!Array.isArray(block.txs)) throw new MalformedMessage('proposal block without txs');
  const header = block.header;
  if (
    blockHash(header) !== proposal.blockHash ||
    header.height !== proposal.height ||
    header.chainId !== chainId
  ) {
    throw new MalformedMessage('the proposed block does not hash to the proposal');
  }
  const polkaValue = message.polka ?? [];
  if (!Array.isArray(polkaValue) || polkaValue.length > 1000) {
    throw new MalformedMessage('polka must be a list of votes');
  }
  const polka = polkaValue.map((v, i) => signedVote(v, verifier, `polka vote ${i}`));
  return {
    kind: 'proposal',
    proposal: proposal as SignedProposal,
    block: {
      header,
      txs: block.txs as unknown[],
      // Its form is checked with the block (checkBlock), like the transactions'.
      ...(block.refused !== undefined && { refused: block.refused as Refusal[] }),
    },
    polka,
  };
}
