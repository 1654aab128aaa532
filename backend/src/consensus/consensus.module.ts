/**
 * The consensus engine of this node: the BFT engine, voting when the node holds an authority key
 * and following as an observer otherwise. One authority is simply a set of one.
 */
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
import { P2pModule } from '../p2p/p2p.module.js';
import { P2pService } from '../p2p/p2p.service.js';
import { loadAuthorityKey } from './authority-key.js';
import { BftEngine } from './bft.engine.js';
import { CONSENSUS_ENGINE, type ConsensusEngine } from './engine.js';

@Module({
  imports: [ChainModule, P2pModule],
  providers: [
    {
      provide: CONSENSUS_ENGINE,
      inject: [ChainService, MempoolService, P2pService, NODE_CONFIG],
      useFactory: (
        chain: ChainService,
        mempool: MempoolService,
        p2p: P2pService,
        config: NodeConfig,
      ): ConsensusEngine =>
        new BftEngine(chain, mempool, p2p, config, loadAuthorityKey(config.authorityKeyFile)),
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
