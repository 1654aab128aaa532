import { describe, expect, it } from 'vitest';
import { testKey, TEST_GTINS } from '@waybill/shared/testing';
import { createTx, verifyTxSignature } from '@waybill/shared/tx';
import { txSigner } from '../src/native-sign.js';

describe('transactions signed through OpenSSL', () => {
  it("are byte for byte shared's createTx, and verify", () => {
    const key = testKey('native-sign');
    const payload = {
      gtin: TEST_GTINS.milk,
      serials: ['1', '2'],
      eventTime: '2026-11-26T08:00:00+01:00',
    };
    const nonce = 'ab'.repeat(16);
    const fast = txSigner('waybill-test', key.secretKey)('product.commission', payload, nonce);
    const reference = createTx({
      chainId: 'waybill-test',
      type: 'product.commission',
      payload,
      secretKey: key.secretKey,
      nonce,
    });
    expect(fast).toEqual(reference);
    expect(verifyTxSignature(fast)).toBe(true);
  });

  it('refuses what createTx refuses', () => {
    const sign = txSigner('waybill-test', testKey('native-sign').secretKey);
    expect(() =>
      sign('product.commission', { gtin: '123', eventTime: 'now' }, 'ab'.repeat(16)),
    ).toThrow();
  });
});
