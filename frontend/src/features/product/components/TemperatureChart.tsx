/**
 * The temperature readings of the journey as a small inline SVG: the product's storage range
 * shaded, readings outside it drawn larger in the danger colour with their value written beside
 * them, and, for readers who cannot see the chart, the same out-of-range readings listed in text.
 */
import { TimeStamp } from '@/components/TimeStamp';
import styles from '../product.module.css';
import type { Condition, Reading } from '../types';
import { formatMeasure, formatRange, unitSymbol } from '../utils/conditions';
import { epcLabel } from '../utils/identifier';

const W = 400;
const H = 180;
const PAD = { left: 40, right: 12, top: 12, bottom: 26 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "19 Nov 07:30": the wall-clock time as the reading states it, the same on server and browser. */
export function wallClock(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? ''} ${m[4] ?? ''}:${m[5] ?? ''}`;
}

function niceStep(span: number): number {
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const candidates = [1, 2, 2.5, 5, 10].map((f) => f * power);
  return candidates.find((c) => c >= raw) ?? 10 * power;
}

export function TemperatureChart({
  readings,
  condition,
}: {
  readings: readonly Reading[];
  condition?: Condition | undefined;
}) {
  const points = readings
    .map((r) => ({ r, t: Date.parse(r.time) }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const uom = first.r.uom;
  const symbol = unitSymbol(uom);
  const out = points.filter((p) => p.r.outOfRange);
  const values = points.map((p) => p.r.value);
  const bounds = [...values, condition?.min, condition?.max].filter(
    (v): v is number => v !== undefined,
  );
  let lo = Math.min(...bounds);
  let hi = Math.max(...bounds);
  const margin = Math.max((hi - lo) * 0.1, 0.5);
  lo -= margin;
  hi += margin;
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(6)));

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const span = last.t - first.t;
  const x = (t: number) => PAD.left + (span === 0 ? plotW / 2 : ((t - first.t) / span) * plotW);
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * plotH;
  const bandTop = y(condition?.max ?? hi);
  const bandBottom = y(condition?.min ?? lo);
  const minValue = Math.min(...values);
  const maxValue = Math.max(...values);
  const summary =
    `${points.length} ${points.length === 1 ? 'reading' : 'readings'} from ${wallClock(first.r.time)} to ${wallClock(last.r.time)}, ` +
    `between ${formatMeasure(minValue, uom)} and ${formatMeasure(maxValue, uom)}` +
    (condition ? `; the product is to be kept at ${formatRange(condition)}` : '') +
    (condition ? `; ${out.length} outside that range.` : '.');

  return (
    <section className="card" aria-labelledby="temperature-heading">
      <h2 id="temperature-heading">Temperature on the way</h2>
      <p>{summary}</p>
      <div className={styles.chartWrap}>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          className={`chart ${styles.chart}`}
          role="img"
          aria-labelledby="temperature-chart-title temperature-chart-desc"
        >
          <title id="temperature-chart-title">Temperature readings over time</title>
          <desc id="temperature-chart-desc">{summary}</desc>
          {condition ? (
            <>
              <rect
                className={styles.chartBand}
                x={PAD.left}
                y={bandTop}
                width={plotW}
                height={Math.max(0, bandBottom - bandTop)}
              />
              {condition.max !== undefined ? (
                <line
                  className={styles.chartBandEdge}
                  x1={PAD.left}
                  x2={W - PAD.right}
                  y1={bandTop}
                  y2={bandTop}
                />
              ) : null}
              {condition.min !== undefined ? (
                <line
                  className={styles.chartBandEdge}
                  x1={PAD.left}
                  x2={W - PAD.right}
                  y1={bandBottom}
                  y2={bandBottom}
                />
              ) : null}
            </>
          ) : null}
          {ticks.map((v) => (
            <g key={v}>
              <line
                className={styles.chartGrid}
                x1={PAD.left}
                x2={W - PAD.right}
                y1={y(v)}
                y2={y(v)}
              />
              <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
                {`${v}${symbol === '°C' || symbol === '°F' ? '°' : ''}`}
              </text>
            </g>
          ))}
          <text x={PAD.left} y={H - 6} textAnchor="start">
            {wallClock(first.r.time)}
          </text>
          {span > 0 ? (
            <text x={W - PAD.right} y={H - 6} textAnchor="end">
              {wallClock(last.r.time)}
            </text>
          ) : null}
          <polyline
            className={styles.chartLine}
            points={points.map((p) => `${x(p.t).toFixed(1)},${y(p.r.value).toFixed(1)}`).join(' ')}
          />
          {points.map((p, i) =>
            p.r.outOfRange ? (
              <g key={i}>
                <circle className={styles.chartPointOut} cx={x(p.t)} cy={y(p.r.value)} r={6}>
                  <title>{`${p.r.display} at ${wallClock(p.r.time)}: out of range`}</title>
                </circle>
                <text
                  className={styles.chartOutLabel}
                  x={Math.min(x(p.t) + 9, W - PAD.right - 30)}
                  y={Math.max(y(p.r.value) + 4, PAD.top + 10)}
                >
                  {p.r.display}
                </text>
              </g>
            ) : (
              <circle key={i} className={styles.chartPoint} cx={x(p.t)} cy={y(p.r.value)} r={2.5}>
                <title>{`${p.r.display} at ${wallClock(p.r.time)}`}</title>
              </circle>
            ),
          )}
        </svg>
      </div>
      {out.length > 0 ? (
        <>
          <h3 id="out-of-range-heading">
            {out.length} {out.length === 1 ? 'reading' : 'readings'} out of range
          </h3>
          <ul aria-labelledby="out-of-range-heading">
            {out.map(({ r }, i) => (
              <li key={i}>
                <strong>{r.display}</strong> at <TimeStamp iso={r.time} relative={false} />
                {r.range !== undefined ? `, outside ${r.range}` : ''}
                {r.by !== undefined ? `, recorded by ${r.by}` : ''}
                {r.via !== undefined ? ` on ${epcLabel(r.via)}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : condition ? (
        <p>
          <span className="badge ok">Every reading within {formatRange(condition)}</span>
        </p>
      ) : null}
    </section>
  );
}
