/**
 * Storage conditions of a product class and the sensor readings judged against them. A reading is
 * out of range when it is below `min` or above `max` of the condition with the same type and unit;
 * a reading of a type the product sets no condition for is never out of range.
 */
import type { Condition } from '../types';

const UNITS: Record<string, string> = {
  CEL: '°C',
  FAH: '°F',
  KEL: 'K',
  P1: '%',
};

const TYPES: Record<string, string> = {
  'gs1:Temperature': 'Temperature',
  'gs1:RelativeHumidity': 'Relative humidity',
  'gs1:Humidity': 'Humidity',
  'gs1:AbsoluteHumidity': 'Absolute humidity',
  'gs1:Illuminance': 'Light',
  'gs1:Pressure': 'Pressure',
};

export const TEMPERATURE = 'gs1:Temperature';

/** "°C" for CEL; other UN/CEFACT codes as they are. */
export function unitSymbol(uom: string): string {
  return UNITS[uom] ?? uom;
}

/** "Temperature" for gs1:Temperature; an unknown type without its prefix. */
export function readingLabel(type: string): string {
  return TYPES[type] ?? type.replace(/^[a-z]+:/, '');
}

/** "4.5 °C", "12 %", "3 KGM". */
export function formatMeasure(value: number | string, uom: string): string {
  const symbol = unitSymbol(uom);
  return symbol === '%' ? `${String(value)} %` : `${String(value)} ${symbol}`;
}

/** "2–6 °C", "at most 6 °C", "at least 2 °C". */
export function formatRange(condition: Condition): string {
  const { min, max, uom } = condition;
  if (min !== undefined && max !== undefined) return `${min}–${formatMeasure(max, uom)}`;
  if (max !== undefined) return `at most ${formatMeasure(max, uom)}`;
  return `at least ${formatMeasure(min ?? '', uom)}`;
}

function bound(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The conditions of a product as the node returns them (JSON); anything malformed is left out. */
export function parseConditions(value: unknown): Condition[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): Condition[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { type, uom, min, max } = entry as Record<string, unknown>;
    if (typeof type !== 'string' || typeof uom !== 'string') return [];
    const lo = bound(min);
    const hi = bound(max);
    if (lo === undefined && hi === undefined) return [];
    return [
      { type, uom, ...(lo !== undefined && { min: lo }), ...(hi !== undefined && { max: hi }) },
    ];
  });
}

export function conditionFor(
  conditions: readonly Condition[],
  type: string,
  uom: string,
): Condition | undefined {
  return conditions.find((c) => c.type === type && c.uom === uom);
}

export function isOutOfRange(value: number, condition: Condition | undefined): boolean {
  if (!condition) return false;
  return (
    (condition.min !== undefined && value < condition.min) ||
    (condition.max !== undefined && value > condition.max)
  );
}
