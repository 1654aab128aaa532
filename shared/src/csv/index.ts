/**
 * CSV import for the common cases, as Waybill transactions (docs/import.md):
 * - **commissioning**: a list of serials or lots (`gtin` and `serial`, or `gtin`, `lot` and
 *   `quantity`); consecutive serials of one GTIN, lot, expiry, time and place become one
 *   `product.commission` of up to 1,000 items;
 * - **shipment**: a list of things handed over (`epc`, or `gtin` with `serial` or `lot`, or
 *   `sscc`, and `to`); the rows of one shipment (`shipment` column, else the same `to`, time and
 *   place, consecutive) become one `custody.handover` of up to 1,000 things.
 * Columns are named in a header row (any order, any case); values may be quoted (RFC 4180).
 * Every row that cannot be read is reported with its line and column, and nothing is dropped in
 * silence. Each transaction names the lines it came from; its `key` identifies its content, so an
 * importer can derive a nonce from it and a resubmission is the same transaction.
 */
import { bytesToHex, sha256, utf8ToBytes } from '../encoding/index.js';
import { isWaybillError } from '../errors.js';
import { normalizeGtin, parseDigitalLink, toEpc } from '../gs1/index.js';
import { payloadSchemas, type PayloadOf } from '../tx/index.js';

export type CsvKind = 'commission' | 'shipment';

export interface CsvProblem {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  /** The column at fault, when one is. */
  column?: string;
  message: string;
}

export type CsvTx =
  | {
      type: 'product.commission';
      payload: PayloadOf<'product.commission'>;
      lines: number[];
      key: string;
    }
  | {
      type: 'custody.handover';
      payload: PayloadOf<'custody.handover'>;
      lines: number[];
      key: string;
    };

export interface CsvImport {
  kind: CsvKind;
  /** Data rows read (not counting the header and blank lines). */
  rows: number;
  txs: CsvTx[];
  problems: CsvProblem[];
}

/** Things per transaction (the payload schema's limit). */
const MAX_PER_TX = 1000;

export const CSV_COLUMNS: Record<CsvKind, readonly string[]> = {
  commission: [
    'gtin',
    'serial',
    'lot',
    'quantity',
    'unit',
    'expiry',
    'eventTime',
    'bizLocation',
    'readPoint',
    'note',
  ],
  shipment: [
    'epc',
    'gtin',
    'serial',
    'lot',
    'sscc',
    'to',
    'shipment',
    'eventTime',
    'bizLocation',
    'readPoint',
    'note',
  ],
};

/** Rows of RFC 4180 CSV, each with the line it starts on; quotes may span lines. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let sawAny = false;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      sawAny = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      sawAny = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      cells.push(cell);
      if (sawAny || cells.some((v) => v !== '')) rows.push({ line: start, cells });
      cells = [];
      cell = '';
      sawAny = false;
      line++;
      start = line;
    } else {
      cell += c;
      sawAny = true;
    }
  }
  cells.push(cell);
  if (sawAny || cells.some((v) => v !== '')) rows.push({ line: start, cells });
  return rows;
}

class RowProblem extends Error {
  constructor(
    readonly column: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function contentKey(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(value))));
}

/** Which kind a header describes: shipments name a receiver (`to`). */
export function csvKindOf(header: readonly string[]): CsvKind {
  return header.includes('to') ? 'shipment' : 'commission';
}

