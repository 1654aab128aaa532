/**
 * Equivocation evidence (`authority.evidence`): the list of recorded pairs, newest first, and how
 * many are recorded against each authority.
 */
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Evidence } from '@waybill/shared/state';
import { LedgerQueriesService } from '../chain/ledger-queries.service.js';
import { MAX_PAGE_SIZE } from './chain.resolver.js';
import { badInput } from './errors.js';
import { AuthorityModel, EvidenceModel, EvidencePage } from './models.js';

const KEY = /^[0-9a-f]{64}$/;

function evidenceModel(record: Evidence): EvidenceModel {
  return {
    validator: record.validator,
    height: record.height,
    round: record.round,
    type: record.type,
    firstBlockHash: record.first.blockHash,
    secondBlockHash: record.second.blockHash,
    first: record.first,
    second: record.second,
    reporter: record.reporter,
    recordedAt: record.recordedAt,
    txHash: record.tx,
  };
}

@Resolver(() => AuthorityModel)
export class EvidenceResolver {
  constructor(private readonly ledger: LedgerQueriesService) {}

  @Query(() => EvidencePage, {
    description:
      'Equivocation evidence recorded on chain, newest first, optionally against one validator; pass nextCursor as `after`.',
  })
  async evidence(
    @Args('validator', { type: () => String, nullable: true }) validator?: string | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first = 20,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<EvidencePage> {
    if (first < 1 || first > MAX_PAGE_SIZE)
      throw badInput('BAD_REQUEST', `first must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
    if (validator != null && !KEY.test(validator))
      throw badInput('BAD_REQUEST', 'validator must be a public key (64 lowercase hex characters)');
    // GraphQL passes an explicit null for a nullable argument: null means not given.
    let cursor: Evidence | undefined;
    if (after != null) {
      cursor = await this.ledger.record('evidence', after);
      if (!cursor) throw badInput('BAD_REQUEST', 'after is not a cursor this query returned');
    }
    const page = await this.ledger.evidence(validator != null ? { validator } : {}, first, cursor);
    return {
      evidence: page.evidence.map(evidenceModel),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
  }

  @ResolveField(() => Int, {
    description: 'How many equivocations are recorded against it (see the `evidence` query).',
  })
  async evidenceCount(@Parent() authority: AuthorityModel): Promise<number> {
    return this.ledger.evidenceCount(authority.publicKey);
  }
}
