/**
 * EPC URNs and GS1 Digital Links: expected values worked out by hand (company prefix, indicator
 * digit moved to the front, mod-10 check digit) or taken from the GS1 EPC Tag Data Standard and
 * the reference event-hash implementation's normaliser tests, then round trips and refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  digitalLinkToUrn,
  isEpcUrn,
  normalizeEpcisIdentifier,
  urnToDigitalLink,
} from '../src/epcis/index.js';
import { gs1CheckDigit } from '../src/gs1/index.js';

const DL = 'https://id.gs1.org';

function invalid(fn: () => unknown, message?: RegExp): void {
  expect(fn).toThrow(
    expect.objectContaining({
      code: 'INVALID_GS1',
      ...(message === undefined ? {} : { message: expect.stringMatching(message) }),
    }),
  );
}

describe('urnToDigitalLink', () => {
  it.each([
    // TDS: 0614141 is the company prefix, 1 the indicator, 07346 the item reference.
    ['urn:epc:id:sgtin:0614141.107346.2017', `${DL}/01/10614141073464/21/2017`],
    ['urn:epc:id:sgtin:415056789012.0.987654', `${DL}/01/04150567890128/21/987654`],
    ['urn:epc:class:lgtin:4012345.012345.Lot987', `${DL}/01/04012345123456/10/Lot987`],
    ['urn:epc:idpat:sgtin:4012345.012345.*', `${DL}/01/04012345123456`],
    ['urn:epc:id:sscc:4012345.3111111111', `${DL}/00/340123451111111111`],
    ['urn:epc:id:sscc:4012345.0000000011', `${DL}/00/040123450000000115`],
    ['urn:epc:id:sgln:4012345.00005.122', `${DL}/414/4012345000054/254/122`],
    ['urn:epc:id:sgln:4012345.00005.0', `${DL}/414/4012345000054`],
    ['urn:epc:id:pgln:4000001.00000', `${DL}/417/4000001000005`],
    ['urn:epc:id:pgln:999999999999.', `${DL}/417/9999999999994`],
    ['urn:epc:id:grai:4012345.00022.334455', `${DL}/8003/04012345000221334455`],
    ['urn:epc:id:giai:4012345.ABC345', `${DL}/8004/4012345ABC345`],
    ['urn:epc:id:gsrn:4012345.0000006765', `${DL}/8018/401234500000067657`],
    ['urn:epc:id:gsrnp:4012345.0000000007', `${DL}/8017/401234500000000074`],
    ['urn:epc:id:gdti:4012345.00009.PO-4711', `${DL}/253/4012345000092PO-4711`],
    ['urn:epc:id:sgcn:4012345.67890.04711', `${DL}/255/401234567890104711`],
    ['urn:epc:id:ginc:0614141.xyz47%2F11', `${DL}/401/0614141xyz47%2F11`],
    ['urn:epc:id:gsin:4012345.222333444', `${DL}/402/40123452223334442`],
  ])('%s', (urn, link) => {
    expect(urnToDigitalLink(urn)).toBe(link);
    expect(normalizeEpcisIdentifier(urn)).toBe(link);
  });

  it('computes the check digit over indicator, company prefix and item reference', () => {
    const link = urnToDigitalLink('urn:epc:id:sgtin:0614141.812345.6789');
    expect(link).toBe(`${DL}/01/80614141123458/21/6789`);
    expect(gs1CheckDigit('8061414112345')).toBe(8);
  });

  it('decodes URN escapes and re-encodes for the Digital Link, uppercase, unreserved set raw', () => {
    expect(urnToDigitalLink('urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()')).toBe(
      `${DL}/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29`,
    );
    // An escape of a character that needs none is the same serial.
    expect(urnToDigitalLink('urn:epc:id:sgtin:0614141.812345.%41b')).toBe(
      `${DL}/01/80614141123458/21/Ab`,
    );
    expect(urnToDigitalLink("urn:epc:id:sgtin:0614141.812345.a'b;c=d")).toBe(
      `${DL}/01/80614141123458/21/a%27b%3Bc%3Dd`,
    );
    expect(urnToDigitalLink('urn:epc:id:sgtin:0614141.812345.x%2fy')).toBe(
      `${DL}/01/80614141123458/21/x%2Fy`,
    );
  });

  it('reads the urn:epc: head in any case', () => {
    expect(urnToDigitalLink('URN:EPC:id:sgtin:0614141.107346.2017')).toBe(
      `${DL}/01/10614141073464/21/2017`,
    );
    expect(isEpcUrn('URN:epc:class:lgtin:0614141.107346.L1')).toBe(true);
    expect(isEpcUrn('urn:epcglobal:cbv:bizstep:shipping')).toBe(false);
  });

  it('refuses malformed URNs with INVALID_GS1, saying what is wrong', () => {
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.01111.1'), /13 digits together/);
    invalid(
      () => urnToDigitalLink('urn:epc:id:sgtin:40123.0111111.1'),
      /company prefix of 6 to 12/,
    );
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.011111'), /shape/);
    invalid(() => urnToDigitalLink('urn:epc:id:sscc:4012345.31111.11111'), /must be digits/);
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.011111.a/b'), /writes it as %2F/);
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.011111.%20'), /set 82/);
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.011111.%2'), /escape/);
    invalid(
      () => urnToDigitalLink('urn:epc:id:sgtin:4012345.011111.123456789012345678901'),
      /at most 20/,
    );
    invalid(() => urnToDigitalLink('urn:epc:id:sgtin:4012345.0111a1.1'), /must be digits/);
    invalid(() => urnToDigitalLink('urn:epc:id:sscc:4012345.311111111'), /17 digits/);
    invalid(() => urnToDigitalLink('urn:epc:idpat:sgtin:4012345.012345.5'), /ends in \.\*/);
    invalid(() => urnToDigitalLink('urn:epc:id:itip:4012345.011111.01.02.987'), /not supported/);
    invalid(() => urnToDigitalLink('urn:epc:idpat:sgtin:4012345.*.*'), /must be digits/);
    invalid(() => urnToDigitalLink('urn:epc:id:giai:4012345.'), /no individual asset/);
    invalid(() => urnToDigitalLink('urn:uuid:1'), /not an EPC URN/);
    invalid(() => urnToDigitalLink(42 as unknown as string), /must be a string/);
  });
});

