import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SECONDS_BUCKETS,
  escapeLabelValue,
  formatValue,
  MetricsRegistry,
} from '../src/health/metrics.js';

describe('the metrics registry', () => {
  it('renders counters and gauges in the text format 0.0.4', () => {
    const r = new MetricsRegistry();
    const blocks = r.counter('waybill_blocks_total', 'Blocks finalized.');
    const size = r.gauge('waybill_mempool_size', 'Pending transactions.');
    blocks.inc();
    blocks.inc({}, 2);
    size.set(7);
    expect(r.render()).toBe(
      [
        '# HELP waybill_blocks_total Blocks finalized.',
        '# TYPE waybill_blocks_total counter',
        'waybill_blocks_total 3',
        '# HELP waybill_mempool_size Pending transactions.',
        '# TYPE waybill_mempool_size gauge',
        'waybill_mempool_size 7',
        '',
      ].join('\n'),
    );
  });

  it('keeps one series per label set, whatever the key order', () => {
    const r = new MetricsRegistry();
    const c = r.counter('x_total', 'x');
    c.inc({ a: '1', b: '2' });
    c.inc({ b: '2', a: '1' });
    c.inc({ a: '3', b: '2' });
    expect(r.render().split('\n').slice(2, -1)).toEqual([
      'x_total{a="1",b="2"} 2',
      'x_total{a="3",b="2"} 1',
    ]);
  });

  it('escapes label values and help text', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const r = new MetricsRegistry();
    r.counter('y_total', 'back\\slash\nnew "line"', () => [
      { labels: { code: 'say "hi"\\\n' }, value: 1 },
    ]);
    expect(r.render()).toBe(
      [
        '# HELP y_total back\\\\slash\\nnew "line"',
        '# TYPE y_total counter',
        'y_total{code="say \\"hi\\"\\\\\\n"} 1',
        '',
      ].join('\n'),
    );
  });

  it('formats special values as Prometheus parses them', () => {
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(0.25)).toBe('0.25');
    expect(formatValue(1e-7)).toBe('1e-7');
    expect(formatValue(123456789)).toBe('123456789');
  });

  it('reads collected values at render time; an empty list renders no sample', () => {
    const r = new MetricsRegistry();
    const chain: { height?: number } = {};
    r.gauge('h', 'height', () => chain.height ?? []);
    const rejected = new Map<string, number>();
    r.counter('rejected_total', 'by code', () =>
      [...rejected].map(([code, value]) => ({ labels: { code }, value })),
    );
    expect(r.render()).toBe(
      '# HELP h height\n# TYPE h gauge\n# HELP rejected_total by code\n# TYPE rejected_total counter\n',
    );
    chain.height = 4;
    rejected.set('BAD_SIGNATURE', 2);
    expect(r.render()).toContain('h 4\n');
    expect(r.render()).toContain('rejected_total{code="BAD_SIGNATURE"} 2\n');
  });

  it('renders a histogram with cumulative buckets, +Inf, sum and count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram('apply_seconds', 'Apply time.', [0.01, 0.1, 1]);
    for (const v of [0.005, 0.01, 0.05, 0.5, 3]) h.observe(v);
    expect(r.render()).toBe(
      [
        '# HELP apply_seconds Apply time.',
        '# TYPE apply_seconds histogram',
        'apply_seconds_bucket{le="0.01"} 2',
        'apply_seconds_bucket{le="0.1"} 3',
        'apply_seconds_bucket{le="1"} 4',
        'apply_seconds_bucket{le="+Inf"} 5',
        'apply_seconds_sum 3.565',
        'apply_seconds_count 5',
        '',
      ].join('\n'),
    );
  });

  it('has default buckets from a millisecond to five seconds', () => {
    expect(DEFAULT_SECONDS_BUCKETS[0]).toBe(0.001);
    expect(DEFAULT_SECONDS_BUCKETS.at(-1)).toBe(5);
    const r = new MetricsRegistry();
    r.histogram('d_seconds', 'd');
    const buckets = r.render().match(/_bucket\{le="[^"]+"\}/g);
    expect(buckets).toHaveLength(DEFAULT_SECONDS_BUCKETS.length + 1);
  });

  it('refuses bad names, duplicates, bad buckets and shrinking counters', () => {
    const r = new MetricsRegistry();
    expect(() => r.counter('1bad', 'x')).toThrow(/invalid metric name/);
    expect(() => r.gauge('has-dash', 'x')).toThrow(/invalid metric name/);
    r.counter('ok_total', 'x');
    expect(() => r.gauge('ok_total', 'x')).toThrow(/already registered/);
    expect(() => r.histogram('h1', 'x', [])).toThrow(RangeError);
    expect(() => r.histogram('h2', 'x', [1, 1])).toThrow(RangeError);
    expect(() => r.histogram('h3', 'x', [1, Infinity])).toThrow(RangeError);
    const c = r.counter('c_total', 'x');
    expect(() => {
      c.inc({}, -1);
    }).toThrow(RangeError);
    expect(() => {
      c.inc({ 'bad-label': 'x' });
    }).toThrow(/invalid label name/);
    expect(() => {
      c.inc({ __reserved: 'x' });
    }).toThrow(/invalid label name/);
    const collected = r.counter('d_total', 'x', () => 1);
    expect(() => {
      collected.inc();
    }).toThrow(/scrape time/);
  });

  it('renders nothing for an empty registry', () => {
    expect(new MetricsRegistry().render()).toBe('');
  });
});
