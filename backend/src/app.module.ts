/** The one place the node's modules are wired; Nest tears them down in reverse on shutdown. */
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { signerProblem } from '@waybill/shared/state';
import { ApiModule } from './api/api.module.js';
import { ChainModule } from './chain/chain.module.js';
import { ChainService } from './chain/chain.service.js';
import { ConfigModule, type NodeStartup } from './config/config.module.js';
import type { NodeConfig } from './config/node-config.js';
import { ConsensusModule } from './consensus/consensus.module.js';
import { EpcisModule } from './epcis/epcis.module.js';
import { HealthModule } from './health/health.module.js';
import { MempoolModule } from './mempool/mempool.module.js';
import { P2pModule } from './p2p/p2p.module.js';
import { StorageModule } from './storage/storage.module.js';

/** The pool kept across a clean stop, in the data directory. */
export const MEMPOOL_JOURNAL_FILE = 'pending-transactions.json';

@Module({})
export class AppModule {
  static forRoot(
    config: NodeConfig,
    startup: NodeStartup = { lastStopClean: false },
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, startup),
        StorageModule,
        ChainModule,
        MempoolModule.register({
          imports: [ChainModule],
          inject: [ChainService],
          useFactory: (chain: ChainService) => ({
            chainId: chain.genesis.chainId,
            maxSize: config.mempoolMaxSize,
            isOnChain: (hash: string) => chain.state.hasTx(hash),
            isOnChainMany: (hashes: readonly string[]) => chain.state.txsOnChain(hashes),
            signerProblem: (signer: string) => signerProblem(chain.state, signer),
            journalFile: join(config.dataDir, MEMPOOL_JOURNAL_FILE),
          }),
        }),
        P2pModule,
        ConsensusModule,
        ApiModule,
        EpcisModule,
        HealthModule,
      ],
    };
  }
}
