/** What the block pages ask the node for. */
import { nodeQuery } from '@/lib/node';

export interface BlockSummary {
  height: number;
  hash: string;
  timestamp: string;
  proposer: string;
  round: number;
  txCount: number;
}

export interface BlockTx {
  hash: string;
  type: string | null;
  signer: string | null;
  position: number | null;
  tx: unknown;
}

export interface BlockSigner {
  publicKey: string;
  name: string | null;
  signed: boolean;
}

export interface BlockDetail extends BlockSummary {
  prevHash: string;
  txRoot: string;
  stateRoot: string;
  validatorsHash: string;
  header: Record<string, unknown>;
  commit: { round: number; signatures: { validator: string; signature: string }[] };
  signers: BlockSigner[];
  transactions: BlockTx[];
}

export const BLOCK_SUMMARY_FIELDS = 'height hash timestamp proposer round txCount';

export const BLOCK_PAGE_SIZE = 25;

export async function fetchBlocks(
  before?: number,
): Promise<{ blocks: BlockSummary[]; nextCursor: number | null }> {
  const data = await nodeQuery<{ blocks: { blocks: BlockSummary[]; nextCursor: number | null } }>(
    `query ($before: Int, $limit: Int!) { blocks(before: $before, limit: $limit) { blocks { ${BLOCK_SUMMARY_FIELDS} } nextCursor } }`,
    { before, limit: BLOCK_PAGE_SIZE },
  );
  return data.blocks;
}

/** By height (digits) or hash (64 hex); null when the node has no such block. */
export async function fetchBlock(id: string): Promise<BlockDetail | null> {
  const byHeight = /^\d{1,10}$/.test(id);
  const data = await nodeQuery<{ block: BlockDetail | null }>(
    `query ($height: Int, $hash: String) { block(height: $height, hash: $hash) {
      ${BLOCK_SUMMARY_FIELDS} prevHash txRoot stateRoot validatorsHash header commit
      signers { publicKey name signed }
      transactions { hash type signer position tx }
    } }`,
    byHeight ? { height: Number(id) } : { hash: id.toLowerCase() },
  );
  return data.block;
}

/** Names of the current authorities by key, to show proposers by name. */
export async function fetchAuthorityNames(): Promise<Record<string, string>> {
  const data = await nodeQuery<{
    chain: { authorities: { publicKey: string; name: string | null }[] };
  }>('{ chain { authorities { publicKey name } } }');
  return Object.fromEntries(
    data.chain.authorities.flatMap((a) => (a.name ? [[a.publicKey, a.name] as const] : [])),
  );
}
