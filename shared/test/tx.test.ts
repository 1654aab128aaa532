import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../src/encoding/index.js';
import { isWaybillError, type WaybillError } from '../src/errors.js';
import { itemEpc, lotEpc } from '../src/gs1/index.js';
import { TEST_GTINS, testKey, withCheckDigit } from '../src/testing/index.js';
import { verifyStrict } from '../src/crypto/index.js';
import {
  checkTx,
  createTx,
  decodeTx,
  decodeTxForChain,
  decodeTxJson,
  MAX_TX_BYTES,
  txHash,
  verifyTxSignature,
  verifyTxSignatureAsync,
  type SignedTx,
} from '../src/tx/index.js';

const key = testKey('tx-test');
const chainId = 'waybill-test';
const eventTime = '2026-11-23T12:00:00.000+01:00';
const bottle = itemEpc(TEST_GTINS.milk, 'S1');

function observe(payload: Record<string, unknown> = {}): SignedTx {
  return createTx({
    chainId,
    type: 'event.observe',
    payload: { epcs: [bottle], eventTime, ...payload },
    secretKey: key.secretKey,
  });
}

/** The WaybillError a call throws, for asserting its code and path. */
function errorOf(fn: () => unknown): WaybillError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  if (!isWaybillError(caught)) throw new Error(`expected a WaybillError, got ${String(caught)}`);
  return caught;
}

function withPayload(tx: SignedTx, payload: unknown): unknown {
  return { ...tx, payload };
}

