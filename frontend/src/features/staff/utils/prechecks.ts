/**
 * Checks a staff action against the chain's current state before anything is signed, mirroring
 * the state machine's rules in `@waybill/shared/state` (requireHeld and the custody rules), so a
 * worker reads what is wrong with which item and what to do, instead of a rejection code after
 * signing. The node still checks everything: these only spare a doomed transaction.
 */
import { shortHash } from '@/lib/format';
import type { OrgSummary, ThingState, Transfer } from '../types';
import { describeEpc } from './codes';

/** Current states by EPC; `null` for an EPC the chain does not know. */
export type ThingStates = ReadonlyMap<string, ThingState | null>;

export interface Problem {
  /** The thing the problem is about, when there is one. */
  epc?: string;
  message: string;
}

interface HeldOptions {
  /** What the worker is doing, as a verb phrase with "it": "hand it over", "pack it". */
  action: string;
  /** Whether a thing packed in a pallet may be acted on by itself. */
  allowPacked?: boolean;
  /** What to do instead with a packed thing ("Hand over the pallet instead"). */
  onPallet?: string;
}

/** Why `org` cannot act on `epc` as its custodian, or undefined when it can. */
export function heldProblem(
  epc: string,
  things: ThingStates,
  org: OrgSummary,
  { action, allowPacked = false, onPallet = 'Act on the pallet instead' }: HeldOptions,
): string | undefined {
  const name = describeEpc(epc);
  const thing = things.get(epc);
  if (!thing) {
    return `${name} is not on the chain. Check the code; if it is right, the manufacturer has not commissioned it yet.`;
  }
  if (thing.custodian !== org.id) {
    return `${name} is held by ${thing.custodian}, not by ${org.name}, so you cannot ${action}. If it was handed over to you, accept the handover in your inbox first.`;
  }
  if (thing.status === 'decommissioned') {
    return `${name} is decommissioned (sold, destroyed or used up): nothing more can be recorded for it. Remove it from the list.`;
  }
  if (thing.pendingTransfer) {
    return `${name} has a pending handover (${shortHash(thing.pendingTransfer)}). Wait until the receiver accepts or rejects it, or cancel it in your inbox.`;
  }
  const seen = new Set<string>();
  for (let up = thing.parent ?? undefined; up !== undefined && !seen.has(up);) {
    seen.add(up);
    const unit = things.get(up);
    if (unit?.pendingTransfer) {
      return `${name} is packed in ${describeEpc(up)}, which has a pending handover (${shortHash(unit.pendingTransfer)}). Wait until that handover ends.`;
    }
    up = unit?.parent ?? undefined;
  }
  if (!allowPacked && thing.parent) {
    return `${name} is packed in ${describeEpc(thing.parent)}. ${onPallet}, or unpack it first.`;
  }
  return undefined;
}

function each(epcs: readonly string[], problem: (epc: string) => string | undefined): Problem[] {
  return epcs.flatMap((epc) => {
    const message = problem(epc);
    return message === undefined ? [] : [{ epc, message }];
  });
}

export function checkHandover(
  epcs: readonly string[],
  to: OrgSummary | null,
  things: ThingStates,
  org: OrgSummary,
): Problem[] {
  const problems: Problem[] = [];
  if (to?.id === org.id) {
    problems.push({
      message: `You cannot hand over to your own organization (${org.name}); pick the receiver.`,
    });
  }
  return [
    ...problems,
    ...each(epcs, (epc) =>
      heldProblem(epc, things, org, {
        action: 'hand it over',
        onPallet: 'Hand over the pallet instead',
      }),
    ),
  ];
}

/** Custodians observe what they hold; an inspector observes anything that exists. */
export function checkObserve(
  epcs: readonly string[],
  things: ThingStates,
  org: OrgSummary,
): Problem[] {
  const inspector = org.roles.includes('inspector');
  return each(epcs, (epc) => {
    const thing = things.get(epc);
    const name = describeEpc(epc);
    if (!thing) return `${name} is not on the chain. Check the code.`;
    if (!inspector && thing.custodian !== org.id) {
      return `${name} is held by ${thing.custodian}, not by ${org.name}. Only its custodian or an inspector records observations for it.`;
    }
    return undefined;
  });
}

export function checkPack(
  parent: string,
  children: readonly string[],
  things: ThingStates,
  org: OrgSummary,
): Problem[] {
  const problems: Problem[] = [];
  const pallet = things.get(parent);
  if (pallet) {
    const message = heldProblem(parent, things, org, { action: 'pack into it', allowPacked: true });
    if (message) problems.push({ epc: parent, message });
  }
  const ancestors = new Set<string>();
  for (let up = pallet?.parent ?? undefined; up !== undefined && !ancestors.has(up);) {
    ancestors.add(up);
    up = things.get(up)?.parent ?? undefined;
  }
  for (const epc of children) {
    const name = describeEpc(epc);
    const child = things.get(epc);
    if (epc === parent || ancestors.has(epc)) {
      problems.push({
        epc,
        message: `${name} cannot be packed into ${describeEpc(parent)}: that would put it inside itself.`,
      });
    } else if (child?.parent) {
      problems.push({
        epc,
        message:
          child.parent === parent
            ? `${name} is already packed in this pallet. Remove it from the list.`
            : `${name} is already packed in ${describeEpc(child.parent)}. Unpack it from there first.`,
      });
    } else {
      const message = heldProblem(epc, things, org, { action: 'pack it' });
      if (message) problems.push({ epc, message });
    }
  }
  return problems;
}

export function checkUnpack(
  parent: string,
  children: readonly string[],
  things: ThingStates,
  org: OrgSummary,
): Problem[] {
  const message = heldProblem(parent, things, org, { action: 'unpack it', allowPacked: true });
  if (message) return [{ epc: parent, message }];
  const pallet = things.get(parent);
  const inside = pallet?.children ?? [];
  if (inside.length === 0) {
    return [
      { epc: parent, message: `${describeEpc(parent)} is empty: there is nothing to unpack.` },
    ];
  }
  return each(children, (epc) =>
    inside.includes(epc)
      ? undefined
      : `${describeEpc(epc)} is not packed in ${describeEpc(parent)}. Remove it from the list.`,
  );
}

export function checkDecommission(
  epcs: readonly string[],
  things: ThingStates,
  org: OrgSummary,
): Problem[] {
  return each(epcs, (epc) =>
    heldProblem(epc, things, org, { action: 'decommission it', allowPacked: true }),
  );
}

export type TransferAnswer = 'accept' | 'reject' | 'cancel';

/** Only the receiver accepts or rejects, only the sender cancels, and only while it is pending. */
export function checkTransferAnswer(
  transfer: Transfer,
  answer: TransferAnswer,
  org: OrgSummary,
): Problem[] {
  if (transfer.status !== 'pending') {
    return [
      {
        message: `This handover is no longer pending (it was ${transfer.status}). Refresh the inbox.`,
      },
    ];
  }
  if (answer === 'cancel') {
    return transfer.from === org.id
      ? []
      : [
          {
            message: `This handover was sent by ${transfer.from}, not by ${org.name}: only the sender can cancel it.`,
          },
        ];
  }
  return transfer.to === org.id
    ? []
    : [
        {
          message: `This handover is meant for ${transfer.to}, not for ${org.name}: only ${transfer.to} can ${answer} it.`,
        },
      ];
}
