/**
 * Blocks and events per minute over the last hour as two bar rows in one SVG. The numbers are
 * also in a table for screen readers, since a chart alone says nothing to them.
 */
import type { ActivityBucket } from './model';

const WIDTH = 600;
const HEIGHT = 60;

/** One series as bars; stretched to the card's width at a fixed height, labels kept in HTML. */
function Bars({
  values,
  label,
  className,
}: {
  values: number[];
  label: string;
  className: string;
}) {
  const max = Math.max(1, ...values);
  const step = WIDTH / Math.max(1, values.length);
  return (
    <div className="chart-row">
      <p className="chart-label">
        {label} <span className="muted">(max {max})</span>
      </p>
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        aria-hidden="true"
      >
        {values.map((v, i) => {
          const h = (v / max) * (HEIGHT - 2);
          return (
            <rect
              key={i}
              className={className}
              x={i * step + 1}
              y={HEIGHT - h}
              width={Math.max(1, step - 2)}
              height={h}
            />
          );
        })}
        <line className="axis" x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} />
      </svg>
    </div>
  );
}

export function ActivityChart({ buckets }: { buckets: ActivityBucket[] }) {
  const events = buckets.map((b) => b.transactions);
  const blocks = buckets.map((b) => b.blocks);
  const totalEvents = events.reduce((a, b) => a + b, 0);
  const totalBlocks = blocks.reduce((a, b) => a + b, 0);
  return (
    <figure className="activity">
      <Bars values={events} label="Events per minute" className="bar" />
      <Bars values={blocks} label="Blocks per minute" className="bar-2" />
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
