/** Makes the validated NodeConfig injectable everywhere under the NODE_CONFIG token. */
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { NodeConfig } from './node-config.js';

export const NODE_CONFIG = Symbol('NODE_CONFIG');
/** What `startNode` found before the database was opened (NodeStartup). */
export const NODE_STARTUP = Symbol('NODE_STARTUP');

export interface NodeStartup {
  /** The database file is exactly as this node left it at a clean stop (clean-close.ts). */
  lastStopClean: boolean;
}

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: NodeConfig, startup: NodeStartup): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: NODE_CONFIG, useValue: config },
        { provide: NODE_STARTUP, useValue: startup },
      ],
      exports: [NODE_CONFIG, NODE_STARTUP],
    };
  }
}