describe('normalizeEpcisIdentifier', () => {
  it.each([
    // Any host, query and fragment dropped, GTIN-14, the finest level only.
    [
      'https://example.com/01/9780345418913/22/344/10/1223/21/765tz?11=221109#x',
      `${DL}/01/09780345418913/21/765tz`,
    ],
    ['http://id.gs1.org/01/9780345418913', `${DL}/01/09780345418913`],
    ['https://example.com/some/prefix/01/12345670/10/L%2F1', `${DL}/01/00000012345670/10/L%2F1`],
    ['https://example.org/01/614141000012/21/a!b', `${DL}/01/00614141000012/21/a%21b`],
    ['https://example.com/00/340123453111111115', `${DL}/00/340123453111111115`],
    ['https://example.com/414/4280000000002/254/12', `${DL}/414/4280000000002/254/12`],
    ['https://example.co.uk/417/4226350800008/', `${DL}/417/4226350800008`],
    ['https://id.gs1.org/8003/03870585000552987', `${DL}/8003/03870585000552987`],
    ['https://id.gs1.org/8004/0180451111ABC987', `${DL}/8004/0180451111ABC987`],
    ['https://id.gs1.org/8018/385888700111111111', `${DL}/8018/385888700111111111`],
    ['https://id.gs1.org/253/4602443000331XYZ', `${DL}/253/4602443000331XYZ`],
    ['https://id.gs1.org/255/0811625999996554433', `${DL}/255/0811625999996554433`],
  ])('%s', (input, canonical) => {
    expect(normalizeEpcisIdentifier(input)).toBe(canonical);
    expect(normalizeEpcisIdentifier(canonical)).toBe(canonical);
  });

  it.each([
    'urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8',
    'urn:epcglobal:cbv:bt:0614141073467:1152',
    'http://transaction.acme.com/po/12345678',
    'https://example.com/01/09506000134352/21/1/extra',
    'geo:50.947573340894124,6.922120147375441',
    'https://ref.gs1.org/cbv/BizStep-shipping',
  ])('leaves %s alone', (value) => {
    expect(normalizeEpcisIdentifier(value)).toBe(value);
  });

  it('refuses a Digital Link with a wrong check digit or an unsupported key', () => {
    invalid(() => normalizeEpcisIdentifier(`${DL}/01/09506000134353`), /expected 2/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/414/4280000000003/254/1`), /check digit/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/8018/385888700111111112`), /check digit/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/8006/040123451234560102`), /ITIP/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/417/4226350800008/21/1`), /cannot qualify/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/01/09506000134352/21/a%2`), /malformed escape/);
    invalid(() => normalizeEpcisIdentifier(`${DL}/8003/1387058500055`), /13 digits|14 digits/);
  });
});

describe('digitalLinkToUrn', () => {
  it.each([
    [`${DL}/01/10614141073464/21/2017`, 7, 'urn:epc:id:sgtin:0614141.107346.2017'],
    [`${DL}/01/04150567890128/21/987654`, 12, 'urn:epc:id:sgtin:415056789012.0.987654'],
    [`${DL}/01/04012345123456/10/Lot987`, 7, 'urn:epc:class:lgtin:4012345.012345.Lot987'],
    [`${DL}/01/04012345123456`, 7, 'urn:epc:idpat:sgtin:4012345.012345.*'],
    [`${DL}/00/340123451111111111`, 7, 'urn:epc:id:sscc:4012345.3111111111'],
    [`${DL}/414/4012345000054/254/122`, 7, 'urn:epc:id:sgln:4012345.00005.122'],
    [`${DL}/414/4012345000054`, 7, 'urn:epc:id:sgln:4012345.00005.0'],
    [`${DL}/417/9999999999994`, 12, 'urn:epc:id:pgln:999999999999.'],
    [`${DL}/8003/04012345000221334455`, 7, 'urn:epc:id:grai:4012345.00022.334455'],
    [`${DL}/8004/4012345ABC345`, 7, 'urn:epc:id:giai:4012345.ABC345'],
    [`${DL}/8018/401234500000067657`, 7, 'urn:epc:id:gsrn:4012345.0000006765'],
    [`${DL}/8017/401234500000000074`, 7, 'urn:epc:id:gsrnp:4012345.0000000007'],
    [`${DL}/253/4012345000092PO-4711`, 7, 'urn:epc:id:gdti:4012345.00009.PO-4711'],
    [`${DL}/255/401234567890104711`, 7, 'urn:epc:id:sgcn:4012345.67890.04711'],
    [`${DL}/401/0614141xyz47%2F11`, 7, 'urn:epc:id:ginc:0614141.xyz47%2F11'],
    [`${DL}/402/40123452223334442`, 7, 'urn:epc:id:gsin:4012345.222333444'],
    [
      'https://example.com/01/10614141073464/10/L1/21/a%2Fb?17=261231',
      7,
      'urn:epc:id:sgtin:0614141.107346.a%2Fb',
    ],
  ])('%s with a %d-digit company prefix', (link, length, urn) => {
    expect(digitalLinkToUrn(link, length)).toBe(urn);
  });

  it('needs the company prefix length, which a Digital Link does not show', () => {
    invalid(
      () => digitalLinkToUrn(`${DL}/01/10614141073464/21/2017`),
      /length of its GS1 company prefix/,
    );
    invalid(() => digitalLinkToUrn(`${DL}/01/10614141073464/21/2017`, 5), /6 to 12/);
    invalid(() => digitalLinkToUrn(`${DL}/01/10614141073464/21/2017`, 7.5), /6 to 12/);
    invalid(
      () => digitalLinkToUrn('http://transaction.acme.com/po/1', 7),
      /not a GS1 Digital Link/,
    );
    invalid(() => digitalLinkToUrn(`${DL}/8003/04012345000221`, 7), /needs a serial/);
  });
});

describe('round trips', () => {
  const SET_82 = 'ABCXYZabcxyz0123456789!"%&\'()*+,-./:;<=>?_'.split('');
  const serial = fc
    .array(fc.constantFrom(...SET_82), { minLength: 1, maxLength: 20 })
    .map((chars) => chars.join(''));
  const digits = (n: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
  const prefixed = fc
    .integer({ min: 6, max: 12 })
    .chain((n) => fc.tuple(fc.constant(n), digits(n), digits(13 - n)));

  it('SGTIN URN to Digital Link and back, for every prefix length and set 82 serial', () => {
    fc.assert(
      fc.property(prefixed, serial, ([n, cp, itemRef], value) => {
        const escaped = value.replace(
          /["%&/<>?]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        );
        const urn = `urn:epc:id:sgtin:${cp}.${itemRef}.${escaped}`;
        const link = urnToDigitalLink(urn);
        expect(link).toMatch(/^https:\/\/id\.gs1\.org\/01\/[0-9]{14}\/21\/[A-Za-z0-9\-._~%]+$/);
        expect(digitalLinkToUrn(link, n)).toBe(urn);
        expect(normalizeEpcisIdentifier(link)).toBe(link);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('SSCC and SGLN URNs to Digital Links and back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 12 }), digits(17), (n, body) => {
        const sscc = `urn:epc:id:sscc:${body.slice(0, n)}.${body.slice(n)}`;
        expect(digitalLinkToUrn(urnToDigitalLink(sscc), n)).toBe(sscc);
        const sgln = `urn:epc:id:sgln:${body.slice(0, n)}.${body.slice(n, 12)}.0`;
        expect(digitalLinkToUrn(urnToDigitalLink(sgln), n)).toBe(sgln);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('pads GTIN-8, -12 and -13 to GTIN-14 without changing the check digit', () => {
    expect(normalizeEpcisIdentifier('https://example.de/01/97803119')).toBe(
      `${DL}/01/00000097803119`,
    );
    expect(normalizeEpcisIdentifier('https://example.com/01/001122334455/21/GHB')).toBe(
      `${DL}/01/00001122334455/21/GHB`,
    );
    expect(normalizeEpcisIdentifier('https://example.com/01/4012345123456/21/A')).toBe(
      `${DL}/01/04012345123456/21/A`,
    );
  });
});
