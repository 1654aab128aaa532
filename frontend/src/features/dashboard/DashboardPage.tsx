import { NodeError } from '@/components/NodeError';
import { attempt } from '@/lib/attempt';
import { LiveDashboard } from './LiveDashboard';
import { fetchDashboard } from './queries';

export async function DashboardPage() {
  const result = await attempt(fetchDashboard);
  return (
    <>
      <h1>Network</h1>
      {result.ok ? (
        <>
          <p className="muted">
            Chain <code>{result.value.chain.chainId}</code>, seen from node{' '}
            <code title={result.value.network.peerId}>
              {result.value.network.peerId.slice(-10)}
            </code>
            .
          </p>
          <LiveDashboard data={result.value} />
        </>
      ) : (
        <NodeError error={result.error} what="the network's status" />
      )}
    </>
  );
}
