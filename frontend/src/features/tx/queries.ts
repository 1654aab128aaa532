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

export interface SignerInfo {
  orgId: string;
  orgName: string | null;
  role: string;
  label: string | null;
}

export interface TransactionView {
  tx: TransactionDetail | null;
  txRoot: string | null;
  blockTime: string | null;
  signer: SignerInfo | null;
}

async function signerInfo(publicKey: string | null): Promise<SignerInfo | null> {
  if (!publicKey) return null;
  const { member } = await nodeQuery<{
    member: { orgId: string; role: string; label: string | null } | null;
  }>('query ($key: String!) { member(publicKey: $key) { orgId role label } }', { key: publicKey });
  if (!member) return null;
  const { organization } = await nodeQuery<{ organization: { name: string } | null }>(
    'query ($id: String!) { organization(id: $id) { name } }',
    { id: member.orgId },
  );
  return { ...member, orgName: organization?.name ?? null };
}

async function blockOf(height: number | null) {
  if (height === null) return null;
  const { block } = await nodeQuery<{ block: { txRoot: string; timestamp: string } | null }>(
    'query ($height: Int!) { block(height: $height) { txRoot timestamp } }',
    { height },
  );
  return block;
}

export async function fetchTransaction(hash: string): Promise<TransactionView> {
  const { transaction: tx } = await nodeQuery<{ transaction: TransactionDetail | null }>(
    `query ($hash: String!) { transaction(hash: $hash) { ${TX_DETAIL_FIELDS} } }`,
    { hash },
  );
  if (!tx) return { tx: null, txRoot: null, blockTime: null, signer: null };
  const [block, signer] = await Promise.all([blockOf(tx.height), signerInfo(tx.signer)]);
  return {
    tx,
    txRoot: block?.txRoot ?? null,
    blockTime: block?.timestamp ?? null,
    signer,
  };
}
