/**
 * `authority.evidence`: an authority records that another (or itself) signed two conflicting votes.
 * The record is the only effect: removing an equivocating authority is the consortium's decision,
 * taken by `authority.vote` (protocol.md, "Equivocation evidence").
 */
import { verifyVote } from '../../block/index.js';
import type { Rule } from '../context.js';
import { authoritiesAt, equivocationProblem, evidenceKey } from '../evidence.js';
import { reject } from '../scope.js';
import { AUTHORITIES_KEY } from '../types.js';

export const authorityEvidence: Rule<'authority.evidence'> = async ({
  tx,
  hash,
  payload,
  scope,
  height,
  verifier,
}) => {
  const { first, second } = payload;
  for (const [name, vote] of [
    ['first', first],
    ['second', second],
  ] as const) {
    if (vote.chainId !== tx.chainId) {
      reject(
        'INVALID_EVIDENCE',
        `the ${name} vote is for chain "${vote.chainId}", this is "${tx.chainId}"`,
        `$.payload.${name}.chainId`,
      );
    }
  }
  const problem = equivocationProblem(first, second);
  if (problem) reject('INVALID_EVIDENCE', problem.message, `$.payload.second.${problem.field}`);
  if (first.height >= height) {
    reject(
      'INVALID_EVIDENCE',
      `the votes are for height ${first.height}; evidence is recorded only about heights before this block (${height})`,
      '$.payload.first.height',
    );
  }
  const set = await scope.require('authorities', AUTHORITIES_KEY, '$', 'authority set');
  if (!authoritiesAt(set, first.height).some((a) => a.publicKey === first.validator)) {
    reject(
      'INVALID_EVIDENCE',
      `${first.validator} was not an authority at height ${first.height}`,
      '$.payload.first.validator',
    );
  }
  const key = evidenceKey(first);
  const recorded = await scope.get('evidence', key);
  if (recorded) {
    reject(
      'ALREADY_EXISTS',
      `evidence of this equivocation (${first.type}, height ${first.height}, round ${first.round}) was recorded at height ${recorded.recordedAt}`,
      '$.payload',
    );
  }
  for (const [name, vote] of [
    ['first', first],
    ['second', second],
  ] as const) {
    if (!verifyVote(vote, verifier)) {
      reject(
        'INVALID_EVIDENCE',
        `the ${name} vote's signature does not verify for ${vote.validator}`,
        `$.payload.${name}.signature`,
      );
    }
  }
  scope.put('evidence', key, {
    validator: first.validator,
    height: first.height,
    round: first.round,
    type: first.type,
    first,
    second,
    reporter: tx.signer,
    recordedAt: height,
    tx: hash,
  });
};
