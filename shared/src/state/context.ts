/** What a rule sees: the transaction, who signed it, the block it lands in, and its scope. */
import type { SignatureVerifier } from '../crypto/index.js';
import type { OrgRole, SignedTxOf, TxType } from '../tx/index.js';
import { reject, type TxScope } from './scope.js';
import type { Member, Organization, Thing } from './types.js';

export type Actor =
  | { kind: 'authority'; publicKey: string }
  | { kind: 'member'; publicKey: string; member: Member; org: Organization };

export interface RuleContext<T extends TxType> {
  tx: SignedTxOf<T>;
  hash: string;
  payload: SignedTxOf<T>['payload'];
  actor: Actor;
  scope: TxScope;
  height: number;
  /** Verifies signatures a payload carries (the votes of `authority.evidence`); strict by default. */
  verifier?: SignatureVerifier;
}

export type Rule<T extends TxType> = (ctx: RuleContext<T>) => Promise<void>;

/** The member and org acting; authorities act on organizations only through member keys. */
export function memberOf(ctx: RuleContext<TxType>): { member: Member; org: Organization } {
  if (ctx.actor.kind !== 'member') {
    return reject(
      'NOT_AUTHORIZED',
      `${ctx.tx.type} must be signed by an organization member key, not an authority key`,
      '$.signer',
    );
  }
  return ctx.actor;
}

export function requireRole(org: Organization, role: OrgRole, action: string): void {
  if (!org.roles.includes(role)) {
    reject(
      'NOT_AUTHORIZED',
      `${action} needs the ${role} role; organization ${org.id} has ${org.roles.join(', ')}`,
      '$.signer',
    );
  }
}

export function requireAdmin(member: Member, orgId: string, action: string): void {
  if (member.orgId !== orgId) {
    reject(
      'NOT_AUTHORIZED',
      `${action}: the signer belongs to ${member.orgId}, not ${orgId}`,
      '$.signer',
    );
  }
  if (member.role !== 'admin')
    reject('NOT_AUTHORIZED', `${action} needs an admin key of ${orgId}`, '$.signer');
}

/** Loads a thing the acting org must hold, free of pending transfers and not decommissioned. */
export async function requireHeld(
  ctx: RuleContext<TxType>,
  epc: string,
  path: string,
  options: { allowPacked?: boolean } = {},
): Promise<Thing> {
  const { org } = memberOf(ctx);
  const thing = await ctx.scope.require('thing', epc, path);
  if (thing.custodian !== org.id) {
    reject('NOT_CUSTODIAN', `${epc} is held by ${thing.custodian}, not ${org.id}`, path);
  }
  if (thing.status === 'decommissioned')
    reject('INVALID_PAYLOAD', `${epc} is decommissioned`, path);
  if (thing.pendingTransfer !== undefined) {
    reject(
      'TRANSFER_PENDING',
      `${epc} has a pending transfer ${thing.pendingTransfer}; accept, reject or cancel it first`,
      path,
    );
  }
  // What is inside a unit that is on its way to another org is frozen until the transfer ends.
  for (let up = thing.parent; up !== undefined;) {
    const unit = await ctx.scope.get('thing', up);
    if (unit?.pendingTransfer !== undefined) {
      reject(
        'TRANSFER_PENDING',
        `${epc} is packed in ${up}, which has a pending transfer ${unit.pendingTransfer}`,
        path,
      );
    }
    up = unit?.parent;
  }
  if (!options.allowPacked && thing.parent !== undefined) {
    reject(
      'NOT_AUTHORIZED',
      `${epc} is packed in ${thing.parent}; act on ${thing.parent} or unpack it first`,
      path,
    );
  }
  return thing;
}

/** Applies `update` to a thing and everything packed in it, depth first. */
export async function updateTree(
  scope: TxScope,
  root: Thing,
  update: (thing: Thing) => Thing,
): Promise<string[]> {
  const touched: string[] = [];
  const stack: Thing[] = [root];
  while (stack.length > 0) {
    const thing = stack.pop() as Thing;
    scope.put('thing', thing.epc, update(thing));
    touched.push(thing.epc);
    for (const child of thing.children) {
      const record = await scope.get('thing', child);
      if (record) stack.push(record);
    }
  }
  return touched;
}
