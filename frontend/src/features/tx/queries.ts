/** What the transaction page asks the node for. */
import type { InclusionProof } from '@waybill/shared/merkle';
import { nodeQuery } from '@/lib/node';

export type TxStatus = 'PENDING' | 'FINAL' | 'REJECTED';

export interface TransactionDetail {
  hash: string;
  status: TxStatus;
  code: string | null;
  message: string | null;
  path: string | null;
  type: string | null;
  signer: string | null;
  tx: unknown;
  height: number | null;
  blockHash: string | null;
  position: number | null;
  proof: InclusionProof | null;
}

export const TX_DETAIL_FIELDS =
  'hash status code message path type signer tx height blockHash position proof';

export async function fetchTransaction(
  hash: string,
): Promise<{ tx: TransactionDetail | null; txRoot: string | null; blockTime: string | null }> {
  const data = await nodeQuery<{ transaction: TransactionDetail | null }>(
    `query ($hash: String!) { transaction(hash: $hash) { ${TX_DETAIL_FIELDS} } }`,
    { hash },
  );
  const tx = data.transaction;
  if (tx?.height === null || tx?.height === undefined) return { tx, txRoot: null, blockTime: null };
  const block = await nodeQuery<{ block: { txRoot: string; timestamp: string } | null }>(
    'query ($height: Int!) { block(height: $height) { txRoot timestamp } }',
    { height: tx.height },
  );
  return { tx, txRoot: block.block?.txRoot ?? null, blockTime: block.block?.timestamp ?? null };
}
