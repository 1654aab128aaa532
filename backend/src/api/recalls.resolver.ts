/**
 * Recalls through the provenance graph (shared/state/recall-graph.ts): what a recall concerns,
 * with each thing's custodian, and on a thing, which recalls concern it and why.
 */
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MAX_RECALL_WALK, statusOf, type Thing } from '@waybill/shared/state';
import { ChainService } from '../chain/chain.service.js';
import { LedgerQueriesService } from '../chain/ledger-queries.service.js';
import { badInput } from './errors.js';
import { ThingModel } from './models.js';
import { RecallImpactModel, RecallModel, RecallReasonsModel } from './registry.models.js';

const HASH = /^[0-9a-f]{64}$/;

@Resolver(() => ThingModel)
export class RecallsResolver {
  constructor(private readonly ledger: LedgerQueriesService) {}

  @Query(() => RecallImpactModel, {
    nullable: true,
    description:
      'What a recall concerns (its id is the hash of its recall.issue): the things it covers, everything made from them through any number of transformations, everything packed with them while packed, each with its current custodian and the path that concerns it. Empty for a closed recall; null for an unknown id.',
  })
  async recallImpact(
    @Args('recall') recall: string,
    @Args('first', { type: () => Int, defaultValue: 1000 }) first: number,
  ): Promise<RecallImpactModel | undefined> {
    if (!HASH.test(recall))
      throw badInput('BAD_REQUEST', 'recall must be the 64 lowercase hex hash of a recall.issue');
    if (first < 1 || first > MAX_RECALL_WALK)
      throw badInput('BAD_REQUEST', `first must be from 1 to ${MAX_RECALL_WALK}, got ${first}`);
    const impact = await this.ledger.recallImpact(recall, first);
    if (!impact) return undefined;
    const things = new Map<string, Thing>();
    for (const { epc } of impact.affected) {
      const thing = await this.ledger.record('thing', epc);
      if (thing) things.set(epc, thing);
    }
    const recalls = await this.ledger.openRecalls([...things.values()].map((t) => t.gtin));
    return {
      recall: impact.recall,
      complete: impact.complete,
      affected: impact.affected.flatMap(({ epc, path }) => {
        const thing = things.get(epc);
        if (!thing) return [];
        const status = statusOf(thing, recalls.get(thing.gtin ?? '') ?? []);
        return [{ thing: { ...thing, status }, path }];
      }),
    };
  }

  @ResolveField(() => RecallReasonsModel, {
    description:
      'The open recalls that concern it through the provenance graph (its own GTIN, lot or serial, what it was made from through any number of transformations, what it is packed with), each with the path from the recalled thing to it.',
  })
  async recallReasons(@Parent() thing: ThingModel): Promise<RecallReasonsModel> {
    return this.ledger.recallReasons(thing.epc);
  }
}

@Resolver(() => RecallModel)
export class RecallFieldsResolver {
  constructor(private readonly chain: ChainService) {}

  @ResolveField(() => String, {
    nullable: true,
    description: 'The timestamp of the block that recorded it: when it was issued, for a reader.',
  })
  async issuedTime(@Parent() recall: RecallModel): Promise<string | null> {
    return (await this.chain.blockAt(recall.issuedAt))?.header.timestamp ?? null;
  }
}
