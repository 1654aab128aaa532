/** GraphQL over HTTP (Apollo, code-first); `schema.gql` is the committed copy of its schema. */
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ChainModule } from '../chain/chain.module.js';
import { ConsensusModule } from '../consensus/consensus.module.js';
import { ChainResolver } from './chain.resolver.js';
import { TransactionsService } from './transactions.service.js';

@Module({
  imports: [
    ChainModule,
    ConsensusModule,
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      // Built in memory; the committed schema.gql is checked against it by a test.
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      subscriptions: { 'graphql-ws': true },
      // Errors say what was wrong; stack traces stay in the logs.
      includeStacktraceInErrorResponses: false,
    }),
  ],
  providers: [ChainResolver, TransactionsService],
})
export class ApiModule {}
