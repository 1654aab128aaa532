/**
 * The authority set for operators: when each authority last signed, the open add/remove
 * proposals, and the history of applied changes.
 */
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthoritiesService, SIGNATURE_WINDOW } from './authorities.service.js';
import { MAX_PAGE_SIZE } from './chain.resolver.js';
import { badInput } from './errors.js';
import { AuthorityChangePage, AuthorityModel, AuthorityProposalModel } from './models.js';

const NOT_SEEN = `null when it signed none of the ${SIGNATURE_WINDOW.toLocaleString('en')} blocks before this node started nor any since`;

@Resolver(() => AuthorityModel)
export class AuthoritiesResolver {
  constructor(private readonly authorities: AuthoritiesService) {}

  @ResolveField(() => Int, {
    nullable: true,
    description: `Height of the latest finalized block whose commit certificate carries its signature; ${NOT_SEEN}.`,
  })
  lastSignedHeight(@Parent() authority: AuthorityModel): number | null {
    return this.authorities.lastSigned(authority.publicKey)?.height ?? null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: `Timestamp of that block (ISO 8601 UTC); ${NOT_SEEN}.`,
  })
  lastSignedAt(@Parent() authority: AuthorityModel): string | null {
    return this.authorities.lastSigned(authority.publicKey)?.timestamp ?? null;
  }

  @Query(() => [AuthorityProposalModel], {
    description:
      'Open proposals to add or remove an authority (`authority.vote`), with who voted and how many votes each needs.',
  })
  async pendingAuthorityVotes(): Promise<AuthorityProposalModel[]> {
    return this.authorities.pendingVotes();
  }

  @Query(() => AuthorityChangePage, {
    description:
      'Additions to and removals from the authority set, newest first; the genesis authorities are listed as added at height 0. Pass nextCursor as `after`.',
  })
  async authorityChanges(
    @Args('first', { type: () => Int, defaultValue: 50 }) first = 50,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<AuthorityChangePage> {
    if (first < 1 || first > MAX_PAGE_SIZE)
      throw badInput('BAD_REQUEST', `first must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
    // GraphQL passes an explicit null for a nullable argument: null means not given.
    if (after != null && !/^\d{1,9}$/.test(after))
      throw badInput('BAD_REQUEST', 'after is not a cursor this query returned');
    return this.authorities.changes(first, after != null ? Number(after) : undefined);
  }
}
