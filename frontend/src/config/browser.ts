/** The part of the configuration the browser sees: where the node is and which genesis to trust. */
import type { ExplorerConfig } from './index';

export interface BrowserConfig {
  graphqlUrl: string;
  wsUrl: string;
  genesisHash?: string;
}

export function browserConfig(config: ExplorerConfig): BrowserConfig {
  return {
    graphqlUrl: config.publicNodeUrl,
    wsUrl: config.publicNodeUrl.replace(/^http/, 'ws'),
    ...(config.genesisHash ? { genesisHash: config.genesisHash } : {}),
  };
}
