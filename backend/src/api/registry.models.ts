/** GraphQL types of the registry queries: organizations, products, recalls, search. */
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar.js';
import { ThingSummaryModel } from './models.js';

@ObjectType({ description: 'A key of an organization.' })
export class MemberModel {
  @Field() publicKey!: string;
  @Field({ description: 'The organization it signs for.' }) orgId!: string;
  @Field({ description: '`admin` or `staff`.' }) role!: string;
  @Field({ nullable: true }) label?: string;
  @Field({ description: 'False once revoked: it signs nothing new.' }) active!: boolean;
  @Field(() => Int, { description: 'Height of the block that added it.' }) addedAt!: number;
  @Field(() => Int, { nullable: true }) revokedAt?: number;
}

@ObjectType({ description: 'A handover of custody, pending until the receiver answers.' })
export class TransferModel {
  @Field({ description: 'The hash of its custody.handover.' }) id!: string;
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => [String]) epcs!: string[];
  @Field({ description: '`pending`, `accepted`, `rejected` or `cancelled`.' }) status!: string;
  @Field(() => Int) createdAt!: number;
  @Field(() => Int, { nullable: true }) closedAt?: number;
  @Field({ nullable: true }) closedBy?: string;
}

@ObjectType()
export class ThingPage {
  @Field(() => [ThingSummaryModel]) things!: ThingSummaryModel[];
  @Field({ nullable: true, description: 'Pass as `after` for the next page.' })
  nextCursor?: string;
}

@ObjectType({ description: 'An organization of the consortium.' })
export class OrganizationModel {
  @Field() id!: string;
  @Field() name!: string;
  @Field(() => [String]) roles!: string[];
  @Field({ nullable: true }) gln?: string;
  @Field(() => Int, { description: 'Height of the block that registered it.' })
  registeredAt!: number;
  // Resolved on demand by RegistryResolver: members, locations, holdings, activity, incoming and
  // outgoing transfers.
}

@ObjectType()
export class OrganizationPage {
  @Field(() => [OrganizationModel]) organizations!: OrganizationModel[];
  @Field({ nullable: true, description: 'Pass as `after` for the next page.' })
  nextCursor?: string;
}

@ObjectType({ description: 'A postal address, as its organization defined it.' })
export class AddressModel {
  @Field({ nullable: true }) street?: string;
  @Field() city!: string;
  @Field({ nullable: true }) postalCode?: string;
  @Field({ nullable: true }) region?: string;
  @Field({ description: 'ISO 3166-1 alpha-2 country code, such as `NL`.' }) country!: string;
}

@ObjectType({
  description:
    'WGS 84 coordinates in decimal degrees, as signed (decimal strings, e.g. "52.3676").',
})
export class CoordinatesModel {
  @Field() latitude!: string;
  @Field() longitude!: string;
}

@ObjectType({ description: 'A place identified by a GLN: a site, warehouse, store or dock.' })
export class LocationModel {
  @Field({ description: 'Its Global Location Number (13 digits).' }) gln!: string;
  @Field() name!: string;
  @Field(() => AddressModel) address!: AddressModel;
  @Field(() => CoordinatesModel, { nullable: true }) coordinates?: CoordinatesModel;
  @Field({ description: 'The organization that defined it (its id).' }) owner!: string;
  @Field(() => Int, { description: 'Height of the block that defined it.' }) definedAt!: number;
}

@ObjectType({ description: 'A recall of a GTIN, or of some of its lots or serials.' })
export class RecallModel {
  @Field({ description: 'The hash of its recall.issue.' }) id!: string;
  @Field() gtin!: string;
  @Field(() => [String], { nullable: true }) lots?: string[];
  @Field(() => [String], { nullable: true }) serials?: string[];
  @Field() reason!: string;
  @Field({ description: 'The org that issued it.' }) issuer!: string;
  @Field() open!: boolean;
  @Field(() => Int) issuedAt!: number;
  @Field(() => Int, { nullable: true }) closedAt?: number;
  @Field({ nullable: true }) closedBy?: string;
}

