import { describe, expect, it } from 'vitest';
import { elementString, epcLabel, parseDigitalLinkPath, parseIdentifier } from './identifier';

describe('Digital Link paths', () => {
  it('normalizes GTIN-13, -12 and -8 to the GTIN-14 of the EPC', () => {
    expect(parseDigitalLinkPath('01', ['9506000134352', '21', '1001'])).toMatchObject({
      ok: true,
      epc: 'https://id.gs1.org/01/09506000134352/21/1001',
    });
    expect(parseDigitalLinkPath('01', ['036000291452', '10', 'L7'])).toMatchObject({
      ok: true,
      epc: 'https://id.gs1.org/01/00036000291452/10/L7',
    });
    expect(parseDigitalLinkPath('01', ['95060001', '10', 'L7'])).toMatchObject({ ok: false });
    expect(parseDigitalLinkPath('01', ['96385074', '10', 'L7'])).toMatchObject({
      ok: true,
      epc: 'https://id.gs1.org/01/00000096385074/10/L7',
    });
  });

  it('keeps the lot of an item out of its EPC and reads a bare GTIN as the product', () => {
    const item = parseDigitalLinkPath('01', ['09506000134352', '10', 'L7', '21', '1001']);
    expect(item).toMatchObject({
      ok: true,
      id: { kind: 'item', lot: 'L7', serial: '1001' },
      epc: 'https://id.gs1.org/01/09506000134352/21/1001',
    });
    expect(parseDigitalLinkPath('01', ['09506000134352'])).toMatchObject({
      ok: true,
      id: { kind: 'product', gtin: '09506000134352' },
    });
  });

  it('round-trips serials with reserved characters (route parameters arrive decoded)', () => {
    expect(parseDigitalLinkPath('01', ['09506000134352', '21', 'A/B%1'])).toMatchObject({
      ok: true,
      id: { serial: 'A/B%1' },
      epc: 'https://id.gs1.org/01/09506000134352/21/A%2FB%251',
    });
  });

  it("gives GS1's reason for an invalid identifier", () => {
    const wrong = parseDigitalLinkPath('01', ['09506000134353', '21', '1']);
    expect(wrong).toEqual({
      ok: false,
      input: '/01/09506000134353/21/1',
      reason: expect.stringMatching(/check digit 3, expected 2/),
    });
    expect(parseDigitalLinkPath('00', ['12345'])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/SSCC must have 18 digits/),
    });
    expect(parseDigitalLinkPath('01', ['09506000134352', '21', '1', '10', 'L'])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/out of order/),
    });
    expect(parseIdentifier('https://id.gs1.org/414/9506000134352')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/location/),
    });
  });

  it('labels EPCs for people and writes the element string of a label', () => {
    expect(epcLabel('https://id.gs1.org/00/106141411234567897')).toBe(
      'Logistic unit SSCC 106141411234567897',
    );
    expect(epcLabel('not an epc')).toBe('not an epc');
    expect(elementString({ kind: 'item', gtin: '09506000134352', lot: 'L7', serial: '1001' })).toBe(
      '(01) 09506000134352 (10) L7 (21) 1001',
    );
  });
});
