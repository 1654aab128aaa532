/** Asks a node's GraphQL API directly: what is on chain, independent of the explorer. */
import { runState } from './state.js';

interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  url = runState().nodeUrl,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  const first = body.errors?.[0];
  if (first) throw new Error(`${first.extensions?.code ?? 'GRAPHQL_ERROR'}: ${first.message}`);
  if (body.data === undefined) throw new Error(`no data from ${url}`);
  return body.data;
}

export async function chainHeight(url?: string): Promise<number> {
  return (await gql<{ chain: { height: number } }>('{ chain { height } }', {}, url)).chain.height;
}

export interface ThingOnChain {
  custodian: string;
  owner: string;
  status: string;
  pendingTransfer: string | null;
  events: { type: string; height: number }[];
}

export async function thing(epc: string): Promise<ThingOnChain> {
  const data = await gql<{ thing: ThingOnChain | null }>(
    `query ($epc: String!) {
      thing(epc: $epc) { custodian owner status pendingTransfer events { type height } }
    }`,
    { epc },
  );
  if (!data.thing) throw new Error(`${epc} is not on chain`);
  return data.thing;
}

export interface TransactionOnChain {
  status: string;
  height: number | null;
  blockHash: string | null;
  code: string | null;
}

export async function transaction(hash: string): Promise<TransactionOnChain | null> {
  return (
    await gql<{ transaction: TransactionOnChain | null }>(
      'query ($hash: String!) { transaction(hash: $hash) { status height blockHash code } }',
      { hash },
    )
  ).transaction;
}

/** What an organization's keys signed last, and its handovers in both directions. */
export async function orgSnapshot(id: string): Promise<{
  latestActivity: string | undefined;
  incoming: string[];
  outgoing: string[];
}> {
  const data = await gql<{
    organization: {
      activity: { transactions: { hash: string }[] };
      incomingTransfers: { id: string }[];
      outgoingTransfers: { id: string }[];
    } | null;
  }>(
    `query ($id: String!) {
      organization(id: $id) {
        activity(first: 1) { transactions { hash } }
        incomingTransfers { id }
        outgoingTransfers { id }
      }
    }`,
    { id },
  );
  if (!data.organization) throw new Error(`no organization ${id}`);
  return {
    latestActivity: data.organization.activity.transactions[0]?.hash,
    incoming: data.organization.incomingTransfers.map((t) => t.id),
    outgoing: data.organization.outgoingTransfers.map((t) => t.id),
  };
}
