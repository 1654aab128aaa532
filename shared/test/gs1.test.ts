import { describe, expect, it } from 'vitest';
import { WaybillError } from '../src/errors.js';
import {
  assertCpv,
  assertGln,
  assertGtin,
  assertLot,
  assertSerial,
  assertSscc,
  buildDigitalLink,
  epcKind,
  gs1CheckDigit,
  GS1_RESOLVER,
  isCanonicalEpc,
  isValidCpv,
  isValidGln,
  isValidGtin,
  isValidLot,
  isValidSerial,
  isValidSscc,
  itemEpc,
  locationEpc,
  lotEpc,
  normalizeGtin,
  normalizeIdentifier,
  parseDigitalLink,
  parseEpc,
  productEpc,
  toEpc,
  unitEpc,
  type Gs1Identifier,
} from '../src/gs1/index.js';

const GTIN = '09506000134352';
const GLN = '9506000164908';
const SSCC = '106141412345678908';

/** Runs `fn`, expects INVALID_GS1 whose message contains every fragment, returns the error. */
function gs1Error(fn: () => unknown, ...fragments: string[]): WaybillError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(WaybillError);
  const error = caught as WaybillError;
  expect(error.code).toBe('INVALID_GS1');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

// The 82 characters of GS1 AI encodable character set 82.
const CSET82 =
  '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

describe('GS1 check digits', () => {
  // Real identifiers from GS1 documentation and retail packaging.
  it.each([
    ['0950600013435', 2], // GTIN-14, GS1 Digital Link standard examples
    ['400638133393', 1], // GTIN-13
    ['03600029145', 2], // GTIN-12 (UPC-A)
    ['9638507', 4], // GTIN-8
    ['950600016490', 8], // GLN
    ['400000100000', 5], // GLN
    ['10614141234567890', 8], // SSCC, GS1 General Specifications
    ['10614141123456789', 7], // SSCC
  ])('check digit of %s is %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
  });

  it('is unchanged by left-padding with zeros', () => {
    expect(gs1CheckDigit('00000400638133393')).toBe(1);
  });

  it('rejects empty and non-digit input', () => {
    gs1Error(() => gs1CheckDigit(''), 'one or more digits');
    gs1Error(() => gs1CheckDigit('12a4'), '"12a4"');
  });
});

