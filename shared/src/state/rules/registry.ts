/** Who is who: organizations, member keys, authorities, product classes and locations. */
import { memberOf, requireAdmin, requireRole, type Rule } from '../context.js';
import { reject } from '../scope.js';
import { AUTHORITIES_KEY, type AuthoritySet } from '../types.js';

export const orgRegister: Rule<'org.register'> = async ({ payload, scope, height }) => {
  if (await scope.get('organization', payload.orgId)) {
    reject(
      'ALREADY_EXISTS',
      `organization ${payload.orgId} is already registered`,
      '$.payload.orgId',
    );
  }
  if (await scope.get('member', payload.admin)) {
    reject(
      'ALREADY_EXISTS',
      'this admin key already belongs to an organization',
      '$.payload.admin',
    );
  }
  const auth = await scope.get('authorities', AUTHORITIES_KEY);
  if (auth?.authorities.some((a) => a.publicKey === payload.admin)) {
    reject(
      'ALREADY_EXISTS',
      'this key is an authority key; give the organization an admin key of its own',
      '$.payload.admin',
    );
  }
  const { orgId, name, roles, gln } = payload;
  scope.put('organization', orgId, {
    id: orgId,
    name,
    roles,
    ...(gln && { gln }),
    registeredAt: height,
  });
  scope.put('member', payload.admin, {
    publicKey: payload.admin,
    orgId,
    role: 'admin',
    ...(payload.adminLabel && { label: payload.adminLabel }),
    active: true,
    addedAt: height,
  });
};

export const orgUpdate: Rule<'org.update'> = async (ctx) => {
  const { payload, scope } = ctx;
  const org = await scope.require('organization', payload.orgId, '$.payload.orgId', 'organization');
  requireAdmin(memberOf(ctx).member, org.id, 'updating an organization');
  const { name, roles, gln } = payload;
  // The inspector role observes, recalls and corrects anyone's things: only the authorities grant it
  // (by registering an inspecting organization); an admin may not give it to its own org.
  const granted = roles?.find((role) => role === 'inspector' && !org.roles.includes(role));
  if (granted !== undefined) {
    reject(
      'NOT_AUTHORIZED',
      'only the authorities grant the inspector role (org.register); an organization cannot take it itself',
      `$.payload.roles[${roles?.indexOf(granted) ?? 0}]`,
    );
  }
  scope.put('organization', org.id, {
    ...org,
    ...(name && { name }),
    ...(roles && { roles }),
    ...(gln && { gln }),
  });
};

export const memberAdd: Rule<'member.add'> = async (ctx) => {
  const { payload, scope, height } = ctx;
  const org = await scope.require('organization', payload.orgId, '$.payload.orgId', 'organization');
  requireAdmin(memberOf(ctx).member, org.id, 'adding a member key');
  if (await scope.get('member', payload.publicKey)) {
    reject(
      'ALREADY_EXISTS',
      'this key is already registered (keys are never reused)',
      '$.payload.publicKey',
    );
  }
  const auth = await scope.get('authorities', AUTHORITIES_KEY);
  if (auth?.authorities.some((a) => a.publicKey === payload.publicKey)) {
    reject(
      'ALREADY_EXISTS',
      'this key is an authority key; give members keys of their own',
      '$.payload.publicKey',
    );
  }
  scope.put('member', payload.publicKey, {
    publicKey: payload.publicKey,
    orgId: org.id,
    role: payload.role,
    ...(payload.label && { label: payload.label }),
    active: true,
    addedAt: height,
  });
};

export const memberRevoke: Rule<'member.revoke'> = async (ctx) => {
  const { payload, scope, height } = ctx;
  const org = await scope.require('organization', payload.orgId, '$.payload.orgId', 'organization');
  requireAdmin(memberOf(ctx).member, org.id, 'revoking a member key');
  const target = await scope.get('member', payload.publicKey);
  if (target?.orgId !== org.id || !target.active) {
    reject('NOT_FOUND', `${org.id} has no active key ${payload.publicKey}`, '$.payload.publicKey');
  }
  scope.put('member', target.publicKey, { ...target, active: false, revokedAt: height });
};

