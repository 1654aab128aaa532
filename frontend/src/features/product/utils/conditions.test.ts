import { describe, expect, it } from 'vitest';
import { formatRange, isOutOfRange, parseConditions } from './conditions';

describe('storage conditions', () => {
  it('reads the node JSON and judges readings against it', () => {
    const [temperature] = parseConditions([
      { type: 'gs1:Temperature', uom: 'CEL', min: '2', max: '6' },
      { type: 'broken' },
      'nonsense',
    ]);
    expect(temperature).toEqual({ type: 'gs1:Temperature', uom: 'CEL', min: 2, max: 6 });
    expect(formatRange(temperature ?? { type: '', uom: '' })).toBe('2–6 °C');
    expect(isOutOfRange(6, temperature)).toBe(false);
    expect(isOutOfRange(6.1, temperature)).toBe(true);
    expect(isOutOfRange(1.9, temperature)).toBe(true);
    expect(isOutOfRange(40, undefined)).toBe(false);
    expect(parseConditions(null)).toEqual([]);
    expect(formatRange({ type: 'gs1:Temperature', uom: 'CEL', max: -18 })).toBe('at most -18 °C');
  });
});
