/**
 * Server-side access to the node: one GraphQL request through the typed client from `shared`,
 * never cached, since every page shows the chain as it is now.
 */
import 'server-only';
import { WaybillClient, WaybillClientError } from '@waybill/shared/client';
import { readConfig } from '@/config';

export { WaybillClientError };

let client: { url: string; client: WaybillClient } | undefined;

function nodeClient(): WaybillClient {
  const { nodeUrl } = readConfig();
  if (client?.url !== nodeUrl) {
    client = {
      url: nodeUrl,
      client: new WaybillClient({
        url: nodeUrl,
        fetch: (input, init) => fetch(input, { ...init, cache: 'no-store' }),
      }),
    };
  }
  return client.client;
}

/** Runs a query on the node; throws WaybillClientError with the node's code. */
export function nodeQuery<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return nodeClient().request<T>(query, variables);
}