/** A majority of the current set (floor(n/2) + 1) must vote the same way. */
export function voteMajority(authorityCount: number): number {
  return Math.floor(authorityCount / 2) + 1;
}

export const authorityVote: Rule<'authority.vote'> = async ({
  payload,
  scope,
  tx,
  hash,
  height,
}) => {
  const set = await scope.require('authorities', AUTHORITIES_KEY, '$', 'authority set');
  const { action, authority } = payload;
  const present = set.authorities.some((a) => a.publicKey === authority);
  if (action === 'add' && present)
    reject('ALREADY_EXISTS', `${authority} is already an authority`, '$.payload.authority');
  if (action === 'remove' && !present)
    reject('NOT_FOUND', `${authority} is not an authority`, '$.payload.authority');
  if (action === 'remove' && set.authorities.length === 1) {
    reject('NOT_AUTHORIZED', 'the last authority cannot be removed', '$.payload.authority');
  }
  if (action === 'add' && (await scope.get('member', authority))) {
    reject(
      'ALREADY_EXISTS',
      'this key is an organization member key; authorities need keys of their own',
      '$.payload.authority',
    );
  }
  const existing = set.votes.find((v) => v.action === action && v.authority === authority);
  if (existing?.voters.includes(tx.signer)) {
    reject('ALREADY_EXISTS', 'this authority has already voted for this change', '$.signer');
  }
  const tally = existing
    ? { ...existing, voters: [...existing.voters, tx.signer].sort() }
    : { action, authority, ...(payload.name && { name: payload.name }), voters: [tx.signer] };
  const others = set.votes.filter((v) => v !== existing);
  if (tally.voters.length < voteMajority(set.authorities.length)) {
    scope.put('authorities', AUTHORITIES_KEY, { ...set, votes: [...others, tally] });
    return;
  }
  const authorities =
    action === 'add'
      ? [
          ...set.authorities,
          { publicKey: authority, ...(tally.name && { name: tally.name }) },
        ].sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1))
      : set.authorities.filter((a) => a.publicKey !== authority);
  const keys = new Set(authorities.map((a) => a.publicKey));
  // Votes cast by an authority that has left no longer count; the change itself is settled.
  const votes: AuthoritySet['votes'] = others
    .map((v) => ({ ...v, voters: v.voters.filter((voter) => keys.has(voter)) }))
    .filter((v) => v.voters.length > 0);
  scope.put('authorities', AUTHORITIES_KEY, {
    authorities,
    votes,
    history: [
      ...set.history,
      { height: height + 1, action, authority, ...(tally.name && { name: tally.name }), tx: hash },
    ],
  });
};

export const productDefine: Rule<'product.define'> = async (ctx) => {
  const { payload, scope, height } = ctx;
  const { org } = memberOf(ctx);
  requireRole(org, 'manufacturer', 'defining a product');
  const existing = await scope.get('product', payload.gtin);
  if (existing && existing.owner !== org.id) {
    reject(
      'NOT_AUTHORIZED',
      `GTIN ${payload.gtin} is defined by ${existing.owner}`,
      '$.payload.gtin',
    );
  }
  scope.put('product', payload.gtin, {
    ...payload,
    owner: org.id,
    definedAt: existing?.definedAt ?? height,
  });
};

export const locationDefine: Rule<'location.define'> = async (ctx) => {
  const { payload, scope, height } = ctx;
  const { member, org } = memberOf(ctx);
  requireAdmin(member, org.id, 'defining a location');
  if (await scope.get('location', payload.gln)) {
    reject('ALREADY_EXISTS', `location ${payload.gln} is already defined`, '$.payload.gln');
  }
  scope.put('location', payload.gln, { ...payload, orgId: org.id, definedAt: height });
};

export const locationUpdate: Rule<'location.update'> = async (ctx) => {
  const { payload, scope } = ctx;
  const location = await scope.require('location', payload.gln, '$.payload.gln', 'location');
  requireAdmin(memberOf(ctx).member, location.orgId, 'updating a location');
  const { name, address, coordinates } = payload;
  scope.put('location', location.gln, {
    ...location,
    ...(name && { name }),
    ...(address && { address }),
    ...(coordinates && { coordinates }),
  });
};
