/** GraphQL over HTTP (Apollo, code-first); `schema.gql` is the committed copy of its schema. */
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ChainModule } from '../chain/chain.module.js';
import { ConsensusModule } from '../consensus/consensus.module.js';
import { P2pModule } from '../p2p/p2p.module.js';
import { AuthoritiesResolver } from './authorities.resolver.js';
import { AuthoritiesService } from './authorities.service.js';
import { BlockFieldsResolver, TransactionFieldsResolver } from './block-fields.resolver.js';
import { ChainResolver } from './chain.resolver.js';
import { EvidenceResolver } from './evidence.resolver.js';
import { NetworkResolver } from './network.resolver.js';
import { EventsService } from './events.service.js';
import { RecallFieldsResolver, RecallsResolver } from './recalls.resolver.js';
import { RegistryResolver } from './registry.resolver.js';
import { graphqlLimits } from './limits.js';
import { SubscriptionsResolver } from './subscriptions.resolver.js';
import { TransactionsService } from './transactions.service.js';

@Module({
  imports: [
    ChainModule,
    ConsensusModule,
    P2pModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      useFactory: (): ApolloDriverConfig => {
        // Depth, size and mutation-rate limits (limits.ts), over HTTP and WebSocket alike.
        const limits = graphqlLimits();
        return {
          // Built in memory; the committed schema.gql is checked against it by a test.
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          subscriptions: { 'graphql-ws': limits.graphqlWs },
          // Errors say what was wrong; stack traces stay in the logs.
          includeStacktraceInErrorResponses: false,
          validationRules: limits.validationRules,
          parseOptions: limits.parseOptions,
          formatError: limits.formatError,
          plugins: limits.plugins,
        };
      },
    }),
  ],
  providers: [
    ChainResolver,
    BlockFieldsResolver,
    TransactionFieldsResolver,
    TransactionsService,
    RegistryResolver,
    RecallsResolver,
    RecallFieldsResolver,
    EvidenceResolver,
    AuthoritiesService,
    AuthoritiesResolver,
    NetworkResolver,
    EventsService,
    SubscriptionsResolver,
  ],
  // Transaction status and waiting for finality, for the other HTTP interfaces (EPCIS capture).
  exports: [TransactionsService],
})
export class ApiModule {}
