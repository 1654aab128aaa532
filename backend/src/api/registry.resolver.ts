/**
 * Registry queries: organizations (members, locations, holdings, activity, the transfer inbox),
 * locations, products and their things by GTIN, lot, custodian and status, recalls, search, and
 * the provenance bundle of a thing.
 */
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isWaybillError } from '@waybill/shared/errors';
import { assertGln, normalizeGtin, parseDigitalLink, toEpc } from '@waybill/shared/gs1';
import type { Location, ThingStatus } from '@waybill/shared/state';
import { ChainService } from '../chain/chain.service.js';
import {
  LedgerQueriesService,
  THING_STATUSES,
  type SearchKind,
  type ThingFilter,
  type ThingsPage,
} from '../chain/ledger-queries.service.js';
import { MAX_BATCH, MAX_PAGE_SIZE } from './chain.resolver.js';
import { badInput, toGraphQLError } from './errors.js';
import { JsonScalar } from './json.scalar.js';
import { TransactionPage } from './models.js';
import {
  LocationModel,
  MemberModel,
  OrganizationModel,
  OrganizationPage,
  ProductModel,
  RecallModel,
  SearchHit,
  SearchHitKind,
  ThingPage,
  TransferModel,
  EpcisEventModel,
} from './registry.models.js';
import { TransactionsService } from './transactions.service.js';

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

function checkEventHash(eventHash: string): void {
  if (!/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/.test(eventHash))
    throw badInput(
      'BAD_REQUEST',
      `eventHash "${eventHash.slice(0, 100)}" is not a GS1 event hash: expected ni:///sha-256;<64 hex>?ver=CBV2.0`,
    );
}

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

function locationModel({ orgId, definedAt, ...location }: Location): LocationModel {
  return { ...location, owner: orgId, definedAt };
}

/** `activity` cursors: the height and position of the last transaction of a page. */
const TX_CURSOR = /^(\d{1,15}):(\d{1,9})$/;

@Resolver(() => OrganizationModel)
export class RegistryResolver {
  constructor(
    private readonly ledger: LedgerQueriesService,
    private readonly chain: ChainService,
    private readonly transactions: TransactionsService,
  ) {}

  @Query(() => EpcisEventModel, {
    nullable: true,
    description:
      'An EPCIS event on chain by its GS1 event hash (`ni:///sha-256;…?ver=CBV2.0`): the transaction that carries it; null when no transaction does.',
  })
  async epcisEvent(@Args('eventHash') eventHash: string): Promise<EpcisEventModel | undefined> {
    checkEventHash(eventHash);
    return this.ledger.record('epcisEvent', eventHash);
  }

  @Query(() => [EpcisEventModel], {
    description: `The EPCIS events on chain among these GS1 event hashes (at most ${MAX_BATCH}), in the order given; those no transaction carries are left out. An importer asks this once per batch instead of once per event.`,
  })
  async epcisEvents(
    @Args('eventHashes', { type: () => [String] }) eventHashes: string[],
  ): Promise<EpcisEventModel[]> {
    if (eventHashes.length > MAX_BATCH)
      throw badInput('BAD_REQUEST', `at most ${MAX_BATCH} event hashes per request`);
    eventHashes.forEach(checkEventHash);
    const found = await this.ledger.records('epcisEvent', eventHashes);
    return found;
  }

  @Query(() => TransferModel, {
    nullable: true,
    description: 'A custody transfer by the hash of its custody.handover, whatever its status.',
  })
  async transfer(@Args('id') id: string): Promise<TransferModel | undefined> {
    if (!/^[0-9a-f]{64}$/.test(id))
      throw badInput('BAD_REQUEST', `id "${id.slice(0, 80)}" is not a transaction hash (64 hex)`);
    return this.ledger.record('transfer', id);
  }

  @Query(() => OrganizationModel, { nullable: true, description: 'An organization by its id.' })
  async organization(@Args('id') id: string): Promise<OrganizationModel | undefined> {
    return this.ledger.organization(id);
  }

  @Query(() => MemberModel, {
    nullable: true,
    description:
      'A key by its public key (64 hex): the organization it signs for, its role and whether it is still active; null for a key no organization registered.',
  })
  async member(@Args('publicKey') publicKey: string): Promise<MemberModel | undefined> {
    if (!/^[0-9a-f]{64}$/.test(publicKey))
      throw badInput(
        'BAD_REQUEST',
        `publicKey "${publicKey.slice(0, 80)}" is not 64 lowercase hex digits; pass the key as the transaction's signer field shows it`,
      );
    return this.ledger.member(publicKey);
  }

  @Query(() => OrganizationPage, {
    description: 'Organizations in id order; pass nextCursor as `after`.',
  })
  async organizations(
    @Args('first', { type: () => Int, defaultValue: MAX_PAGE_SIZE }) first = MAX_PAGE_SIZE,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<OrganizationPage> {
    checkSize('first', first);
    return this.ledger.organizations(first, after ?? undefined);
  }

  @ResolveField(() => [MemberModel], { description: 'Its keys, in the order they were added.' })
  async members(@Parent() org: OrganizationModel): Promise<MemberModel[]> {
    return this.ledger.members(org.id);
  }

  @ResolveField(() => [LocationModel], { description: 'The locations it defined, in GLN order.' })
  async locations(@Parent() org: OrganizationModel): Promise<LocationModel[]> {
    return (await this.ledger.locations(org.id)).map(locationModel);
  }

  @ResolveField(() => TransactionPage, {
    description:
      'Final transactions signed by its member keys (revoked ones included), newest first; pass nextCursor as `after`.',
  })
  async activity(
    @Parent() org: OrganizationModel,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<TransactionPage> {
    checkSize('first', first);
    return this.txPage(first, (limit, before) => this.chain.txsOfOrg(org.id, limit, before), after);
  }

  @Query(() => TransactionPage, {
    name: 'transactions',
    description:
      'Final transactions of the whole chain, newest first (the live feed of events); pass nextCursor as `after`.',
  })
  async latestTransactions(
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<TransactionPage> {
    checkSize('first', first);
    return this.txPage(first, (limit, before) => this.chain.latestTxs(limit, before), after);
  }

  /** One page of transactions newest first, with `height:position` cursors. */
  private async txPage(
    first: number,
    load: (
      limit: number,
      before?: { height: number; position: number },
    ) => ReturnType<ChainService['latestTxs']>,
    after?: string | null,
  ): Promise<TransactionPage> {
    let before: { height: number; position: number } | undefined;
    if (after != null) {
      const match = TX_CURSOR.exec(after);
      if (!match) throw badInput('BAD_REQUEST', 'after is not a cursor this query returned');
      before = { height: Number(match[1]), position: Number(match[2]) };
    }
    const rows = await load(first + 1, before);
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return {
      transactions: await this.transactions.finalMany(page),
      ...(rows.length > first && last && { nextCursor: `${last.height}:${last.position}` }),
    };
  }

  @Query(() => LocationModel, {
    nullable: true,
    description: 'A location by its GLN (13 digits).',
  })
  async location(@Args('gln') gln: string): Promise<LocationModel | undefined> {
    gs1(() => {
      assertGln(gln);
    });
    const location = await this.ledger.location(gln);
    return location && locationModel(location);
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