describe('GTIN', () => {
  it.each(['09506000134352', '4006381333931', '036000291452', '96385074', '9506000134352'])(
    'accepts %s',
    (gtin) => {
      expect(isValidGtin(gtin)).toBe(true);
      expect(() => {
        assertGtin(gtin);
      }).not.toThrow();
    },
  );

  it('normalizes to GTIN-14', () => {
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('4006381333931')).toBe('04006381333931');
    expect(normalizeGtin(GTIN)).toBe(GTIN);
  });

  it.each([
    ['09506000134353', false],
    ['4006381333932', false],
    ['036000291453', false],
    ['96385075', false],
    ['950600013435', false], // 12 digits, but a wrong check digit for GTIN-12
    ['123456789', false],
    ['1234567890', false],
    ['12345678901', false],
    ['123456789012345', false],
    ['', false],
    ['0950600013435X', false],
    [' 9506000134352', false],
    ['９５０６０００１３４３５２', false], // full-width digits are not digits 0-9
  ])('rejects %j', (gtin, valid) => {
    expect(isValidGtin(gtin)).toBe(valid);
  });

  it('rejects non-strings', () => {
    expect(isValidGtin(9506000134352)).toBe(false);
    expect(isValidGtin(null)).toBe(false);
    gs1Error(() => normalizeGtin(9506000134352), 'must be a string of digits, got a number');
    gs1Error(() => normalizeGtin(null), 'got null');
    gs1Error(() => normalizeGtin([]), 'got an array');
    gs1Error(() => normalizeGtin({}), 'got an object');
  });

  it('says what is wrong', () => {
    gs1Error(() => normalizeGtin('0950600013435X'), 'only digits 0-9', '"X" at position 14');
    gs1Error(() => normalizeGtin('12345678901'), '8, 12, 13 or 14 digits', 'has 11');
    gs1Error(
      () => normalizeGtin('09506000134353'),
      'check digit 3, expected 2',
      '(09506000134352)',
    );
  });

  it('reports the path the caller gives', () => {
    const error = gs1Error(() => {
      assertGtin('123', { path: '$.payload.gtin' });
    });
    expect(error.path).toBe('$.payload.gtin');
    expect(error.details).toEqual({ path: '$.payload.gtin' });
    expect(gs1Error(() => normalizeGtin('123')).details).toEqual({});
  });

  it('cuts long input short in messages', () => {
    const error = gs1Error(() => normalizeGtin('1'.repeat(1000)), 'has 1000');
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('GLN and SSCC', () => {
  it('accepts real examples', () => {
    expect(isValidGln(GLN)).toBe(true);
    expect(isValidGln('4000001000005')).toBe(true);
    expect(isValidSscc(SSCC)).toBe(true);
    expect(isValidSscc('106141411234567897')).toBe(true);
    expect(() => {
      assertGln(GLN);
      assertSscc(SSCC);
    }).not.toThrow();
  });

  it('rejects bad ones with a reason and the path', () => {
    expect(isValidGln('9506000164909')).toBe(false);
    expect(isValidGln(GTIN)).toBe(false);
    expect(isValidSscc('106141412345678909')).toBe(false);
    expect(isValidSscc('10614141234567890')).toBe(false);
    expect(isValidSscc(106141412345678908n)).toBe(false);
    const gln = gs1Error(
      () => {
        assertGln('9506000164909', { path: '$.gln' });
      },
      'GLN',
      'expected 8',
    );
    expect(gln.path).toBe('$.gln');
    gs1Error(() => {
      assertGln('950600016490');
    }, 'GLN must have 13 digits');
    const sscc = gs1Error(
      () => {
        assertSscc('10614141234567890', { path: '$.sscc' });
      },
      'SSCC must have 18 digits',
      'has 17',
    );
    expect(sscc.path).toBe('$.sscc');
    gs1Error(() => {
      assertSscc('106141412345678909');
    }, 'expected 8');
  });
});

describe('serial, lot and CPV values', () => {
  it('accept every character of set 82, 1 to 20 of them', () => {
    for (let i = 0; i < CSET82.length; i += 20) {
      const chunk = CSET82.slice(i, i + 20);
      expect(isValidSerial(chunk)).toBe(true);
      expect(isValidLot(chunk)).toBe(true);
      expect(isValidCpv(chunk)).toBe(true);
    }
    expect(isValidSerial('1')).toBe(true);
    expect(isValidSerial('x'.repeat(20))).toBe(true);
  });

  it.each([' ', '#', '$', '@', '[', '\\', '^', '`', '{', '|', '}', '~', 'é', '😀', '\n', '\u0000'])(
    'reject %j',
    (c) => {
      expect(isValidSerial(`A${c}B`)).toBe(false);
      gs1Error(
        () => {
          assertSerial(`A${c}B`);
        },
        'at position 2',
        'character set 82',
      );
    },
  );

  it('reject empty, too long and non-string values', () => {
    expect(isValidSerial('')).toBe(false);
    expect(isValidLot('x'.repeat(21))).toBe(false);
    expect(isValidCpv(7)).toBe(false);
    gs1Error(() => {
      assertSerial('');
    }, 'serial must not be empty');
    gs1Error(
      () => {
        assertLot('x'.repeat(21));
      },
      'lot must be at most 20 characters',
      'has 21',
    );
    gs1Error(() => {
      assertCpv(7);
    }, 'consumer product variant must be a string, got a number');
  });

  it('report the path the caller gives', () => {
    const paths = [
      gs1Error(() => {
        assertSerial('', { path: '$.payload.serials[2]' });
      }).path,
      gs1Error(() => {
        assertLot('#', { path: '$.payload.lot' });
      }).path,
      gs1Error(() => {
        assertCpv('', { path: '$.payload.cpv' });
      }).path,
    ];
    expect(paths).toEqual(['$.payload.serials[2]', '$.payload.lot', '$.payload.cpv']);
  });
});

describe('EPCs', () => {
  it('are canonical Digital Link URIs on id.gs1.org', () => {
    expect(GS1_RESOLVER).toBe('https://id.gs1.org');
    expect(itemEpc(GTIN, '12345')).toBe(`https://id.gs1.org/01/${GTIN}/21/12345`);
    expect(lotEpc(GTIN, 'ABC123')).toBe(`https://id.gs1.org/01/${GTIN}/10/ABC123`);
    expect(unitEpc(SSCC)).toBe(`https://id.gs1.org/00/${SSCC}`);
    expect(productEpc(GTIN)).toBe(`https://id.gs1.org/01/${GTIN}`);
    expect(locationEpc(GLN)).toBe(`https://id.gs1.org/414/${GLN}`);
  });

  it('hold GTIN-14 whatever length they are given', () => {
    expect(itemEpc('96385074', '1')).toBe('https://id.gs1.org/01/00000096385074/21/1');
    expect(productEpc('036000291452')).toBe('https://id.gs1.org/01/00036000291452');
    expect(lotEpc('4006381333931', 'L1')).toBe('https://id.gs1.org/01/04006381333931/10/L1');
  });

  it('percent-encode everything outside the unreserved set, in uppercase hex', () => {
    expect(itemEpc(GTIN, '32a/b')).toBe(`https://id.gs1.org/01/${GTIN}/21/32a%2Fb`);
    expect(itemEpc(GTIN, '!"%&\'()*+,-./:;<=>?_')).toBe(
      `https://id.gs1.org/01/${GTIN}/21/%21%22%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F_`,
    );
    expect(lotEpc(GTIN, 'aZ09-._')).toBe(`https://id.gs1.org/01/${GTIN}/10/aZ09-._`);
  });

  it('leave out an item lot and any CPV', () => {
    expect(toEpc({ kind: 'item', gtin: GTIN, serial: 'S1', lot: 'L1', cpv: 'V1' })).toBe(
      itemEpc(GTIN, 'S1'),
    );
    expect(toEpc({ kind: 'lot', gtin: GTIN, lot: 'L1', cpv: 'V1' })).toBe(lotEpc(GTIN, 'L1'));
    expect(toEpc({ kind: 'product', gtin: GTIN, cpv: 'V1' })).toBe(productEpc(GTIN));
  });

  it('validate every member, naming it in the path', () => {
    const at = (id: unknown): string | undefined =>
      gs1Error(() => toEpc(id as Gs1Identifier, { path: '$.payload.thing' })).path;
    expect(at({ kind: 'item', gtin: '123', serial: '1' })).toBe('$.payload.thing.gtin');
    expect(at({ kind: 'item', gtin: GTIN, serial: '' })).toBe('$.payload.thing.serial');
    expect(at({ kind: 'item', gtin: GTIN, serial: '1', lot: null })).toBe('$.payload.thing.lot');
    expect(at({ kind: 'item', gtin: GTIN, serial: '1', cpv: '#' })).toBe('$.payload.thing.cpv');
    expect(at({ kind: 'lot', gtin: GTIN, lot: 'x'.repeat(21) })).toBe('$.payload.thing.lot');
    expect(at({ kind: 'lot', gtin: '1', lot: 'L' })).toBe('$.payload.thing.gtin');
    expect(at({ kind: 'product', gtin: GTIN, cpv: '' })).toBe('$.payload.thing.cpv');
    expect(at({ kind: 'unit', sscc: GTIN })).toBe('$.payload.thing.sscc');
    expect(at({ kind: 'location', gln: '1' })).toBe('$.payload.thing.gln');
    expect(at({ kind: 'pallet', sscc: SSCC })).toBe('$.payload.thing.kind');
    expect(at({ gtin: GTIN })).toBe('$.payload.thing.kind');
    expect(at(null)).toBe('$.payload.thing');
    expect(at([])).toBe('$.payload.thing');
    gs1Error(() => toEpc('x' as unknown as Gs1Identifier), 'must be an object, got a string');
    gs1Error(() => toEpc({ kind: 'pallet' } as unknown as Gs1Identifier), '"pallet"');
    gs1Error(() => toEpc({ kind: 7 } as unknown as Gs1Identifier), 'got a number');
    expect(gs1Error(() => itemEpc(GTIN, '')).details).toEqual({});
  });

  it('normalizeIdentifier copies known members only', () => {
    const id = { kind: 'unit', sscc: SSCC, gtin: GTIN } as unknown as Gs1Identifier;
    expect(normalizeIdentifier(id)).toStrictEqual({ kind: 'unit', sscc: SSCC });
    expect(normalizeIdentifier({ kind: 'item', gtin: '96385074', serial: '1' })).toStrictEqual({
      kind: 'item',
      gtin: '00000096385074',
      serial: '1',
    });
  });

  it('parse back to the identifier', () => {
    const ids: Gs1Identifier[] = [
      { kind: 'item', gtin: GTIN, serial: '32a/b' },
      { kind: 'lot', gtin: GTIN, lot: 'ABC123' },
      { kind: 'unit', sscc: SSCC },
      { kind: 'product', gtin: GTIN },
      { kind: 'location', gln: GLN },
    ];
    for (const id of ids) {
      const epc = toEpc(id);
      expect(parseEpc(epc)).toStrictEqual(id);
      expect(isCanonicalEpc(epc)).toBe(true);
      expect(epcKind(epc)).toBe(id.kind);
    }
  });

  it('accept only the canonical spelling', () => {
    const canonical = itemEpc(GTIN, '32a/b');
    const rejected: [unknown, string][] = [
      [42, 'must be a string, got a number'],
      ['http://id.gs1.org/01/09506000134352/21/1', 'must start with https://id.gs1.org/'],
      ['https://example.com/01/09506000134352/21/1', 'must start with https://id.gs1.org/'],
      ['HTTPS://ID.GS1.ORG/01/09506000134352/21/1', 'must start with https://id.gs1.org/'],
      ['/01/09506000134352/21/1', 'must start with'],
      ['https://id.gs1.org/01/9506000134352/21/1', `is ${GS1_RESOLVER}/01/${GTIN}/21/1`],
      ['https://id.gs1.org/01/09506000134352/21/32a%2fb', canonical],
      ['https://id.gs1.org/01/09506000134352/21/%33%32a%2Fb', canonical],
      ['https://id.gs1.org/01/09506000134352/21/1/', 'not canonical'],
      ['https://id.gs1.org/01/09506000134352/21/1?17=261231', 'not canonical'],
      ['https://id.gs1.org/01/09506000134352/21/1#x', 'not canonical'],
      ['https://id.gs1.org/01/09506000134352/10/L/21/1', `is ${GS1_RESOLVER}/01/${GTIN}/21/1`],
      ['https://id.gs1.org/01/09506000134352/22/V', `is ${GS1_RESOLVER}/01/${GTIN}`],
      ['https://id.gs1.org/resolver/01/09506000134352', 'not canonical'],
      ['https://id.gs1.org/01/09506000134353/21/1', 'expected 2'],
      ['https://id.gs1.org/01/09506000134352/21/a%20b', 'character set 82'],
    ];
    for (const [epc, fragment] of rejected) {
      gs1Error(() => parseEpc(epc), fragment);
      expect(isCanonicalEpc(epc)).toBe(false);
    }
    expect(gs1Error(() => parseEpc(1, { path: '$.epc' })).path).toBe('$.epc');
    expect(gs1Error(() => parseEpc('https://id.gs1.org/x', { path: '$.epc' })).path).toBe('$.epc');
    expect(gs1Error(() => parseEpc(`https://id.gs1.org/01/${GTIN}/`, { path: '$.epc' })).path).toBe(
      '$.epc',
    );
    gs1Error(() => epcKind('https://id.gs1.org/00/1'), 'SSCC');
  });
});

describe('parseDigitalLink', () => {
  it('reads the standard examples', () => {
    expect(
      parseDigitalLink('https://id.gs1.org/01/09506000134352/10/ABC123/21/12345'),
    ).toStrictEqual({
      id: { kind: 'item', gtin: GTIN, serial: '12345', lot: 'ABC123' },
      attributes: {},
    });
    expect(
      parseDigitalLink('https://example.com/01/09506000134352/21/32a%2Fb?17=261231'),
    ).toStrictEqual({
      id: { kind: 'item', gtin: GTIN, serial: '32a/b' },
      attributes: { '17': '261231' },
    });
    expect(
      parseDigitalLink('https://id.gs1.org/01/09521234543213/10/ABC123?17=261231'),
    ).toStrictEqual({
      id: { kind: 'lot', gtin: '09521234543213', lot: 'ABC123' },
      attributes: { '17': '261231' },
    });
    expect(parseDigitalLink('https://id.gs1.org/00/106141411234567897').id).toStrictEqual({
      kind: 'unit',
      sscc: '106141411234567897',
    });
  });

  it('reads every kind from a bare path', () => {
    const id = (input: string): Gs1Identifier => parseDigitalLink(input).id;
    expect(id(`/01/${GTIN}`)).toStrictEqual({ kind: 'product', gtin: GTIN });
    expect(id(`/01/${GTIN}/22/V1`)).toStrictEqual({ kind: 'product', gtin: GTIN, cpv: 'V1' });
    expect(id(`/01/${GTIN}/10/L1`)).toStrictEqual({ kind: 'lot', gtin: GTIN, lot: 'L1' });
    expect(id(`/01/${GTIN}/22/V1/10/L1`)).toStrictEqual({
      kind: 'lot',
      gtin: GTIN,
      lot: 'L1',
      cpv: 'V1',
    });
    expect(id(`/01/${GTIN}/21/S1`)).toStrictEqual({ kind: 'item', gtin: GTIN, serial: 'S1' });
    expect(id(`/01/${GTIN}/22/V1/10/L1/21/S1`)).toStrictEqual({
      kind: 'item',
      gtin: GTIN,
      serial: 'S1',
      lot: 'L1',
      cpv: 'V1',
    });
    expect(id(`/01/${GTIN}/22/V1/21/S1`)).toStrictEqual({
      kind: 'item',
      gtin: GTIN,
      serial: 'S1',
      cpv: 'V1',
    });
    expect(id(`/00/${SSCC}`)).toStrictEqual({ kind: 'unit', sscc: SSCC });
    expect(id(`/414/${GLN}`)).toStrictEqual({ kind: 'location', gln: GLN });
  });

  it('normalizes GTIN-8, -12 and -13 to GTIN-14', () => {
    expect(parseDigitalLink('/01/96385074').id).toEqual({
      kind: 'product',
      gtin: '00000096385074',
    });
    expect(parseDigitalLink('/01/036000291452/21/1').id).toEqual({
      kind: 'item',
      gtin: '00036000291452',
      serial: '1',
    });
    expect(parseDigitalLink('https://example.com/01/4006381333931/10/L').id).toEqual({
      kind: 'lot',
      gtin: '04006381333931',
      lot: 'L',
    });
  });

  it('tolerates what the standard allows', () => {
    const item = { kind: 'item', gtin: GTIN, serial: 'S1' };
    // A trailing slash, a path prefix of the resolver's own, any case of scheme, a port.
    expect(parseDigitalLink(`/01/${GTIN}/21/S1/`).id).toEqual(item);
    expect(parseDigitalLink(`https://example.com/products/v2/01/${GTIN}/21/S1`).id).toEqual(item);
    expect(parseDigitalLink(`https://example.com/api/10/01/${GTIN}/21/S1`).id).toEqual(item);
    expect(parseDigitalLink(`HTTP://example.com:8080/01/${GTIN}/21/S1`).id).toEqual(item);
    expect(parseDigitalLink(`https://[::1]/01/${GTIN}/21/S1`).id).toEqual(item);
    // The fragment is the client's; non-GS1 query parameters are the extension mechanism.
    expect(parseDigitalLink(`/01/${GTIN}/21/S1#top`).attributes).toEqual({});
    expect(
      parseDigitalLink(`/01/${GTIN}/21/S1?linkType=gs1:pip&17=261231;exp=x&&utm_source=qr`)
        .attributes,
    ).toEqual({ '17': '261231' });
    // Lowercase hex, and characters a path segment may carry raw.
    expect(parseDigitalLink(`/01/${GTIN}/21/a%2fb`).id).toEqual({ ...item, serial: 'a/b' });
    expect(parseDigitalLink(`/01/${GTIN}/21/!'()*+,;=:`).id).toEqual({
      ...item,
      serial: "!'()*+,;=:",
    });
    // A serial or lot that looks like an AI is still a value.
    expect(parseDigitalLink(`/01/${GTIN}/10/01/21/00`).id).toEqual({
      kind: 'item',
      gtin: GTIN,
      serial: '00',
      lot: '01',
    });
  });

  it('returns data attributes, decoded', () => {
    // Day 00 of an expiry date is the last day of the month.
    expect(
      parseDigitalLink(
        `/01/${GTIN}/21/S1?17=261200&10=L%2F1&3103=001250&30=12&7003=2612311200&414=${GLN}`,
      ).attributes,
    ).toEqual({
      '17': '261200',
      '10': 'L/1',
      '3103': '001250',
      '30': '12',
      '7003': '2612311200',
      '414': GLN,
    });
    expect(
      parseDigitalLink(`/00/${SSCC}?02=${GTIN}&37=24&99=a/b?c&15=270101#x=1`).attributes,
    ).toEqual({ '02': GTIN, '37': '24', '99': 'a/b?c', '15': '270101' });
    expect(parseDigitalLink(`/414/${GLN}?00=${SSCC}&01=96385074`).attributes).toEqual({
      '00': SSCC,
      '01': '96385074',
    });
  });

  it.each([
    // Not a Digital Link at all.
    ['example.com/01/09506000134352', 'neither an http(s) URI nor a path'],
    ['', 'neither an http(s) URI nor a path'],
    ['ftp://example.com/01/09506000134352', 'http or https, not "ftp"'],
    ['https:///01/09506000134352', 'no valid host'],
    ['https://exa mple.com/01/09506000134352', 'no valid host'],
    ['https://example.com', 'no GS1 primary key'],
    ['https://example.com/', 'no GS1 primary key'],
    ['https://example.com?17=261231', 'no GS1 primary key'],
    ['/products/shoe', 'no GS1 primary key'],
    ['https://id.gs1.org/AQnYUc1gZ', 'no GS1 primary key'],
    // Unknown or unsupported primary keys.
    ['/8004/ABC123', 'primary key 8004 (GIAI) is not supported'],
    ['/417/9506000164908', 'primary key 417 (party GLN) is not supported'],
    ['/99/ABC', 'AI 99 is not a primary key or key qualifier'],
    ['/gtin/09506000134352', 'no GS1 primary key'],
    // Wrong check digits and lengths.
    ['/01/09506000134353', 'check digit 3, expected 2'],
    ['/01/0950600013435', 'check digit'],
    ['/01/95060001343', '8, 12, 13 or 14 digits'],
    ['/00/106141412345678909', 'SSCC', 'expected 8'],
    ['/00/10614141234567890', 'SSCC must have 18 digits'],
    ['/414/9506000164909', 'GLN', 'expected 8'],
    ['/01/0950600013435A', '"A" at position 14'],
    // Structure.
    ['/01/09506000134352/21', 'AI 21 (serial) at the end of the path has no value'],
    ['/01/09506000134352/21/', 'AI 21 (serial) at the end of the path has no value'],
    ['/01/', 'AI 01 (GTIN) at the end of the path has no value'],
    ['/01//21/1', 'GTIN (AI 01) has an empty value'],
    ['/01/09506000134352/21//', 'serial (AI 21) has an empty value'],
    ['/01/09506000134352/10//21/1', 'lot (AI 10) has an empty value'],
    ['/01/09506000134352/21/1/10/L', 'AI 10 (lot) is out of order', '/22/{cpv}/10/{lot}/21/'],
    ['/01/09506000134352/10/L/22/V', 'AI 22 (consumer product variant) is out of order'],
    ['/01/09506000134352/21/1/21/2', 'AI 21 (serial) appears twice'],
    ['/21/1/01/09506000134352', 'AI 21 (serial) comes before the primary key 01'],
    ['/01/09506000134352/00/106141412345678908', 'two primary keys, 01 and 00'],
    ['/00/106141412345678908/21/1', 'AI 21 (serial) cannot qualify 00 (SSCC)'],
    ['/414/9506000164908/21/1', 'AI 21 (serial) cannot qualify 414 (GLN)'],
    ['/01/09506000134352/254/1', 'AI 254 (GLN extension) cannot qualify 01', '22, 10 and 21'],
    ['/414/9506000164908/254/1', 'GLN extension (AI 254) is not supported'],
    ['/01/09506000134352/235/1', 'AI 235 (third-party controlled serial) is not supported'],
    ['/01/09506000134352/99/1', 'AI 99 is not a primary key or key qualifier'],
    ['/01/09506000134352/21/1/x', 'no GS1 primary key'],
    // Bad characters and encodings.
    ['/01/09506000134352/21/a b', '" " at position 2', 'write it as %20'],
    ['/01/09506000134352/21/a"b', 'write it as %22'],
    ['/01/09506000134352/21/aéb', '"é"', 'cannot carry unencoded'],
    ['/01/09506000134352/21/a%20b', 'serial "a b" contains " "', 'character set 82'],
    ['/01/09506000134352/21/a$b', '"$"', 'character set 82'],
    ['/01/09506000134352/21/%E2%82%AC', '"€"', 'character set 82'],
    ['/01/09506000134352/21/%C3', 'not valid UTF-8'],
    ['/01/09506000134352/21/%G1', 'malformed escape at position 1', '%25'],
    ['/01/09506000134352/21/1%2', 'malformed escape at position 2'],
    ['/01/09506000134352/21/1%', 'malformed escape'],
    ['/01/09506000134352/10/%23', 'lot "#" contains'],
    ['/01/09506000134352/22/%23', 'consumer product variant "#" contains'],
    // Too long.
    ['/01/09506000134352/21/123456789012345678901', 'serial must be at most 20', 'has 21'],
    ['/01/09506000134352/10/123456789012345678901', 'lot must be at most 20'],
    ['/01/09506000134352/22/123456789012345678901', 'consumer product variant must be at most 20'],
    [
      '/01/09506000134352/21/%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41',
      'has 21',
    ],
    // Data attributes.
    ['/01/09506000134352?17=261331', 'month 13; expected 01-12'],
    ['/01/09506000134352?17=261232', 'day 32'],
    ['/01/09506000134352?17=2612', 'expiry date', 'YYMMDD'],
    ['/01/09506000134352?11=26123A', 'production date'],
    ['/01/09506000134352?17=', 'data attribute 17 has no value'],
    ['/01/09506000134352?17', 'data attribute 17 has no value'],
    ['/01/09506000134352?17=261231&17=261230', 'data attribute 17 appears more than once'],
    ['/01/09506000134352?21=1', 'AI 21 is a key qualifier and belongs in the path'],
    ['/01/09506000134352?22=V', 'belongs in the path', '/22/{cpv}'],
    ['/414/9506000164908?254=1', 'belongs in the path', '/254/'],
    ['/01/09506000134352?235=1', 'belongs in the path'],
    ['/01/09506000134352/10/L?10=L', 'AI 10 is both in the path and in the query string'],
    ['/01/09506000134352?01=09506000134352', 'AI 01 is both in the path'],
    ['/01/09506000134352?12345=1', '"12345" is not a GS1 Application Identifier'],
    ['/01/09506000134352?1=1', '"1" is not a GS1 Application Identifier'],
    ['/01/09506000134352?30=123456789', '1 to 8 digits'],
    ['/01/09506000134352?3103=12', '6 digits'],
    ['/01/09506000134352?7003=2612311', 'YYMMDDHHMM'],
    ['/01/09506000134352?414=9506000164909', 'GLN', 'expected 8'],
    ['/01/09506000134352?00=1', 'SSCC must have 18 digits'],
    ['/00/106141412345678908?02=1', 'GTIN must have'],
    ['/01/09506000134352?10=L%23', 'lot "L#" contains'],
    ['/01/09506000134352?10=123456789012345678901', 'lot must be at most 20'],
    [`/01/09506000134352?99=${'x'.repeat(91)}`, 'data attribute 99 must be at most 90'],
    ['/01/09506000134352?99=a%20b', 'data attribute 99 "a b" contains " "'],
    ['/01/09506000134352?99=a b', 'data attribute 99 "a b" contains " "', 'write it as %20'],
    ['/01/09506000134352?99=%FF', 'not valid UTF-8'],
  ])('rejects %s', (input, ...fragments) => {
    gs1Error(() => parseDigitalLink(input), ...fragments);
  });

  it('rejects non-strings and reports the path the caller gives', () => {
    gs1Error(() => parseDigitalLink(undefined), 'must be a string, got a undefined');
    const paths = [
      undefined,
      '/8004/1',
      '/01/1',
      '/01/09506000134352/21/1/10/L',
      '/01/09506000134352/21/a b',
      '/01/09506000134352?17=1',
      '/01/09506000134352/21/a%20b',
      'ftp://x/01/1',
    ].map((input) => gs1Error(() => parseDigitalLink(input, { path: '$.payload.link' })).path);
    expect(new Set(paths)).toEqual(new Set(['$.payload.link']));
  });
});

describe('buildDigitalLink', () => {
  it('writes label URIs with the qualifiers in the standard order', () => {
    expect(
      buildDigitalLink({ kind: 'item', gtin: '9506000134352', serial: '12345', lot: 'ABC123' }),
    ).toBe(`https://id.gs1.org/01/${GTIN}/10/ABC123/21/12345`);
    expect(buildDigitalLink({ kind: 'item', gtin: GTIN, serial: '1', lot: 'L', cpv: 'V' })).toBe(
      `https://id.gs1.org/01/${GTIN}/22/V/10/L/21/1`,
    );
    expect(buildDigitalLink({ kind: 'lot', gtin: GTIN, lot: 'L', cpv: 'V/2' })).toBe(
      `https://id.gs1.org/01/${GTIN}/22/V%2F2/10/L`,
    );
    expect(buildDigitalLink({ kind: 'product', gtin: GTIN, cpv: 'V' })).toBe(
      `https://id.gs1.org/01/${GTIN}/22/V`,
    );
    expect(buildDigitalLink({ kind: 'product', gtin: GTIN })).toBe(`https://id.gs1.org/01/${GTIN}`);
    expect(buildDigitalLink({ kind: 'unit', sscc: SSCC })).toBe(`https://id.gs1.org/00/${SSCC}`);
    expect(buildDigitalLink({ kind: 'location', gln: GLN })).toBe(`https://id.gs1.org/414/${GLN}`);
  });

  it('takes a base with a prefix and attributes in key order, encoded', () => {
    const uri = buildDigitalLink(
      { kind: 'item', gtin: GTIN, serial: '32a/b' },
      { base: 'https://example.com/p/', attributes: { '99': 'a&b', '17': '261231', '10': 'L1' } },
    );
    expect(uri).toBe(`https://example.com/p/01/${GTIN}/21/32a%2Fb?10=L1&17=261231&99=a%26b`);
    expect(parseDigitalLink(uri)).toStrictEqual({
      id: { kind: 'item', gtin: GTIN, serial: '32a/b' },
      attributes: { '10': 'L1', '17': '261231', '99': 'a&b' },
    });
    expect(buildDigitalLink({ kind: 'unit', sscc: SSCC }, { base: 'http://localhost:3000' })).toBe(
      `http://localhost:3000/00/${SSCC}`,
    );
  });

  it('rejects what would not parse back', () => {
    const item: Gs1Identifier = { kind: 'item', gtin: GTIN, serial: '1', lot: 'L' };
    gs1Error(() => buildDigitalLink(item, { base: 'ftp://example.com' }), 'http(s) URI');
    gs1Error(() => buildDigitalLink(item, { base: 'https://example.com?x=1' }), 'no query');
    gs1Error(() => buildDigitalLink(item, { base: 'example.com' }), 'http(s) URI');
    gs1Error(
      () => buildDigitalLink(item, { base: 'https://example.com/10/x' }),
      'AI 10 (lot) comes before the primary key 01',
    );
    gs1Error(
      () => buildDigitalLink(item, { attributes: { '10': 'L' } }),
      'AI 10 is both in the path',
    );
    gs1Error(
      () => buildDigitalLink({ kind: 'product', gtin: GTIN }, { attributes: { '21': '2' } }),
      'belongs in the path',
    );
    gs1Error(() => buildDigitalLink(item, { attributes: { exp: '261231' } }), '"exp" is not');
    gs1Error(() => buildDigitalLink(item, { attributes: { '17': '261331' } }), 'month 13');
    gs1Error(
      () => buildDigitalLink(item, { attributes: { '17': 261231 as unknown as string } }),
      'data attribute 17 must be a string, got a number',
    );
    gs1Error(() => buildDigitalLink({ kind: 'item', gtin: GTIN, serial: 'a b' }), 'serial');
  });

  it('round-trips through parseDigitalLink', () => {
    const ids: Gs1Identifier[] = [
      { kind: 'item', gtin: GTIN, serial: CSET82.slice(0, 20), lot: CSET82.slice(20, 40) },
      { kind: 'item', gtin: GTIN, serial: CSET82.slice(40, 60), cpv: CSET82.slice(60, 80) },
      { kind: 'lot', gtin: GTIN, lot: CSET82.slice(62), cpv: '%' },
      { kind: 'product', gtin: GTIN, cpv: '/' },
      { kind: 'unit', sscc: SSCC },
      { kind: 'location', gln: GLN },
    ];
    for (const id of ids) {
      expect(parseDigitalLink(buildDigitalLink(id))).toStrictEqual({ id, attributes: {} });
      expect(
        parseDigitalLink(buildDigitalLink(id, { base: 'https://example.com/x/y' })).id,
      ).toStrictEqual(id);
    }
  });
});
