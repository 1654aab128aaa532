/**
 * The explorer's configuration: the only module that reads environment variables. It is read at
 * request time on the server (never baked in at build time), so one build serves any network; the
 * root layout hands the browser-facing part to client components through `NodeConfigProvider`.
 * Pages import it through `@/config` (server-only); the proxy, which runs outside React's server
 * graph, imports this file directly.
 */
export interface ExplorerConfig {
  /** The node's GraphQL endpoint as this server reaches it. */
  nodeUrl: string;
  /** The same endpoint as browsers reach it (differs behind a proxy or in containers). */
  publicNodeUrl: string;
  /** The genesis hash users trust; bundles of any other chain fail verification. */
  genesisHash?: string;
  /** Base of the Digital Link URLs printed on labels, such as https://id.example.com. */
  publicUrl?: string;
}

export const DEFAULT_NODE_URL = 'http://127.0.0.1:4001/graphql';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';
}

function url(name: string, value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    return parsed.toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(
      `${name}="${value}" is not an http(s) URL; set it to the node's GraphQL endpoint, such as ${DEFAULT_NODE_URL}`,
    );
  }
}

export function readConfig(env: Record<string, string | undefined> = process.env): ExplorerConfig {
  const nodeUrl = url('WAYBILL_NODE_URL', env.WAYBILL_NODE_URL ?? DEFAULT_NODE_URL);
  const publicNodeUrl = env.WAYBILL_PUBLIC_NODE_URL
    ? url('WAYBILL_PUBLIC_NODE_URL', env.WAYBILL_PUBLIC_NODE_URL)
    : nodeUrl;
  const genesisHash = env.WAYBILL_GENESIS_HASH?.trim().toLowerCase();
  if (genesisHash !== undefined && genesisHash !== '' && !/^[0-9a-f]{64}$/.test(genesisHash))
    throw new ConfigError(
      `WAYBILL_GENESIS_HASH="${genesisHash}" is not 64 hex digits; copy it from \`waybill status\``,
    );
  return {
    nodeUrl,
    publicNodeUrl,
    ...(genesisHash ? { genesisHash } : {}),
    ...(env.WAYBILL_PUBLIC_URL
      ? { publicUrl: url('WAYBILL_PUBLIC_URL', env.WAYBILL_PUBLIC_URL) }
      : {}),
  };
}
