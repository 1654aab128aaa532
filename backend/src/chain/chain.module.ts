import { Module } from '@nestjs/common';
import { ChainService } from './chain.service.js';
import { LedgerQueriesService } from './ledger-queries.service.js';

/** The chain (its only writer) and the read-only ledger queries every reader shares. */
@Module({
  providers: [ChainService, LedgerQueriesService],
  exports: [ChainService, LedgerQueriesService],
})
export class ChainModule {}
