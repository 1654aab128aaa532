/**
 * A small metrics registry rendered in the Prometheus text exposition format 0.0.4: counters,
 * gauges and histograms with fixed buckets. Values are either kept here (`inc`, `set`, `observe`)
 * or read at scrape time from a `collect` callback. No Nest, no I/O: the controller serves `render()`.
 */

export type Labels = Readonly<Record<string, string>>;

/** One value of a metric with its labels; a metric without labels has one sample with `{}`. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** A scrape-time source: one number, or labelled samples (empty: no sample this time). */
export type Collect = () => number | readonly Sample[];

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Seconds, from a millisecond to five seconds. */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

/** Keeps values per label set, in first-seen order. */
class Series {
  private readonly values = new Map<string, Sample>();

  add(labels: Labels, by: number): void {
    const key = labelKey(labels);
    const current = this.values.get(key);
    if (current) current.value += by;
    else this.values.set(key, { labels: { ...labels }, value: by });
  }

  set(labels: Labels, value: number): void {
    this.values.set(labelKey(labels), { labels: { ...labels }, value });
  }

  samples(): Sample[] {
    return [...this.values.values()];
  }
}

export class Counter implements Metric {
  readonly type = 'counter';
  private readonly series = new Series();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect?: Collect,
  ) {}

  /** Adds `by` (default 1, never negative) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    if (this.collect) throw new Error(`counter ${this.name} is read at scrape time`);
    if (!(by >= 0)) throw new RangeError(`counter ${this.name} cannot grow by ${by}`);
    checkLabels(this.name, labels);
    this.series.add(labels, by);
  }

  lines(): string[] {
    return sampleLines(this.name, this.collect ? collected(this.name, this.collect) : this.series);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  private readonly series = new Series();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect?: Collect,
  ) {}

  set(value: number, labels: Labels = {}): void {
    if (this.collect) throw new Error(`gauge ${this.name} is read at scrape time`);
    checkLabels(this.name, labels);
    this.series.set(labels, value);
  }

  lines(): string[] {
    return sampleLines(this.name, this.collect ? collected(this.name, this.collect) : this.series);
  }
}

/** Cumulative buckets (`le`), `_sum` and `_count`; no labels. */
export class Histogram implements Metric {
  readonly type = 'histogram';
  readonly buckets: readonly number[];
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[] = DEFAULT_SECONDS_BUCKETS,
  ) {
    if (buckets.length === 0) throw new RangeError(`histogram ${name} needs buckets`);
    for (const [i, bound] of buckets.entries()) {
      const previous = buckets[i - 1];
      if (!Number.isFinite(bound) || (previous !== undefined && bound <= previous)) {
        throw new RangeError(`histogram ${name}: buckets must be finite and increasing`);
      }
    }
    this.buckets = [...buckets];
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    if (Number.isNaN(value)) return;
    for (const [i, bound] of this.buckets.entries()) {
      if (value <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    }
    this.sum += value;
    this.count++;
  }

  lines(): string[] {
    const lines = this.buckets.map(
      (bound, i) =>
        `${this.name}_bucket{le="${formatValue(bound)}"} ${formatValue(this.counts[i] ?? 0)}`,
    );
    lines.push(`${this.name}_bucket{le="+Inf"} ${formatValue(this.count)}`);
    lines.push(`${this.name}_sum ${formatValue(this.sum)}`);
    lines.push(`${this.name}_count ${formatValue(this.count)}`);
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string, collect?: Collect): Counter {
    return this.register(new Counter(name, help, collect));
  }

  gauge(name: string, help: string, collect?: Collect): Gauge {
    return this.register(new Gauge(name, help, collect));
  }

  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, buckets));
  }

  /** Every metric in registration order, each with its HELP and TYPE lines; ends with a newline. */
  render(): string {
    const out: string[] = [];
    for (const metric of this.metrics.values()) {
      out.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
      out.push(`# TYPE ${metric.name} ${metric.type}`);
      out.push(...metric.lines());
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }

  private register<M extends Metric>(metric: M): M {
    if (!METRIC_NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.has(metric.name))
      throw new Error(`metric ${metric.name} is already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** `\` and newline in HELP text. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `\`, `"` and newline in label values. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Go's float syntax as Prometheus parses it: `+Inf`, `-Inf`, `NaN`, otherwise JS's shortest form. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

function sampleLines(name: string, source: Series | readonly Sample[]): string[] {
  const samples = source instanceof Series ? source.samples() : source;
  return samples.map((s) => `${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
}

function collected(name: string, collect: Collect): readonly Sample[] {
  const result = collect();
  if (typeof result === 'number') return [{ labels: {}, value: result }];
  for (const sample of result) checkLabels(name, sample.labels);
  return result;
}

function checkLabels(metric: string, labels: Labels): void {
  for (const label of Object.keys(labels)) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new Error(`metric ${metric}: invalid label name ${label}`);
    }
  }
}

/** Order-independent key of a label set. */
function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
