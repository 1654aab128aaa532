/**
 * Equivocation evidence (protocol.md, "Equivocation evidence"): what makes two votes a conflicting
 * pair, the key a pair is recorded under, the `authority.evidence` payload built from a detected
 * pair, and the authority set of a past height that decides who could have equivocated.
 */
import type { SignedVote, Vote } from '../block/index.js';
import { WaybillError } from '../errors.js';
import type { PayloadOf } from '../tx/index.js';
import type { Authority, AuthoritySet, EvidenceVote } from './types.js';

/** The key of the evidence record: one per validator, height, round and vote type. */
export function evidenceKey(vote: Pick<Vote, 'validator' | 'height' | 'round' | 'type'>): string {
  return `${vote.validator}:${vote.height}:${vote.round}:${vote.type}`;
}

/** The first reason two votes are not an equivocation, naming the field of `second` at fault. */
export function equivocationProblem(
  first: Vote,
  second: Vote,
): { field: keyof Vote; message: string } | undefined {
  if (second.validator !== first.validator)
    return { field: 'validator', message: 'the two votes are signed by different validators' };
  if (second.chainId !== first.chainId)
    return { field: 'chainId', message: 'the two votes are for different chains' };
  if (second.height !== first.height)
    return {
      field: 'height',
      message: `the votes are for different heights (${first.height}, ${second.height})`,
    };
  if (second.round !== first.round)
    return {
      field: 'round',
      message: `the votes are for different rounds (${first.round}, ${second.round})`,
    };
  if (second.type !== first.type)
    return {
      field: 'type',
      message: `the votes are of different types (${first.type}, ${second.type})`,
    };
  if (second.blockHash === first.blockHash)
    return { field: 'blockHash', message: 'both votes are for the same block: no conflict' };
  return undefined;
}

/**
 * True when `a` and `b` are two different votes of one validator for the same chain, height, round
 * and type: an equivocation. Signatures are not checked here (see `verifyVote`).
 */
export function isEquivocation(a: Vote, b: Vote): boolean {
  return equivocationProblem(a, b) === undefined;
}

function signedVoteFields(vote: SignedVote): EvidenceVote {
  const { type, chainId, height, round, blockHash, validator, signature } = vote;
  return { type, chainId, height, round, blockHash, validator, signature };
}

/** Nil first, then by block hash: every node builds the same payload from the same pair. */
function compareVotes(a: EvidenceVote, b: EvidenceVote): number {
  if (a.blockHash === b.blockHash) return 0;
  if (a.blockHash === null) return -1;
  if (b.blockHash === null) return 1;
  return a.blockHash < b.blockHash ? -1 : 1;
}

/**
 * The `authority.evidence` payload of a detected pair: the two votes reduced to their seven fields
 * (anything else a vote object carries is dropped) and put in a fixed order. Throws
 * INVALID_EVIDENCE when the votes do not conflict; it does not verify the signatures (the state
 * rule does), so pass votes that verified when they arrived.
 */
export function evidencePayload(a: SignedVote, b: SignedVote): PayloadOf<'authority.evidence'> {
  const problem = equivocationProblem(a, b);
  if (problem) throw new WaybillError('INVALID_EVIDENCE', problem.message);
  const [first, second] = [signedVoteFields(a), signedVoteFields(b)].sort(compareVotes) as [
    EvidenceVote,
    EvidenceVote,
  ];
  return { first, second };
}

/**
 * The authorities that certify `height` (the set its votes were cast in), replayed back from the
 * set `set` through its recorded changes, each of which applies from its `height`. Valid for any
 * height up to the one after the block that wrote `set`.
 */
export function authoritiesAt(set: AuthoritySet, height: number): Authority[] {
  let authorities = [...set.authorities];
  for (let i = set.history.length - 1; i >= 0; i--) {
    const change = set.history[i];
    if (change === undefined || change.height <= height) break;
    authorities =
      change.action === 'add'
        ? authorities.filter((a) => a.publicKey !== change.authority)
        : [
            ...authorities,
            {
              publicKey: change.authority,
              ...(change.name !== undefined && { name: change.name }),
            },
          ].sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1));
  }
  return authorities;
}
