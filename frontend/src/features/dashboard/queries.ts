/** The dashboard's first paint; live updates continue it in the browser. */
import { nodeQuery } from '@/lib/node';
import { LIVE_BLOCK_FIELDS, NETWORK_FIELDS, type DashboardData } from './model';

export function fetchDashboard(): Promise<DashboardData> {
  return nodeQuery<DashboardData>(`{
    chain { chainId height
      authorities { publicKey name lastSignedHeight lastSignedAt evidenceCount }
      throughput { transactionsPerSecond windowSeconds } }
    network { ${NETWORK_FIELDS} }
    blocks(limit: 10) { blocks { ${LIVE_BLOCK_FIELDS} } }
    transactions(first: 12) { transactions { hash type signer tx height } }
    activity(minutes: 60) { start blocks transactions }
  }`);
}
