/** Things and their custody: commissioning, observing, handing over, packing, transforming. */
import { itemEpc, lotEpc, parseEpc } from '../../gs1/index.js';
import type { PayloadOf } from '../../tx/index.js';
import {
  memberOf,
  requireHeld,
  requireRole,
  updateTree,
  type Rule,
  type RuleContext,
} from '../context.js';
import { compareDecimal, subtractDecimal } from '../decimal.js';
import { EMPTY_EVENT_CHAIN } from '../history.js';
import { reject, type TxScope } from '../scope.js';
import type { Thing } from '../types.js';

/** Deepest nesting of logistic units (a case in a pallet in a container, and some slack). */
export const MAX_PACKING_DEPTH = 8;

type Commissioned = Omit<
  PayloadOf<'product.commission'>,
  'eventTime' | 'bizLocation' | 'readPoint' | 'note' | 'epcis'
>;

/** Creates items or a lot of a GTIN the acting org owns; shared by commission and transform. */
async function createThings(
  ctx: RuleContext<'product.commission' | 'transform'>,
  spec: Commissioned,
  path: string,
  inputs?: string[],
): Promise<void> {
  const { scope, height, hash } = ctx;
  const { org } = memberOf(ctx);
  const product = await scope.require('product', spec.gtin, `${path}.gtin`, 'product');
  if (product.owner !== org.id) {
    reject(
      'NOT_AUTHORIZED',
      `GTIN ${spec.gtin} belongs to ${product.owner}; only it commissions this product`,
      `${path}.gtin`,
    );
  }
  const base = {
    gtin: spec.gtin,
    owner: org.id,
    custodian: org.id,
    status: 'active' as const,
    children: [],
    history: EMPTY_EVENT_CHAIN,
    createdAt: height,
    createdBy: hash,
    ...(spec.lot !== undefined && { lot: spec.lot }),
    ...(spec.expiry !== undefined && { expiry: spec.expiry }),
    ...(inputs && { inputs }),
  };
  const create = async (thing: Thing, at: string) => {
    if (await scope.get('thing', thing.epc))
      reject('ALREADY_EXISTS', `${thing.epc} already exists`, at);
    scope.put('thing', thing.epc, thing);
  };
  if (spec.serials) {
    for (const [i, serial] of spec.serials.entries()) {
      await create(
        { ...base, epc: itemEpc(spec.gtin, serial), kind: 'item', serial },
        `${path}.serials[${i}]`,
      );
    }
  } else {
    const lot = spec.lot as string;
    await create(
      {
        ...base,
        epc: lotEpc(spec.gtin, lot),
        kind: 'lot',
        quantity: spec.quantity,
        ...(spec.unit && { unit: spec.unit }),
      },
      `${path}.lot`,
    );
  }
}

export const productCommission: Rule<'product.commission'> = async (ctx) => {
  const { org } = memberOf(ctx);
  requireRole(org, 'manufacturer', 'commissioning');
  await createThings(ctx, ctx.payload, '$.payload');
};

export const eventObserve: Rule<'event.observe'> = async (ctx) => {
  const { org } = memberOf(ctx);
  const inspector = org.roles.includes('inspector');
  for (const [i, epc] of ctx.payload.epcs.entries()) {
    const thing = await ctx.scope.require('thing', epc, `$.payload.epcs[${i}]`);
    if (!inspector && thing.custodian !== org.id) {
      reject(
        'NOT_CUSTODIAN',
        `${epc} is held by ${thing.custodian}; only its custodian or an inspector observes it`,
        `$.payload.epcs[${i}]`,
      );
    }
  }
};

export const custodyHandover: Rule<'custody.handover'> = async (ctx) => {
  const { payload, scope, hash, height } = ctx;
  const { org } = memberOf(ctx);
  await scope.require('organization', payload.to, '$.payload.to', 'organization');
  if (payload.to === org.id)
    reject('INVALID_PAYLOAD', 'cannot hand over to your own organization', '$.payload.to');
  for (const [i, epc] of payload.epcs.entries()) {
    const thing = await requireHeld(ctx, epc, `$.payload.epcs[${i}]`);
    await updateTree(scope, thing, (t) => ({
      ...t,
      status: 'in_transit',
      ...(t.epc === epc && { pendingTransfer: hash }),
    }));
  }
  scope.put('transfer', hash, {
    id: hash,
    from: org.id,
    to: payload.to,
    epcs: payload.epcs,
    status: 'pending',
    createdAt: height,
  });
};

