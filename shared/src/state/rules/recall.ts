/** Recalls and corrections: statements about products and earlier events. */
import { memberOf, type Rule } from '../context.js';
import { reject } from '../scope.js';

export const recallIssue: Rule<'recall.issue'> = async (ctx) => {
  const { payload, scope, hash, height } = ctx;
  const { org } = memberOf(ctx);
  const product = await scope.require('product', payload.gtin, '$.payload.gtin', 'product');
  if (product.owner !== org.id && !org.roles.includes('inspector')) {
    reject(
      'NOT_AUTHORIZED',
      `only the GTIN's owner (${product.owner}) or an inspector can recall it`,
      '$.signer',
    );
  }
  const { gtin, lots, serials, reason } = payload;
  scope.put('recall', hash, {
    id: hash,
    gtin,
    ...(lots && { lots }),
    ...(serials && { serials }),
    reason,
    issuer: org.id,
    open: true,
    issuedAt: height,
  });
};

export const recallClose: Rule<'recall.close'> = async (ctx) => {
  const { payload, scope, hash, height } = ctx;
  const { org } = memberOf(ctx);
  const recall = await scope.require('recall', payload.recall, '$.payload.recall', 'recall');
  if (!recall.open)
    reject('NOT_FOUND', `recall ${recall.id} is already closed`, '$.payload.recall');
  const product = await scope.require('product', recall.gtin, '$.payload.recall', 'product');
  if (product.owner !== org.id && recall.issuer !== org.id && !org.roles.includes('inspector')) {
    reject(
      'NOT_AUTHORIZED',
      `only the GTIN's owner (${product.owner}), the issuer or an inspector can close it`,
      '$.signer',
    );
  }
  scope.put('recall', recall.id, { ...recall, open: false, closedAt: height, closedBy: hash });
};

export const eventCorrect: Rule<'event.correct'> = async (ctx) => {
  const { payload, scope } = ctx;
  const { org } = memberOf(ctx);
  const target = await scope.require('event', payload.target, '$.payload.target', 'event');
  if (target.org !== org.id && !org.roles.includes('inspector')) {
    reject(
      'NOT_AUTHORIZED',
      `only ${target.org}, which signed the event, or an inspector can correct it`,
      '$.signer',
    );
  }
  for (const [i, corrective] of (payload.correctiveTxs ?? []).entries()) {
    await scope.require('event', corrective, `$.payload.correctiveTxs[${i}]`, 'event');
  }
  scope.put('event', target.hash, { ...target, corrections: [...target.corrections, ctx.hash] });
};
