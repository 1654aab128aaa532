import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import { MEMPOOL_OPTIONS, type MempoolOptions } from './mempool.options.js';
import { MempoolService } from './mempool.service.js';

export { MEMPOOL_OPTIONS, type MempoolOptions } from './mempool.options.js';

export interface MempoolModuleOptions {
  /** Builds the options, typically from the validated config and the chain store. */
  useFactory: FactoryProvider<MempoolOptions>['useFactory'];
  /** Providers passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  /** Modules exporting what `inject` names, unless they are global. */
  imports?: ModuleMetadata['imports'];
  /** Register globally (default true), so other modules inject MempoolService without importing. */
  global?: boolean;
}

/**
 * Provides one {@link MempoolService} built from {@link MEMPOOL_OPTIONS}. Register it once, in the
 * app module:
 *
 * ```ts
 * MempoolModule.register({
 *   imports: [ChainModule],
 *   inject: [ConfigService, ChainStore],
 *   useFactory: (config: ConfigService, chain: ChainStore) => ({
 *     chainId: config.chainId,
 *     maxSize: config.mempoolSize,
 *     isOnChain: (hash) => chain.hasTx(hash),
 *   }),
 * })
 * ```
 *
 * It is global by default: registering it in a second module would make a second, separate pool.
 */
@Module({})
export class MempoolModule {
  static register(options: MempoolModuleOptions): DynamicModule {
    return {
      module: MempoolModule,
      global: options.global ?? true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: MEMPOOL_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        MempoolService,
      ],
      exports: [MempoolService, MEMPOOL_OPTIONS],
    };
  }
}