/** Ends a pending transfer: accepted (custody moves to the receiver) or not (it stays). */
async function closeTransfer(
  ctx: RuleContext<'custody.accept' | 'custody.reject' | 'custody.cancel'>,
  outcome: 'accepted' | 'rejected' | 'cancelled',
): Promise<void> {
  const { scope, hash, height } = ctx;
  const { org } = memberOf(ctx);
  const transfer = await scope.require(
    'transfer',
    ctx.payload.transfer,
    '$.payload.transfer',
    'transfer',
  );
  if (transfer.status !== 'pending') {
    reject(
      'NOT_FOUND',
      `transfer ${transfer.id} is no longer pending (it was ${transfer.status})`,
      '$.payload.transfer',
    );
  }
  const party = outcome === 'cancelled' ? transfer.from : transfer.to;
  if (party !== org.id) {
    const role = outcome === 'cancelled' ? 'sender' : 'receiver';
    reject(
      'NOT_AUTHORIZED',
      `only the ${role} (${party}) can do this; the signer belongs to ${org.id}`,
      '$.signer',
    );
  }
  for (const epc of transfer.epcs) {
    const thing = await scope.require('thing', epc, '$.payload.transfer');
    await updateTree(scope, thing, (t) => {
      const { pendingTransfer: _, ...rest } = t;
      return {
        ...(t.epc === epc ? rest : t),
        status: 'active',
        ...(outcome === 'accepted' && { custodian: transfer.to }),
      };
    });
  }
  scope.put('transfer', transfer.id, {
    ...transfer,
    status: outcome,
    closedAt: height,
    closedBy: hash,
  });
}

export const custodyAccept: Rule<'custody.accept'> = (ctx) => closeTransfer(ctx, 'accepted');
export const custodyReject: Rule<'custody.reject'> = (ctx) => closeTransfer(ctx, 'rejected');
export const custodyCancel: Rule<'custody.cancel'> = (ctx) => closeTransfer(ctx, 'cancelled');

export const ownershipTransfer: Rule<'ownership.transfer'> = async (ctx) => {
  const { payload, scope } = ctx;
  const { org } = memberOf(ctx);
  await scope.require('organization', payload.to, '$.payload.to', 'organization');
  if (payload.to === org.id)
    reject('INVALID_PAYLOAD', 'the organization already owns these', '$.payload.to');
  for (const [i, epc] of payload.epcs.entries()) {
    const thing = await scope.require('thing', epc, `$.payload.epcs[${i}]`);
    if (thing.owner !== org.id)
      reject(
        'NOT_AUTHORIZED',
        `${epc} is owned by ${thing.owner}, not ${org.id}`,
        `$.payload.epcs[${i}]`,
      );
    if (thing.status === 'decommissioned')
      reject('INVALID_PAYLOAD', `${epc} is decommissioned`, `$.payload.epcs[${i}]`);
    scope.put('thing', epc, { ...thing, owner: payload.to });
  }
};

/** Units in the longest chain from `thing` down to a leaf, counting `thing` if it is a unit. */
async function unitHeight(scope: TxScope, thing: Thing): Promise<number> {
  let below = 0;
  for (const epc of thing.children) {
    const child = await scope.get('thing', epc);
    if (child) below = Math.max(below, await unitHeight(scope, child));
  }
  return (thing.kind === 'unit' ? 1 : 0) + below;
}

