/**
 * Registry queries: organizations (members, holdings, the transfer inbox), products and their
 * things by GTIN, lot, custodian and status, recalls, search, and the provenance bundle of a thing.
 */
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isWaybillError } from '@waybill/shared/errors';
import { normalizeGtin, parseDigitalLink, toEpc } from '@waybill/shared/gs1';
import type { ThingStatus } from '@waybill/shared/state';
import {
  LedgerQueriesService,
  THING_STATUSES,
  type SearchKind,
  type ThingFilter,
  type ThingsPage,
} from '../chain/ledger-queries.service.js';
import { MAX_PAGE_SIZE } from './chain.resolver.js';
import { badInput, toGraphQLError } from './errors.js';
import { JsonScalar } from './json.scalar.js';
import {
  MemberModel,
  OrganizationModel,
  ProductModel,
  RecallModel,
  SearchHit,
  SearchHitKind,
  ThingPage,
  TransferModel,
} from './registry.models.js';

const MAX_SEARCH_LENGTH = 500;

const HIT_KINDS: Record<SearchKind, SearchHitKind> = {
  BLOCK: SearchHitKind.BLOCK,
  TRANSACTION: SearchHitKind.TRANSACTION,
  THING: SearchHitKind.THING,
  PRODUCT: SearchHitKind.PRODUCT,
  LOT: SearchHitKind.LOT,
  LOCATION: SearchHitKind.LOCATION,
  ORGANIZATION: SearchHitKind.ORGANIZATION,
};

function checkSize(name: string, value: number): void {
  if (value < 1 || value > MAX_PAGE_SIZE)
    throw badInput('BAD_REQUEST', `${name} must be from 1 to ${MAX_PAGE_SIZE}, got ${value}`);
}

/** Runs a GS1 normalization; its INVALID_GS1 becomes the GraphQL error's code. */
function gs1<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw isWaybillError(error) ? toGraphQLError(error) : error;
  }
}

function thingPage(page: ThingsPage): ThingPage {
  return {
    things: page.things.map(({ thing, status }) => ({ ...thing, status })),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}

@Resolver(() => OrganizationModel)
export class RegistryResolver {
  constructor(private readonly ledger: LedgerQueriesService) {}

  @Query(() => OrganizationModel, { nullable: true, description: 'An organization by its id.' })
  async organization(@Args('id') id: string): Promise<OrganizationModel | undefined> {
    return this.ledger.organization(id);
  }

  @ResolveField(() => [MemberModel], { description: 'Its keys, in the order they were added.' })
  async members(@Parent() org: OrganizationModel): Promise<MemberModel[]> {
    return this.ledger.members(org.id);
  }

  @ResolveField(() => ThingPage, {
    description:
      'What it has custody of now (not decommissioned), in EPC order; pass nextCursor as `after`.',
  })
  async holdings(
    @Parent() org: OrganizationModel,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<ThingPage> {
    checkSize('first', first);
    return thingPage(
      await this.ledger.things({ custodian: org.id, current: true }, first, after ?? undefined),
    );
  }

  @ResolveField(() => [TransferModel], {
    description: 'Pending handovers to it, oldest first: the staff inbox.',
  })
  async incomingTransfers(
    @Parent() org: OrganizationModel,
    @Args('limit', { type: () => Int, defaultValue: MAX_PAGE_SIZE }) limit: number,
  ): Promise<TransferModel[]> {
    checkSize('limit', limit);
    return this.ledger.pendingTransfers(org.id, 'in', limit);
  }

  @ResolveField(() => [TransferModel], {
    description: 'Its pending handovers to others, oldest first.',
  })
  async outgoingTransfers(
    @Parent() org: OrganizationModel,
    @Args('limit', { type: () => Int, defaultValue: MAX_PAGE_SIZE }) limit: number,
  ): Promise<TransferModel[]> {
    checkSize('limit', limit);
    return this.ledger.pendingTransfers(org.id, 'out', limit);
  }

  @Query(() => ThingPage, {
    description:
      'Items, lots and logistic units in EPC order, filtered by GTIN, lot, custodian and status (`active`, `in_transit`, `recalled`, `decommissioned`); pass nextCursor as `after`.',
  })
  async products(
    @Args('gtin', { type: () => String, nullable: true }) gtin?: string | null,
    @Args('lot', { type: () => String, nullable: true }) lot?: string | null,
    @Args('custodian', { type: () => String, nullable: true }) custodian?: string | null,
    @Args('status', { type: () => String, nullable: true }) status?: string | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first = 20,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<ThingPage> {
    checkSize('first', first);
    if (status != null && !THING_STATUSES.includes(status as ThingStatus)) {
      throw badInput('BAD_REQUEST', `status must be one of ${THING_STATUSES.join(', ')}`);
    }
    // GraphQL passes an explicit null for a nullable argument: null means not given.
    const filter: ThingFilter = {
      ...(gtin != null && { gtin: gs1(() => normalizeGtin(gtin)) }),
      ...(lot != null && { lot }),
      ...(custodian != null && { custodian }),
      ...(status != null && { status: status as ThingStatus }),
    };
    return thingPage(await this.ledger.things(filter, first, after ?? undefined));
  }

  @Query(() => ProductModel, { nullable: true, description: 'A product class by its GTIN.' })
  async product(@Args('gtin') gtin: string): Promise<ProductModel | undefined> {
    return this.ledger.product(gs1(() => normalizeGtin(gtin)));
  }

  @Query(() => [RecallModel], {
    description: 'Recalls, newest first, optionally of one GTIN and open or closed only.',
  })
  async recalls(
    @Args('gtin', { type: () => String, nullable: true }) gtin?: string | null,
    @Args('open', { type: () => Boolean, nullable: true }) open?: boolean | null,
    @Args('limit', { type: () => Int, defaultValue: MAX_PAGE_SIZE }) limit = MAX_PAGE_SIZE,
  ): Promise<RecallModel[]> {
    checkSize('limit', limit);
    return this.ledger.recalls(
      {
        ...(gtin != null && { gtin: gs1(() => normalizeGtin(gtin)) }),
        ...(open != null && { open }),
      },
      limit,
    );
  }

  @Query(() => [SearchHit], {
    description:
      'Finds blocks (height or hash), transactions, things (EPC or any GS1 Digital Link), products (GTIN), lots, locations (GLN) and organizations (id or part of the name); at most 20 hits.',
  })
  async search(@Args('q') q: string): Promise<SearchHit[]> {
    if (q.length > MAX_SEARCH_LENGTH)
      throw badInput('BAD_REQUEST', `q must be at most ${MAX_SEARCH_LENGTH} characters`);
    return (await this.ledger.search(q)).map(({ kind, ...hit }): SearchHit => ({
      kind: HIT_KINDS[kind],
      ...hit,
    }));
  }

  @Query(() => JsonScalar, {
    nullable: true,
    description:
      'The provenance bundle of an item, lot or logistic unit (EPC or any GS1 Digital Link of it), to check with `verifyBundle` of @waybill/shared/bundle.',
  })
  async bundle(@Args('epc') epc: string): Promise<unknown> {
    const { id } = gs1(() => parseDigitalLink(epc));
    if (id.kind === 'product' || id.kind === 'location')
      throw badInput('BAD_REQUEST', 'a bundle is about an item, a lot or a logistic unit');
    return (await this.ledger.bundle(toEpc(id))) ?? null;
  }
}