describe('transactions', () => {
  it('signs, decodes and checks a transaction; the hash leaves out the signature', () => {
    const tx = observe({ note: 'ok' });
    expect(decodeTx(JSON.parse(JSON.stringify(tx)))).toEqual(tx);
    expect(checkTx(tx, { chainId }).hash).toBe(txHash(tx));
    expect(txHash({ ...tx, signature: '00'.repeat(64) })).toBe(txHash(tx));
    expect(verifyTxSignature(tx)).toBe(true);
  });

  it('refuses another chain and a bad signature', () => {
    const tx = observe();
    expect(errorOf(() => checkTx(tx, { chainId: 'other' })).code).toBe('WRONG_CHAIN');
    const forged = { ...tx, payload: { ...tx.payload, note: 'changed' } };
    expect(errorOf(() => checkTx(forged, { chainId })).code).toBe('BAD_SIGNATURE');
  });

  it('checks in two parts as a node does on its block path, with the same answers', async () => {
    const tx = observe({ note: 'two parts' });
    const decoded = decodeTxForChain(JSON.parse(JSON.stringify(tx)), chainId);
    expect(decoded).toEqual(checkTx(tx, { chainId }));
    expect(errorOf(() => decodeTxForChain(tx, 'other')).code).toBe('WRONG_CHAIN');
    const later = (s: Uint8Array, m: Uint8Array, k: Uint8Array) =>
      Promise.resolve(verifyStrict(s, m, k));
    await expect(verifyTxSignatureAsync(decoded.tx, decoded.hash, later)).resolves.toBe(true);
    expect(verifyTxSignature(decoded.tx, verifyStrict, decoded.hash)).toBe(true);
    const forged = { ...tx, payload: { ...tx.payload, note: 'changed' } } as SignedTx;
    // The signature is over the hash: the forged payload's own hash does not verify.
    const forgedHash = txHash(forged);
    await expect(verifyTxSignatureAsync(forged, forgedHash, later)).resolves.toBe(false);
    expect(verifyTxSignature(forged, verifyStrict, forgedHash)).toBe(false);
    // A key that is not a valid point never reaches the verifier.
    const smallOrder = { ...tx, signer: '01'.padEnd(64, '0') };
    let asked = false;
    const spy = () => {
      asked = true;
      return Promise.resolve(true);
    };
    await expect(verifyTxSignatureAsync(smallOrder, decoded.hash, spy)).resolves.toBe(false);
    expect(asked).toBe(false);
  });

  it.each([
    ['a non-object', () => decodeTx([1]), 'BAD_ENCODING', '$'],
    [
      'an unknown envelope field',
      () => decodeTx({ ...observe(), extra: 1 }),
      'BAD_ENCODING',
      '$.extra',
    ],
    [
      'an unknown type',
      () => decodeTx({ ...observe(), type: 'custody.steal' }),
      'BAD_ENCODING',
      '$.type',
    ],
    [
      'a missing payload',
      () => decodeTx({ ...observe(), payload: undefined }),
      'BAD_ENCODING',
      '$.payload',
    ],
    [
      'an upper-case nonce',
      () => decodeTx({ ...observe(), nonce: 'A'.repeat(32) }),
      'BAD_ENCODING',
      '$.nonce',
    ],
    [
      'a short signature',
      () => decodeTx({ ...observe(), signature: 'ab' }),
      'BAD_ENCODING',
      '$.signature',
    ],
    [
      'a small-order signer key',
      () => decodeTx({ ...observe(), signer: '01' + '00'.repeat(31) }),
      'BAD_ENCODING',
      '$.signer',
    ],
    [
      'a bad chain id',
      () => decodeTx({ ...observe(), chainId: 'Bad Chain' }),
      'BAD_ENCODING',
      '$.chainId',
    ],
    [
      'an unknown payload field',
      () => decodeTx(withPayload(observe(), { epcs: [bottle], eventTime, colour: 'red' })),
      'INVALID_PAYLOAD',
      '$.payload.colour',
    ],
    [
      'a missing required field',
      () => decodeTx(withPayload(observe(), { epcs: [bottle] })),
      'INVALID_PAYLOAD',
      '$.payload.eventTime',
    ],
    [
      'a number where a string belongs',
      () => decodeTx(withPayload(observe(), { epcs: [bottle], eventTime, note: 5 })),
      'INVALID_PAYLOAD',
      '$.payload.note',
    ],
    [
      'an empty list',
      () => decodeTx(withPayload(observe(), { epcs: [], eventTime })),
      'INVALID_PAYLOAD',
      '$.payload.epcs',
    ],
    [
      'a thing listed twice',
      () => decodeTx(withPayload(observe(), { epcs: [bottle, bottle], eventTime })),
      'INVALID_PAYLOAD',
      '$.payload.epcs[1]',
    ],
    [
      'a non-canonical EPC',
      () =>
        decodeTx(
          withPayload(observe(), {
            epcs: [bottle.replace('09506', '9506').replace('/01/9', '/01/9')],
            eventTime,
          }),
        ),
      'INVALID_GS1',
      '$.payload.epcs[0]',
    ],
    [
      'an eventTime without offset',
      () => decodeTx(withPayload(observe(), { epcs: [bottle], eventTime: '2026-11-23T12:00:00' })),
      'INVALID_PAYLOAD',
      '$.payload.eventTime',
    ],
    [
      'an impossible date',
      () => decodeTx(withPayload(observe(), { epcs: [bottle], eventTime: '2026-13-45T12:00:00Z' })),
      'INVALID_PAYLOAD',
      '$.payload.eventTime',
    ],
    [
      'a float reading',
      () =>
        decodeTx(
          withPayload(observe(), {
            epcs: [bottle],
            eventTime,
            sensorReadings: [{ type: 't', value: 4.5, uom: 'CEL' }],
          }),
        ),
      'INVALID_PAYLOAD',
      '$.payload.sensorReadings[0].value',
    ],
    [
      'a non-object where an object belongs',
      () =>
        decodeTx(withPayload(observe(), { epcs: [bottle], eventTime, sensorReadings: ['4.5'] })),
      'INVALID_PAYLOAD',
      '$.payload.sensorReadings[0]',
    ],
    [
      'a string where a list belongs',
      () => decodeTx(withPayload(observe(), { epcs: bottle, eventTime })),
      'INVALID_PAYLOAD',
      '$.payload.epcs',
    ],
  ])('refuses %s with its code and path', (_, fn, code, path) => {
    const error = errorOf(fn);
    expect(error.code).toBe(code);
    expect(error.path).toBe(path);
  });

  const sign = (type: string, payload: unknown) => () =>
    createTx({
      chainId,
      type: type as 'org.update',
      payload: payload as never,
      secretKey: key.secretKey,
    });
  const gtin13 = withCheckDigit('950600013435');

  it.each([
    [
      'an org update that changes nothing',
      sign('org.update', { orgId: 'acme' }),
      'INVALID_PAYLOAD',
      '$.payload',
    ],
    [
      'an unknown role',
      sign('org.update', { orgId: 'acme', roles: ['pirate'] }),
      'INVALID_PAYLOAD',
      '$.payload.roles[0]',
    ],
    [
      'a GTIN-13 in a payload',
      sign('product.define', { gtin: gtin13, name: 'x' }),
      'INVALID_GS1',
      '$.payload.gtin',
    ],
    [
      'a GTIN with a bad check digit',
      sign('product.define', { gtin: '09506000134353', name: 'x' }),
      'INVALID_GS1',
      '$.payload.gtin',
    ],
    [
      'a GLN with a bad check digit',
      sign('org.update', {
        orgId: 'acme',
        gln: withCheckDigit('950600000000').replace(/\d$/, (d) => String((Number(d) + 1) % 10)),
      }),
      'INVALID_GS1',
      '$.payload.gln',
    ],
    [
      'a storage condition with min above max',
      sign('product.define', {
        gtin: TEST_GTINS.milk,
        name: 'x',
        conditions: [{ type: 't', uom: 'CEL', min: '8', max: '2' }],
      }),
      'INVALID_PAYLOAD',
      '$.payload.conditions[0].min',
    ],
    [
      'a storage condition without bounds',
      sign('product.define', {
        gtin: TEST_GTINS.milk,
        name: 'x',
        conditions: [{ type: 't', uom: 'CEL' }],
      }),
      'INVALID_PAYLOAD',
      '$.payload.conditions[0]',
    ],
    [
      'a latitude out of range',
      sign('location.define', {
        gln: withCheckDigit('950600000101'),
        name: 'x',
        address: { city: 'x', country: 'NL' },
        coordinates: { latitude: '91', longitude: '0' },
      }),
      'INVALID_PAYLOAD',
      '$.payload.coordinates.latitude',
    ],
    [
      'a longitude out of range',
      sign('location.define', {
        gln: withCheckDigit('950600000101'),
        name: 'x',
        address: { city: 'x', country: 'NL' },
        coordinates: { latitude: '0', longitude: '-181' },
      }),
      'INVALID_PAYLOAD',
      '$.payload.coordinates.longitude',
    ],
    [
      'a lower-case country',
      sign('location.define', {
        gln: withCheckDigit('950600000101'),
        name: 'x',
        address: { city: 'x', country: 'nl' },
      }),
      'INVALID_PAYLOAD',
      '$.payload.address.country',
    ],
    [
      'a location update that changes nothing',
      sign('location.update', { gln: withCheckDigit('950600000101') }),
      'INVALID_PAYLOAD',
      '$.payload',
    ],
    [
      'commissioning neither items nor a lot',
      sign('product.commission', { gtin: TEST_GTINS.milk, eventTime }),
      'INVALID_PAYLOAD',
      '$.payload',
    ],
    [
      'a lot without quantity',
      sign('product.commission', { gtin: TEST_GTINS.milk, lot: 'L1', eventTime }),
      'INVALID_PAYLOAD',
      '$.payload.quantity',
    ],
    [
      'a quantity on serialized items',
      sign('product.commission', {
        gtin: TEST_GTINS.milk,
        serials: ['1'],
        quantity: '2',
        eventTime,
      }),
      'INVALID_PAYLOAD',
      '$.payload.quantity',
    ],
    [
      'a zero quantity',
      sign('product.commission', { gtin: TEST_GTINS.milk, lot: 'L1', quantity: '0', eventTime }),
      'INVALID_PAYLOAD',
      '$.payload.quantity',
    ],
    [
      'a serial outside GS1 character set 82',
      sign('product.commission', { gtin: TEST_GTINS.milk, serials: ['a b'], eventTime }),
      'INVALID_PAYLOAD',
      '$.payload.serials[0]',
    ],
    [
      'a serial longer than 20',
      sign('product.commission', { gtin: TEST_GTINS.milk, serials: ['x'.repeat(21)], eventTime }),
      'INVALID_PAYLOAD',
      '$.payload.serials[0]',
    ],
    [
      'a pack into an item',
      sign('aggregate.pack', {
        parent: bottle,
        children: [lotEpc(TEST_GTINS.milk, 'L1')],
        eventTime,
      }),
      'INVALID_PAYLOAD',
      '$.payload.parent',
    ],
    [
      'an expiry that is not a date',
      sign('product.commission', {
        gtin: TEST_GTINS.milk,
        lot: 'L1',
        quantity: '1',
        expiry: '2026-02-31x',
        eventTime,
      }),
      'INVALID_PAYLOAD',
      '$.payload.expiry',
    ],
    [
      'an authority vote with an unknown action',
      sign('authority.vote', { action: 'crown', authority: key.publicKey }),
      'INVALID_PAYLOAD',
      '$.payload.action',
    ],
    [
      'an image URL that is not https',
      sign('product.define', { gtin: TEST_GTINS.milk, name: 'x', imageUrl: 'http://x' }),
      'INVALID_PAYLOAD',
      '$.payload.imageUrl',
    ],
    [
      'a negative integer-like decimal',
      sign('transform', {
        inputs: [{ epc: bottle, quantity: '-1' }],
        outputs: [{ gtin: TEST_GTINS.milk, serials: ['2'] }],
        eventTime,
      }),
      'INVALID_PAYLOAD',
      '$.payload.inputs[0].quantity',
    ],
  ])('refuses %s', (_, fn, code, path) => {
    const error = errorOf(fn);
    expect(error.code).toBe(code);
    expect(error.path).toBe(path);
  });

  it('refuses transactions over 64 KiB, and oversized or broken JSON text', () => {
    const epcs = Array.from({ length: 1000 }, (_, i) =>
      itemEpc(TEST_GTINS.milk, `S${String(i).padStart(19, '0')}`),
    );
    const readings = Array.from({ length: 100 }, () => ({
      type: 'gs1:Temperature',
      value: '4.5',
      uom: 'CEL',
    }));
    const big = { ...observe(), payload: { epcs, eventTime, sensorReadings: readings } };
    expect(errorOf(() => decodeTx(big)).code).toBe('TOO_LARGE');
    expect(errorOf(() => decodeTxJson(' '.repeat(MAX_TX_BYTES * 2 + 1))).code).toBe('TOO_LARGE');
    expect(errorOf(() => decodeTxJson('{')).code).toBe('BAD_ENCODING');
    expect(decodeTxJson(JSON.stringify(observe({ note: 'fine' }))).payload).toMatchObject({
      note: 'fine',
    });
  });

  it('round-trips through JSON and keeps its hash and signature (property)', () => {
    const reading = fc.record({
      type: fc.constantFrom('gs1:Temperature', 'gs1:RelativeHumidity'),
      value: fc
        .tuple(fc.integer({ min: -40, max: 60 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b]) => `${a}.${b}`.replace(/^-0\./, '0.')),
      uom: fc.constantFrom('CEL', 'A93'),
    });
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1, maxLength: 200 }), { nil: undefined }),
        fc.array(reading, { maxLength: 5 }),
        (note, sensorReadings) => {
          const tx = observe({ ...(note !== undefined && { note }), sensorReadings });
          const back = decodeTxJson(JSON.stringify(tx));
          expect(back).toEqual(tx);
          expect(txHash(back)).toBe(txHash(tx));
          expect(verifyTxSignature(back)).toBe(true);
        },
      ),
      { seed: 8785, numRuns: 60 },
    );
  });
});

describe('canonical JSON (property)', () => {
  it('is stable under key order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
        const reordered = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalize(reordered)).toBe(text);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});
