/**
 * The GraphQL schema as text, built from the code-first resolvers. `schema.gql` is this text,
 * committed; a test fails when they drift (run `pnpm --filter @waybill/node schema` to update).
 */
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { AuthoritiesResolver } from './authorities.resolver.js';
import { BlockFieldsResolver } from './block-fields.resolver.js';
import { ChainResolver } from './chain.resolver.js';
import { EvidenceResolver } from './evidence.resolver.js';
import { NetworkResolver } from './network.resolver.js';
import { RegistryResolver } from './registry.resolver.js';
import { SubscriptionsResolver } from './subscriptions.resolver.js';

export const RESOLVERS = [
  ChainResolver,
  BlockFieldsResolver,
  RegistryResolver,
  EvidenceResolver,
  AuthoritiesResolver,
  NetworkResolver,
  SubscriptionsResolver,
];

export async function buildSchemaText(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
  await app.close();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
