import { describe, expect, it } from 'vitest';
import { csvToTransactions, parseCsv } from '../src/csv/index.js';
import { itemEpc, lotEpc, unitEpc } from '../src/gs1/index.js';
import { TEST_GTINS, withCheckDigit } from '../src/testing/index.js';

const { milk, cheese } = TEST_GTINS;
const AT = '2026-11-26T08:00:00+01:00';
const SSCC = withCheckDigit('10950600000000001');

describe('CSV', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","two\nlines"\r\n\r\n3,4')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, "y"', 'two\nlines'] },
      { line: 5, cells: ['3', '4'] },
    ]);
  });

  it('commissions serials in groups of one GTIN, lot, time and place, and lots one by one', () => {
    const rows = [
      'GTIN,serial,lot,expiry,eventTime',
      ...['1', '2', '3'].map((s) => `${milk},${s},L1,2026-12-10,${AT}`),
      `${milk},4,L2,2026-12-10,${AT}`,
    ];
    const text = `${rows.join('\n')}\n${milk},,L3,,${AT}`;
    // A lot row needs a quantity: the file names the column and the line.
    const read = csvToTransactions(text);
    expect(read.kind).toBe('commission');
    expect(read.txs.map((t) => [t.type, t.lines, t.payload])).toEqual([
      [
        'product.commission',
        [2, 3, 4],
        { gtin: milk, lot: 'L1', expiry: '2026-12-10', eventTime: AT, serials: ['1', '2', '3'] },
      ],
      [
        'product.commission',
        [5],
        { gtin: milk, lot: 'L2', expiry: '2026-12-10', eventTime: AT, serials: ['4'] },
      ],
    ]);
    expect(read.problems).toEqual([
      { line: 6, column: 'quantity', message: expect.stringContaining('is required for a lot') },
    ]);

    const lots = csvToTransactions(
      `gtin,lot,quantity,unit,eventTime\n${cheese},G1,120.5,KGM,${AT}`,
    );
    expect(lots.txs[0]?.payload).toEqual({
      gtin: cheese,
      lot: 'G1',
      quantity: '120.5',
      unit: 'KGM',
      eventTime: AT,
    });
  });

  it('groups a shipment list by shipment, names things any way GS1 does, and finds bad rows', () => {
    const text = [
      'shipment,epc,gtin,serial,lot,sscc,to,eventTime',
      `S1,${itemEpc(milk, '1')},,,,,swift,${AT}`,
      `S1,,${milk.slice(1)},2,,,swift,${AT}`,
      `S1,,${cheese},,G1,,swift,${AT}`,
      `S2,,,,,${SSCC},cold,${AT}`,
      `S2,,${milk},9,,,cold,2026-11-26T08:00:00`,
      `S2,,${milk.slice(0, 13)}0,9,,,cold,${AT}`,
      `S2,,,,,${SSCC},cold,${AT}`,
    ].join('\n');
    const read = csvToTransactions(text);
    expect(read.kind).toBe('shipment');
    expect(read.txs.map((t) => [t.lines, t.payload])).toEqual([
      [
        [2, 3, 4],
        {
          to: 'swift',
          eventTime: AT,
          epcs: [itemEpc(milk, '1'), itemEpc(milk, '2'), lotEpc(cheese, 'G1')],
        },
      ],
      [[5], { to: 'cold', eventTime: AT, epcs: [unitEpc(SSCC)] }],
    ]);
    expect(read.problems.map((p) => [p.line, p.column])).toEqual([
      [6, 'eventTime'],
      [7, 'gtin'],
      [8, 'epc'],
    ]);
    expect(read.problems[2]?.message).toContain('already on line 5');
    // The same content is the same key, whatever the file around it.
    expect(csvToTransactions(text).txs.map((t) => t.key)).toEqual(read.txs.map((t) => t.key));
  });

  it('refuses a header it does not know, and a row of the wrong width', () => {
    expect(csvToTransactions('gtin,serial,colour\n').problems).toEqual([
      { line: 1, column: 'colour', message: expect.stringContaining('is not a commission column') },
    ]);
    expect(csvToTransactions(`gtin,serial,eventTime\n${milk},1\n`).problems[0]).toMatchObject({
      line: 2,
      message: 'has 2 values; the header names 3 columns',
    });
    expect(csvToTransactions('').problems[0]?.message).toContain('empty');
  });
});
