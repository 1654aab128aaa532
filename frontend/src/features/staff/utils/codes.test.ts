import { describe, expect, it } from 'vitest';
import { parseThingCode } from './codes';

const EPC = 'https://id.gs1.org/01/09520123456788/21/1001';

describe('parseThingCode', () => {
  it('accepts a typed canonical EPC as it is', () => {
    expect(parseThingCode(`  ${EPC} `)).toEqual({
      ok: true,
      epc: EPC,
      kind: 'item',
      description: 'Item 09520123456788 · serial 1001',
    });
  });

  it('normalizes a Digital Link URL with a GTIN-13, a lot and attributes to the canonical EPC', () => {
    const result = parseThingCode(
      'https://labels.example.com/01/9520123456788/10/L42/21/1001?17=261231',
    );
    expect(result).toMatchObject({ ok: true, epc: EPC, kind: 'item' });
  });

  it('accepts a path without a host and a host without a scheme', () => {
    expect(parseThingCode('/01/09520123456788/10/L42')).toMatchObject({
      ok: true,
      epc: 'https://id.gs1.org/01/09520123456788/10/L42',
      kind: 'lot',
    });
    expect(parseThingCode('id.example.com/01/9520123456788/21/1001')).toMatchObject({
      ok: true,
      epc: EPC,
    });
  });

  it('refuses a wrong check digit, saying which digit was expected', () => {
    const result = parseThingCode('https://id.gs1.org/01/9520123456789/21/1001');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/check digit 9, expected 8/);
  });

  it('reads a bare SSCC as a pallet and checks its digit too', () => {
    expect(parseThingCode('387123450000000012')).toMatchObject({
      ok: true,
      kind: 'unit',
      epc: 'https://id.gs1.org/00/387123450000000012',
    });
    expect(parseThingCode('387123450000000013')).toMatchObject({ ok: false });
  });

  it('explains codes that name no single thing', () => {
    expect(parseThingCode('https://id.gs1.org/01/09520123456788')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/names the product 09520123456788, not one item/),
    });
    expect(parseThingCode('09520123456788')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/bare GTIN/),
    });
    expect(parseThingCode('https://id.gs1.org/414/8712345000011')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/location/),
    });
    expect(parseThingCode('')).toMatchObject({ ok: false, message: 'Type or scan a code first.' });
    expect(parseThingCode('hello')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Not a valid GS1 code/),
    });
  });

  it('refuses a kind the field does not take', () => {
    expect(parseThingCode(EPC, ['unit'])).toMatchObject({
      ok: false,
      message:
        'Item 09520123456788 · serial 1001 cannot be used here: expected a pallet or container (SSCC).',
    });
  });
});
