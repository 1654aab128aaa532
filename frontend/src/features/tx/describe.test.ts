import { createTx } from '@waybill/shared/tx';
import { testKey } from '@waybill/shared/testing';
import { describe, expect, it } from 'vitest';
import { describeAnyTx, describeTx } from './describe';

const key = testKey('describe');

describe('describeTx', () => {
  it('says what a handover did, to whom', () => {
    const tx = createTx({
      chainId: 'test',
      type: 'custody.handover',
      secretKey: key.secretKey,
      payload: {
        epcs: [
          'https://id.gs1.org/01/09520123456788/21/1',
          'https://id.gs1.org/01/09520123456788/21/2',
        ],
        to: 'nordic-reefer',
        eventTime: '2026-11-20T10:00:00.000Z',
      },
    });
    expect(describeTx(tx)).toBe('Handed over 2 things to nordic-reefer');
  });

  it('falls back to the type label for JSON that is not a transaction', () => {
    expect(describeAnyTx({ type: 'custody.accept' }, 'custody.accept')).toBe('Accepted a handover');
    expect(describeAnyTx(null, 'custody.handover')).toBe('Handed over');
  });
});
