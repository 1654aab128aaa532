/** The libp2p host as a Nest module: P2pService, configured from the node config and the chain. */
import { existsSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module.js';
import { ChainService } from '../chain/chain.service.js';
import { NODE_CONFIG } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
import { testControlsEnabled } from '../config/test-controls.js';
import { P2pControlController } from './control.controller.js';
import { p2pOptionsFromConfig, type P2pOptions } from './p2p.options.js';
import { BLOCK_SOURCE, P2P_OPTIONS, P2pService } from './p2p.service.js';

@Module({
  imports: [ChainModule],
  controllers: testControlsEnabled() ? [P2pControlController] : [],
  providers: [
    {
      provide: P2P_OPTIONS,
      inject: [NODE_CONFIG, ChainService],
      useFactory: (config: NodeConfig, chain: ChainService): P2pOptions =>
        p2pOptionsFromConfig(config, chain.genesis.chainId, existsSync(config.authorityKeyFile)),
    },
    { provide: BLOCK_SOURCE, useExisting: ChainService },
    P2pService,
  ],
  exports: [P2pService],
})
export class P2pModule {}