/** Reads a CSV file's rows into transactions (see the module comment). */
export function csvToTransactions(text: string, kind?: CsvKind): CsvImport {
  const [head, ...rows] = parseCsv(text);
  const problems: CsvProblem[] = [];
  if (!head)
    return {
      kind: kind ?? 'commission',
      rows: 0,
      txs: [],
      problems: [
        { line: 1, message: 'the file is empty: expected a header row naming the columns' },
      ],
    };
  const known = new Map<string, string>();
  for (const list of Object.values(CSV_COLUMNS))
    for (const c of list) known.set(c.toLowerCase(), c);
  const header = head.cells.map((name) => known.get(name.trim().toLowerCase()) ?? name.trim());
  const chosen = kind ?? csvKindOf(header);
  for (const name of header) {
    if (!CSV_COLUMNS[chosen].includes(name))
      problems.push({
        line: head.line,
        column: name,
        message: `is not a ${chosen} column; use ${CSV_COLUMNS[chosen].join(', ')}`,
      });
  }
  if (problems.length > 0) return { kind: chosen, rows: rows.length, txs: [], problems };

  const records: { line: number; get: (c: string) => string | undefined }[] = [];
  for (const row of rows) {
    if (row.cells.length !== header.length) {
      problems.push({
        line: row.line,
        message: `has ${row.cells.length} values; the header names ${header.length} columns`,
      });
      continue;
    }
    const values = new Map(header.map((name, i) => [name, (row.cells[i] as string).trim()]));
    records.push({
      line: row.line,
      get: (c) => (values.get(c) === '' ? undefined : values.get(c)),
    });
  }

  const txs: CsvTx[] = [];
  let group:
    | {
        signature: string;
        rows: { line: number; epcOrSerial: string }[];
        base: Record<string, string | undefined>;
      }
    | undefined;
  const flush = () => {
    if (!group) return;
    const lines = group.rows.map((r) => r.line);
    const list = group.rows.map((r) => r.epcOrSerial);
    const base = Object.fromEntries(
      Object.entries(group.base).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    if (chosen === 'commission') {
      const payload = { ...base, serials: list } as unknown as PayloadOf<'product.commission'>;
      txs.push({
        type: 'product.commission',
        payload,
        lines,
        key: contentKey(['product.commission', payload]),
      });
    } else {
      const payload = { ...base, epcs: list } as unknown as PayloadOf<'custody.handover'>;
      txs.push({
        type: 'custody.handover',
        payload,
        lines,
        key: contentKey(['custody.handover', payload]),
      });
    }
    group = undefined;
  };

  for (const record of records) {
    try {
      const eventTime = record.get('eventTime');
      if (eventTime === undefined)
        throw new RowProblem(
          'eventTime',
          'is required: when it happened, with an offset (2026-11-25T08:00:00+01:00)',
        );
      const common = {
        eventTime,
        bizLocation: record.get('bizLocation'),
        readPoint: record.get('readPoint'),
        note: record.get('note'),
      };
      if (chosen === 'commission') {
        const gtinText = record.get('gtin');
        if (gtinText === undefined) throw new RowProblem('gtin', 'is required');
        const gtin = gs1('gtin', () => normalizeGtin(gtinText));
        const serial = record.get('serial');
        const lot = record.get('lot');
        const base = { gtin, lot, expiry: record.get('expiry'), ...common };
        if (serial === undefined) {
          // A lot: one commission of its own.
          flush();
          if (lot === undefined)
            throw new RowProblem('serial', 'give a serial (an item) or a lot with its quantity');
          const payload = { ...base, quantity: record.get('quantity'), unit: record.get('unit') };
          const clean = Object.fromEntries(
            Object.entries(payload).filter(([, v]) => v !== undefined),
          ) as unknown as PayloadOf<'product.commission'>;
          check('product.commission', clean);
          txs.push({
            type: 'product.commission',
            payload: clean,
            lines: [record.line],
            key: contentKey(['product.commission', clean]),
          });
          continue;
        }
        if (record.get('quantity') !== undefined)
          throw new RowProblem('quantity', 'applies to a lot only; a serialized item counts one');
        check('product.commission', dropUndefined({ ...base, serials: [serial] }));
        add(JSON.stringify(base), base, record.line, serial);
      } else {
        const to = record.get('to');
        if (to === undefined)
          throw new RowProblem('to', 'is required: the organization receiving the things');
        const epc = shippedEpc(record.get);
        const base = { to, ...common };
        check('custody.handover', dropUndefined({ ...base, epcs: [epc] }));
        add(JSON.stringify([record.get('shipment'), base]), base, record.line, epc);
      }
    } catch (error) {
      if (error instanceof RowProblem)
        problems.push({
          line: record.line,
          ...(error.column !== undefined && { column: error.column }),
          message: error.message,
        });
      else throw error;
    }
  }
  flush();
  return { kind: chosen, rows: rows.length, txs, problems };

  function add(
    signature: string,
    base: Record<string, string | undefined>,
    line: number,
    value: string,
  ) {
    if (group && (group.signature !== signature || group.rows.length >= MAX_PER_TX)) flush();
    if (group?.rows.some((r) => r.epcOrSerial === value))
      throw new RowProblem(
        chosen === 'commission' ? 'serial' : 'epc',
        `${value} is already on line ${group.rows.find((r) => r.epcOrSerial === value)?.line} of the same ${chosen === 'commission' ? 'commissioning' : 'shipment'}`,
      );
    group ??= { signature, rows: [], base };
    group.rows.push({ line, epcOrSerial: value });
  }
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const COLUMN_OF: Record<string, string> = {
  'payload.serials[0]': 'serial',
  'payload.epcs[0]': 'epc',
};

/** Checks a row's transaction against the payload schema; the problem names the CSV column. */
function check(type: 'product.commission' | 'custody.handover', payload: unknown): void {
  try {
    payloadSchemas[type].parse(payload, '$.payload');
  } catch (error) {
    if (!isWaybillError(error)) throw error;
    const field = error.path?.replace(/^\$\./, '');
    const column =
      field === undefined ? undefined : (COLUMN_OF[field] ?? field.replace(/^payload\./, ''));
    throw new RowProblem(column, error.message);
  }
}

function gs1<T>(column: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isWaybillError(error)) throw new RowProblem(column, error.message);
    throw error;
  }
}

/** The EPC a shipment row names: `epc`, or `gtin` with `serial` or `lot`, or `sscc`. */
function shippedEpc(get: (column: string) => string | undefined): string {
  const epc = get('epc');
  if (epc !== undefined) return gs1('epc', () => toEpc(parseDigitalLink(epc).id));
  const sscc = get('sscc');
  if (sscc !== undefined) return gs1('sscc', () => toEpc(parseDigitalLink(`/00/${sscc}`).id));
  const gtinText = get('gtin');
  if (gtinText === undefined)
    throw new RowProblem('epc', 'give epc, or gtin with serial or lot, or sscc');
  const gtin = gs1('gtin', () => normalizeGtin(gtinText));
  const serial = get('serial');
  if (serial !== undefined)
    return gs1('serial', () =>
      toEpc(parseDigitalLink(`/01/${gtin}/21/${encodeURIComponent(serial)}`).id),
    );
  const lot = get('lot');
  if (lot !== undefined)
    return gs1('lot', () =>
      toEpc(parseDigitalLink(`/01/${gtin}/10/${encodeURIComponent(lot)}`).id),
    );
  throw new RowProblem('serial', 'give the serial or the lot of the GTIN');
}
