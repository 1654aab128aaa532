'use client';
/**
 * New final events of a thing as they happen, over the page's one graphql-ws connection. Events
 * that do not decode as transactions are ignored; the next bundle check has the last word anyway.
 */
import { decodeTx, type SignedTx } from '@waybill/shared/tx';
import { useSubscription } from '@/lib/live';
import { ITEM_EVENTS_SUBSCRIPTION } from '../utils/queries';

export interface LiveEvent {
  hash: string;
  height?: number;
  tx: SignedTx;
}

interface ItemEventsData {
  itemEvents: {
    hash: string;
    type: string | null;
    signer: string | null;
    height: number | null;
    tx: unknown;
  };
}

export function useItemEvents(epc: string, onEvent: (event: LiveEvent) => void): void {
  useSubscription<ItemEventsData>(ITEM_EVENTS_SUBSCRIPTION, { epc }, (data) => {
    const { hash, height, tx } = data.itemEvents;
    let decoded: SignedTx;
    try {
      decoded = decodeTx(tx);
    } catch {
      return;
    }
    onEvent({ hash, ...(height !== null && { height }), tx: decoded });
  });
}
