import { describe, expect, it } from 'vitest';
import { CARRIER, HELD, INCOMING, ORG, OUTGOING, PACKED, PALLET, THINGS } from '../test/fixtures';
import type { ThingState } from '../types';
import {
  checkHandover,
  checkPack,
  checkTransferAnswer,
  checkUnpack,
  type ThingStates,
} from './prechecks';

const states = (extra: Record<string, ThingState> = {}): ThingStates =>
  new Map(Object.entries({ ...THINGS, ...extra }));

describe('pre-checks', () => {
  it('passes what the organization holds, free to move', () => {
    expect(checkHandover([HELD, PALLET], CARRIER, states(), ORG)).toEqual([]);
  });

  it('refuses a handover to the organization itself', () => {
    expect(checkHandover([HELD], ORG, states(), ORG)).toEqual([
      {
        message:
          'You cannot hand over to your own organization (Rotterdam Cold Hub); pick the receiver.',
      },
    ]);
  });

  it('freezes what is packed in a pallet that is on its way', () => {
    const moving = states({ [PALLET]: { ...THINGS[PALLET]!, pendingTransfer: 'ef'.repeat(32) } });
    expect(checkHandover([PACKED], CARRIER, moving, ORG)[0]?.message).toMatch(
      /is packed in Pallet 387123450000000012, which has a pending handover/,
    );
  });

  it('refuses to pack a pallet into one it contains', () => {
    const nested = states({ [HELD]: { ...THINGS[HELD]!, kind: 'unit', parent: PALLET } });
    expect(checkPack(HELD, [PALLET], nested, ORG)).toEqual([
      { epc: PALLET, message: expect.stringMatching(/that would put it inside itself/) },
    ]);
  });

  it('says an empty pallet has nothing to unpack', () => {
    const empty = states({ [PALLET]: { ...THINGS[PALLET]!, children: [] } });
    expect(checkUnpack(PALLET, [], empty, ORG)[0]?.message).toBe(
      'Pallet 387123450000000012 is empty: there is nothing to unpack.',
    );
  });

  it('lets only the receiver answer and only the sender cancel, while pending', () => {
    expect(checkTransferAnswer(INCOMING, 'accept', ORG)).toEqual([]);
    expect(checkTransferAnswer(OUTGOING, 'cancel', ORG)).toEqual([]);
    expect(checkTransferAnswer(INCOMING, 'cancel', ORG)[0]?.message).toMatch(
      /sent by nordic-reefer, not by Rotterdam Cold Hub: only the sender can cancel it/,
    );
    expect(checkTransferAnswer(OUTGOING, 'reject', ORG)[0]?.message).toMatch(
      /meant for green-basket, not for Rotterdam Cold Hub: only green-basket can reject it/,
    );
    expect(
      checkTransferAnswer({ ...INCOMING, status: 'accepted' }, 'accept', ORG)[0]?.message,
    ).toMatch(/no longer pending \(it was accepted\)/);
  });
});
