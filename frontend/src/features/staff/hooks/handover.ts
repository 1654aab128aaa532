/**
 * Opens a handover from its reference (the hash of its custody.handover, as printed on a handover
 * slip or its QR code): the transaction must be a final custody.handover, and it is still pending
 * only while every thing it names still has it as `pendingTransfer`. The sender is the things'
 * custodian, which does not change until the receiver accepts.
 */
import type { WaybillClient } from '@waybill/shared/client';
import { shortHash, txLabel } from '@/lib/format';
import type { Transfer } from '../types';
import { loadThings } from './things';

export type HandoverLookup =
  { found: true; transfer: Transfer } | { found: false; message: string };

const HASH = /^[0-9a-f]{64}$/;
/** A bare hash, or an explorer link to it (…/tx/<hash>), as a QR code on a slip may carry. */
const REFERENCE = /^(?:.*\/tx\/)?([0-9a-f]{64})\/?$/;

/** The transaction hash a typed or scanned reference names, or null when it names none. */
export function parseHandoverReference(text: string): string | null {
  const match = REFERENCE.exec(text.trim().toLowerCase());
  return match?.[1] ?? null;
}

const CLOSING: Record<string, string> = {
  'custody.accept': 'accepted',
  'custody.reject': 'rejected',
  'custody.cancel': 'cancelled',
};

interface ThingEvents {
  events?: { type?: string | null; height?: number | null; tx?: unknown }[] | null;
}

function answeredTransfer(tx: unknown): unknown {
  if (typeof tx !== 'object' || tx === null || !('payload' in tx)) return undefined;
  const { payload } = tx;
  if (typeof payload !== 'object' || payload === null || !('transfer' in payload)) return undefined;
  return payload.transfer;
}

/** How a handover that is no longer pending ended, read from its first thing's events. */
async function howItEnded(client: WaybillClient, id: string, epc: string): Promise<string> {
  const data = await client.request<{ t0: ThingEvents | null }>(
    'query ($e0: String!) { t0: thing(epc: $e0) { epc events { type height tx } } }',
    { e0: epc },
  );
  const closing = (data.t0?.events ?? []).find(
    (event) => event.type && event.type in CLOSING && answeredTransfer(event.tx) === id,
  );
  const outcome = closing?.type ? CLOSING[closing.type] : undefined;
  if (!outcome) {
    return 'This handover is no longer pending: it was already answered or cancelled. Nothing is waiting for an answer.';
  }
  const when = typeof closing?.height === 'number' ? ` in block #${String(closing.height)}` : '';
  return `This handover was already ${outcome}${when}. Nothing is waiting for an answer.`;
}

export async function loadHandover(client: WaybillClient, hash: string): Promise<HandoverLookup> {
  if (!HASH.test(hash)) {
    return { found: false, message: 'A handover reference is 64 hexadecimal characters.' };
  }
  const info = await client.transaction(hash);
  if (!info) {
    return {
      found: false,
      message: `The node knows no transaction ${shortHash(hash)}. Check the reference on the slip.`,
    };
  }
  if (info.status === 'REJECTED') {
    return {
      found: false,
      message: `Transaction ${shortHash(hash)} was refused by the chain${info.code ? ` (${info.code})` : ''}, so there is no handover to answer.`,
    };
  }
  if (info.type && info.type !== 'custody.handover') {
    return {
      found: false,
      message: `Transaction ${shortHash(hash)} is not a handover: it records “${txLabel(info.type)}” (${info.type}).`,
    };
  }
  if (info.status !== 'FINAL') {
    return {
      found: false,
      message: `Handover ${shortHash(hash)} is not in a block yet. Try again in a few seconds.`,
    };
  }
  const tx = info.tx;
  if (tx?.type !== 'custody.handover') {
    return { found: false, message: `Transaction ${shortHash(hash)} is not a handover.` };
  }
  const { epcs, to } = tx.payload;
  const things = await loadThings(client, epcs);
  const states = epcs.map((epc) => things.get(epc) ?? null);
  const first = states[0];
  if (!first || !states.every((thing) => thing?.pendingTransfer === hash)) {
    const [epc] = epcs;
    return {
      found: false,
      message: epc
        ? await howItEnded(client, hash, epc)
        : 'This handover is no longer pending. Nothing is waiting for an answer.',
    };
  }
  return {
    found: true,
    transfer: {
      id: hash,
      from: first.custodian,
      to,
      epcs: [...epcs],
      status: 'pending',
      createdAt: info.height ?? 0,
    },
  };
}
