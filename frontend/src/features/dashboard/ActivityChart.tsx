/**
 * Blocks and events per minute over the last hour as two bar rows in one SVG. The numbers are
 * also in a table for screen readers, since a chart alone says nothing to them.
 */
import type { ActivityBucket } from './model';

const WIDTH = 600;
const ROW = 70;

function Bars({
  values,
  y,
  label,
  className,
}: {
  values: number[];
  y: number;
  label: string;
  className: string;
}) {
  const max = Math.max(1, ...values);
  const step = WIDTH / Math.max(1, values.length);
  return (
    <g>
      <text x={0} y={y + 10}>
        {label} (max {max})
      </text>
      {values.map((v, i) => {
        const h = (v / max) * (ROW - 20);
        return (
          <rect
            key={i}
            className={className}
            x={i * step + 1}
            y={y + ROW - h}
            width={Math.max(1, step - 2)}
            height={h}
          />
        );
      })}
      <line className="axis" x1={0} x2={WIDTH} y1={y + ROW} y2={y + ROW} />
    </g>
  );
}

export function ActivityChart({ buckets }: { buckets: ActivityBucket[] }) {
  const events = buckets.map((b) => b.transactions);
  const blocks = buckets.map((b) => b.blocks);
  const totalEvents = events.reduce((a, b) => a + b, 0);
  const totalBlocks = blocks.reduce((a, b) => a + b, 0);
  return (
    <figure className="activity">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${2 * ROW + 20}`}
        role="img"
        aria-label={`Over the last ${buckets.length} minutes: ${totalEvents} events in ${totalBlocks} blocks`}
      >
        <Bars values={events} y={0} label="Events per minute" className="bar" />
        <Bars values={blocks} y={ROW + 20} label="Blocks per minute" className="bar-2" />
      </svg>
      <figcaption className="muted">
        Last {buckets.length} minutes: {totalEvents} events in {totalBlocks} blocks.
      </figcaption>
      <div className="visually-hidden">
        <table>
          <caption>Blocks and events per minute</caption>
          <thead>
            <tr>
              <th scope="col">Minute</th>
              <th scope="col">Blocks</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.start}>
                <td>{b.start}</td>
                <td>{b.blocks}</td>
                <td>{b.transactions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
