/**
 * A small typed GraphQL client for a Waybill node, over `fetch`, for the explorer, the CLI, the
 * end-to-end tests and the benchmark. Errors keep the node's code (`extensions.code`).
 */
import type { SignedTx } from '../tx/index.js';

export type TxStatus = 'PENDING' | 'FINAL' | 'REJECTED';

export interface SubmitResult {
  index: number;
  hash?: string;
  status: TxStatus;
  code?: string;
  message?: string;
  path?: string;
  height?: number;
}

export interface ChainInfo {
  chainId: string;
  genesisHash: string;
  height: number;
  headHash: string;
  mode: string;
  authorities: { publicKey: string; name?: string }[];
}

export interface TransactionInfo {
  hash: string;
  status: TxStatus;
  code?: string;
  message?: string;
  path?: string;
  type?: string;
  signer?: string;
  tx?: SignedTx;
  height?: number;
  blockHash?: string;
  position?: number;
  proof?: { leafIndex: number; treeSize: number; path: string[] };
}

export class WaybillClientError extends Error {
  override readonly name = 'WaybillClientError';

  constructor(
    message: string,
    readonly code: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface WaybillClientOptions {
  /** The node's GraphQL endpoint, such as http://127.0.0.1:4000/graphql. */
  url: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

const SUBMIT_FIELDS = 'index hash status code message path height';
const TX_FIELDS = 'hash status code message path type signer tx height blockHash position proof';

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; path?: string } }[];
}

export class WaybillClient {
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: WaybillClientOptions) {
    this.fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Runs a GraphQL operation; throws WaybillClientError with the node's code on any error. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new WaybillClientError(
        `cannot reach the node at ${this.options.url}: ${describeFetchError(error)}`,
        'UNREACHABLE',
      );
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw new WaybillClientError(
        `the node answered HTTP ${response.status} without a GraphQL body`,
        `HTTP_${response.status}`,
      );
    }
    const first = body.errors?.[0];
    if (first)
      throw new WaybillClientError(
        first.message,
        first.extensions?.code ?? 'GRAPHQL_ERROR',
        first.extensions?.path,
      );
    if (body.data === undefined)
      throw new WaybillClientError('the node answered without data', 'GRAPHQL_ERROR');
    return body.data;
  }

  async chain(): Promise<ChainInfo> {
    return (
      await this.request<{ chain: ChainInfo }>(
        '{ chain { chainId genesisHash height headHash mode authorities { publicKey name } } }',
      )
    ).chain;
  }

  async submit(tx: SignedTx, options: { waitFinal?: boolean } = {}): Promise<SubmitResult> {
    const query = `mutation ($tx: JSON!, $wait: Boolean!) { submitTransaction(tx: $tx, waitFinal: $wait) { ${SUBMIT_FIELDS} } }`;
    return (
      await this.request<{ submitTransaction: SubmitResult }>(query, {
        tx,
        wait: options.waitFinal ?? false,
      })
    ).submitTransaction;
  }

  async submitMany(
    txs: readonly SignedTx[],
    options: { waitFinal?: boolean } = {},
  ): Promise<SubmitResult[]> {
    const query = `mutation ($txs: [JSON!]!, $wait: Boolean!) { submitTransactions(txs: $txs, waitFinal: $wait) { ${SUBMIT_FIELDS} } }`;
    return (
      await this.request<{ submitTransactions: SubmitResult[] }>(query, {
        txs,
        wait: options.waitFinal ?? false,
      })
    ).submitTransactions;
  }

  async transaction(hash: string): Promise<TransactionInfo | null> {
    const query = `query ($hash: String!) { transaction(hash: $hash) { ${TX_FIELDS} } }`;
    return (await this.request<{ transaction: TransactionInfo | null }>(query, { hash }))
      .transaction;
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset socket, a timeout) is its cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null) return error.message;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  const detail = [code, message].filter((part) => typeof part === 'string').join(': ');
  return detail === '' ? error.message : `${error.message} (${detail})`;
}

export function createClient(options: WaybillClientOptions): WaybillClient {
  return new WaybillClient(options);
}