export const aggregatePack: Rule<'aggregate.pack'> = async (ctx) => {
  const { payload, scope, height, hash } = ctx;
  const { org } = memberOf(ctx);
  const existing = await scope.get('thing', payload.parent);
  const parent: Thing = existing
    ? await requireHeld(ctx, payload.parent, '$.payload.parent', { allowPacked: true })
    : {
        epc: payload.parent,
        kind: 'unit',
        sscc: (parseEpc(payload.parent) as { sscc: string }).sscc,
        owner: org.id,
        custodian: org.id,
        status: 'active',
        children: [],
        history: EMPTY_EVENT_CHAIN,
        createdAt: height,
        createdBy: hash,
      };
  // The parent's ancestors: packing one of them into it would make a cycle.
  const ancestors = new Set<string>();
  for (let up = parent.parent; up !== undefined;) {
    ancestors.add(up);
    if (ancestors.size >= MAX_PACKING_DEPTH) {
      reject(
        'INVALID_PAYLOAD',
        `logistic units nest at most ${MAX_PACKING_DEPTH} deep`,
        '$.payload.parent',
      );
    }
    up = (await scope.get('thing', up))?.parent;
  }
  const children = [...parent.children];
  for (const [i, epc] of payload.children.entries()) {
    const path = `$.payload.children[${i}]`;
    if (epc === parent.epc || ancestors.has(epc))
      reject('INVALID_PAYLOAD', `${epc} cannot be packed into itself`, path);
    const child = await scope.require('thing', epc, path);
    if (child.parent !== undefined)
      reject('ALREADY_EXISTS', `${epc} is already packed in ${child.parent}`, path);
    await requireHeld(ctx, epc, path);
    if (ancestors.size + 1 + (await unitHeight(scope, child)) > MAX_PACKING_DEPTH) {
      reject(
        'INVALID_PAYLOAD',
        `packing ${epc} here would nest units more than ${MAX_PACKING_DEPTH} deep`,
        path,
      );
    }
    scope.put('thing', epc, { ...child, parent: parent.epc });
    children.push(epc);
  }
  scope.put('thing', parent.epc, { ...parent, children });
};

export const aggregateUnpack: Rule<'aggregate.unpack'> = async (ctx) => {
  const { payload, scope } = ctx;
  const parent = await requireHeld(ctx, payload.parent, '$.payload.parent', { allowPacked: true });
  const leaving = payload.children ?? parent.children;
  for (const [i, epc] of leaving.entries()) {
    if (!parent.children.includes(epc)) {
      reject('NOT_FOUND', `${epc} is not packed in ${parent.epc}`, `$.payload.children[${i}]`);
    }
    const child = await scope.require('thing', epc, `$.payload.children[${i}]`);
    const { parent: _, ...unpacked } = child;
    scope.put('thing', epc, unpacked);
  }
  scope.put('thing', parent.epc, {
    ...parent,
    children: parent.children.filter((c) => !leaving.includes(c)),
  });
};

export const transform: Rule<'transform'> = async (ctx) => {
  const { payload, scope } = ctx;
  const { org } = memberOf(ctx);
  requireRole(org, 'manufacturer', 'transforming');
  for (const [i, input] of payload.inputs.entries()) {
    const path = `$.payload.inputs[${i}]`;
    const thing = await requireHeld(ctx, input.epc, `${path}.epc`);
    if (
      input.quantity === undefined ||
      (thing.kind === 'lot' && compareDecimal(input.quantity, thing.quantity as string) === 0)
    ) {
      scope.put('thing', thing.epc, {
        ...thing,
        status: 'decommissioned',
        decommissionReason: 'consumed',
      });
      continue;
    }
    if (thing.kind !== 'lot')
      reject(
        'INVALID_PAYLOAD',
        'a quantity applies to lots only; items are consumed whole',
        `${path}.quantity`,
      );
    if (compareDecimal(input.quantity, thing.quantity as string) > 0) {
      const left = [thing.quantity as string, thing.unit].filter(Boolean).join(' ');
      reject('INVALID_PAYLOAD', `only ${left} of ${thing.epc} is left`, `${path}.quantity`);
    }
    scope.put('thing', thing.epc, {
      ...thing,
      quantity: subtractDecimal(thing.quantity as string, input.quantity),
    });
  }
  const inputs = payload.inputs.map((input) => input.epc);
  for (const [i, output] of payload.outputs.entries()) {
    await createThings(ctx, output, `$.payload.outputs[${i}]`, inputs);
  }
};

export const productDecommission: Rule<'product.decommission'> = async (ctx) => {
  const { payload, scope } = ctx;
  for (const [i, epc] of payload.epcs.entries()) {
    const thing = await requireHeld(ctx, epc, `$.payload.epcs[${i}]`, { allowPacked: true });
    if (thing.parent !== undefined) {
      // A sold item leaves its case: keep "nothing is in two places" true after it is gone.
      const parent = await scope.require('thing', thing.parent, `$.payload.epcs[${i}]`);
      scope.put('thing', parent.epc, {
        ...parent,
        children: parent.children.filter((c) => c !== epc),
      });
    }
    const { parent: _, ...rest } = thing;
    scope.put('thing', epc, {
      ...rest,
      status: 'decommissioned',
      decommissionReason: payload.reason,
    });
  }
};