@ObjectType({ description: 'A product class: a GTIN as its manufacturer defined it.' })
export class ProductModel {
  @Field() gtin!: string;
  @Field({ description: 'The manufacturer that defined it.' }) owner!: string;
  @Field() name!: string;
  @Field({ nullable: true }) description?: string;
  @Field({ nullable: true }) brand?: string;
  @Field({ nullable: true }) imageHash?: string;
  @Field({ nullable: true }) imageUrl?: string;
  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Storage conditions: `[{ type, uom, min?, max? }]`.',
  })
  conditions?: unknown;
  @Field(() => Int) definedAt!: number;
}

export enum SearchHitKind {
  BLOCK = 'BLOCK',
  TRANSACTION = 'TRANSACTION',
  THING = 'THING',
  PRODUCT = 'PRODUCT',
  LOT = 'LOT',
  LOCATION = 'LOCATION',
  ORGANIZATION = 'ORGANIZATION',
}
registerEnumType(SearchHitKind, {
  name: 'SearchHitKind',
  description: 'What a search hit is.',
});

@ObjectType({ description: 'One answer to a search.' })
export class SearchHit {
  @Field(() => SearchHitKind) kind!: SearchHitKind;
  @Field({
    description:
      'What opens it: a block height, a hash, an EPC, a GTIN, a lot EPC, a GLN or an org id.',
  })
  id!: string;
  @Field() label!: string;
  @Field(() => Int, { nullable: true }) height?: number;
  @Field({ nullable: true }) gtin?: string;
  @Field({ nullable: true }) lot?: string;
}

@ObjectType({ description: 'An EPCIS event captured on chain, under its GS1 event hash.' })
export class EpcisEventModel {
  @Field({ description: 'Its GS1 event hash, `ni:///sha-256;…?ver=CBV2.0`.' }) eventHash!: string;
  @Field({ description: 'The transaction that carries it.' }) tx!: string;
  @Field(() => Int, { description: 'Height of the block that holds it.' }) height!: number;
}

@ObjectType({ description: 'One step of the path from a recalled thing to a thing it concerns.' })
export class AffectStepModel {
  @Field() epc!: string;
  @Field({
    description:
      '`recalled`: the recall covers it (the first step); `made-from`: a transformation made it from the previous step; `contains`: a logistic unit holding the previous step; `packed-in`: packed in the previous step, a unit that holds a concerned thing.',
  })
  via!: string;
}

@ObjectType({ description: 'An open recall that concerns a thing, and why.' })
export class RecallReasonModel {
  @Field(() => RecallModel) recall!: RecallModel;
  @Field(() => [AffectStepModel], {
    description: 'From the recalled thing (first) to the thing asked about (last).',
  })
  path!: AffectStepModel[];
}

@ObjectType({ description: 'The open recalls that concern a thing through the provenance graph.' })
export class RecallReasonsModel {
  @Field(() => [RecallReasonModel]) reasons!: RecallReasonModel[];
  @Field({ description: 'False when the walk reached its bound: a reason may be missing.' })
  complete!: boolean;
}

@ObjectType({ description: 'A thing a recall concerns, with its current custodian and why.' })
export class AffectedThingModel {
  @Field(() => ThingSummaryModel) thing!: ThingSummaryModel;
  @Field(() => [AffectStepModel], {
    description: 'From the recalled thing (first) to this thing (last).',
  })
  path!: AffectStepModel[];
}

@ObjectType({
  description:
    'What a recall concerns through the provenance graph: what it covers, everything made from that through any number of transformations, and everything packed with it while packed.',
})
export class RecallImpactModel {
  @Field(() => RecallModel) recall!: RecallModel;
  @Field(() => [AffectedThingModel], { description: 'Breadth first from the recalled things.' })
  affected!: AffectedThingModel[];
  @Field({ description: 'False when `first` stopped the walk: there may be more.' })
  complete!: boolean;
}
