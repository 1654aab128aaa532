/** Chooses the engine: the single-authority producer when this node holds an authority key. */
import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ChainModule } from '../chain/chain.module.js';
import { ChainService } from '../chain/chain.service.js';
import { NODE_CONFIG } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
import { MempoolService } from '../mempool/mempool.service.js';
import { loadAuthorityKey } from './authority-key.js';
import { CONSENSUS_ENGINE, type ConsensusEngine } from './engine.js';
import { ObserverEngine, SingleAuthorityEngine } from './single-authority.engine.js';

@Module({
  imports: [ChainModule],
  providers: [
    {
      provide: CONSENSUS_ENGINE,
      inject: [ChainService, MempoolService, NODE_CONFIG],
      useFactory: (
        chain: ChainService,
        mempool: MempoolService,
        config: NodeConfig,
      ): ConsensusEngine => {
        const key = loadAuthorityKey(config.authorityKeyFile);
        return key ? new SingleAuthorityEngine(chain, mempool, key, config) : new ObserverEngine();
      },
    },
  ],
  exports: [CONSENSUS_ENGINE],
})
export class ConsensusModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CONSENSUS_ENGINE) private readonly engine: ConsensusEngine) {}

  onApplicationBootstrap(): void {
    this.engine.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
