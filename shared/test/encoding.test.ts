import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  canonicalize,
  hexToBytes,
  taggedHash,
  utf8ToBytes,
} from '../src/encoding/index.js';
import { sha256 } from '../src/encoding/index.js';
import { WaybillError } from '../src/errors.js';

describe('RFC 8785 JCS', () => {
  // RFC 8785 section 3.2.2 sample input and its canonical output.
  it('canonicalizes the RFC sample', () => {
    const input = {
      // The RFC's own literal, precision loss included: that is what it tests.
      // eslint-disable-next-line no-loss-of-precision
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  // RFC 8785 section 3.2.3: sorting by UTF-16 code units.
  it('sorts members by UTF-16 code units', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Integer-like keys would be reordered by JSON.parse, so read the order off the text.
    const text = canonicalize(input);
    const order = Object.keys(input).sort(
      (a, b) => text.indexOf(JSON.stringify(a)) - text.indexOf(JSON.stringify(b)),
    );
    expect(order).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  // RFC 8785 appendix B: number serialization samples (IEEE-754 bit patterns).
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double %s as %s', (bits, expected) => {
    const view = new DataView(hexToBytes(bits).buffer);
    expect(canonicalize(view.getFloat64(0))).toBe(expected);
  });

  it('refuses what JSON cannot carry', () => {
    for (const bad of [NaN, Infinity, () => 1, Symbol('x'), 10n, new Date(0), '\ud800x']) {
      expect(() => canonicalize({ a: [bad] })).toThrow(WaybillError);
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => canonicalize(circular)).toThrow(/circular/);
  });

  it('names the path of what it refused', () => {
    try {
      canonicalize({ payload: { readings: [1, NaN] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WaybillError);
      expect((error as WaybillError).code).toBe('BAD_ENCODING');
      expect((error as WaybillError).path).toBe('$.payload.readings[1]');
    }
  });

  /** RFC 8785 written as plainly as possible, to hold the optimized serializer to. */
  function reference(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .sort()
        .filter((k) => record[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${reference(record[k])}`);
      return `{${members.join(',')}}`;
    }
    return JSON.stringify(value);
  }

  it('gives the plain reference text for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(canonicalize(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same text however deep the value', () => {
    for (const depth of [63, 64, 65, 200]) {
      let value: unknown = { leaf: ['é', 1.5] };
      for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { z: value, a: i };
      expect(canonicalize(value)).toBe(reference(value));
    }
  });

  it('names the path of a lone surrogate in a member name', () => {
    try {
      canonicalize({ ok: { 'bad\udc00': 1 } });
      expect.unreachable();
    } catch (error) {
      expect((error as WaybillError).code).toBe('BAD_ENCODING');
      expect((error as WaybillError).message).toMatch(/lone surrogate/);
      expect((error as WaybillError).path).toBe('$.ok');
    }
  });

  it('drops undefined members as JSON does and keeps shared (non-circular) references', () => {
    const shared = { x: 1 };
    expect(canonicalize({ b: undefined, a: shared, c: shared })).toBe('{"a":{"x":1},"c":{"x":1}}');
  });
});

describe('hex and hashing', () => {
  it('round-trips hex and rejects bad hex', () => {
    expect(bytesToHex(hexToBytes('00ff10'))).toBe('00ff10');
    expect(() => hexToBytes('0F')).toThrow(WaybillError);
    expect(() => hexToBytes('abc')).toThrow(WaybillError);
    expect(() => hexToBytes('abcd', 3)).toThrow(/3 bytes/);
  });

  it('hashes with the domain tag separated by a zero byte', () => {
    const expected = bytesToHex(
      sha256(new Uint8Array([...utf8ToBytes('waybill/tx/v1'), 0, ...utf8ToBytes('{"a":1}')])),
    );
    expect(taggedHash('waybill/tx/v1', { a: 1 })).toBe(expected);
    expect(taggedHash('waybill/block/v1', { a: 1 })).not.toBe(expected);
  });

  it('computes SHA-256 of "abc" (FIPS 180-2)', () => {
    expect(bytesToHex(sha256(utf8ToBytes('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
