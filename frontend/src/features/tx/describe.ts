/**
 * One line that says what a transaction did, for lists and block pages: "Handed over 3 items to
 * nordic-reefer". The full payload is on the transaction page.
 */
import type { SignedTx } from '@waybill/shared/tx';
import { txLabel } from '@/lib/format';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function describeTx(tx: SignedTx): string {
  switch (tx.type) {
    case 'org.register':
      return `Registered ${tx.payload.name} (${tx.payload.orgId}) as ${tx.payload.roles.join(', ')}`;
    case 'org.update':
      return `Updated organization ${tx.payload.orgId}`;
    case 'member.add':
      return `Added a ${tx.payload.role} key to ${tx.payload.orgId}${tx.payload.label ? ` (${tx.payload.label})` : ''}`;
    case 'member.revoke':
      return `Revoked a key of ${tx.payload.orgId}`;
    case 'authority.vote':
      return `Voted to ${tx.payload.action} authority ${tx.payload.name ?? tx.payload.authority.slice(0, 12)}`;
    case 'authority.evidence':
      return `Reported a double ${tx.payload.first.type} at height ${tx.payload.first.height}`;
    case 'product.define':
      return `Defined product ${tx.payload.name} (GTIN ${tx.payload.gtin})`;
    case 'product.commission':
      return tx.payload.serials
        ? `Commissioned ${count(tx.payload.serials.length, 'item')} of GTIN ${tx.payload.gtin}`
        : `Commissioned lot ${tx.payload.lot ?? ''} of GTIN ${tx.payload.gtin} (${tx.payload.quantity ?? ''} ${tx.payload.unit ?? ''})`.trim();
    case 'event.observe': {
      const readings = tx.payload.sensorReadings?.length ?? 0;
      return `Observed ${count(tx.payload.epcs.length, 'thing')}${readings ? ` with ${count(readings, 'sensor reading')}` : ''}`;
    }
    case 'custody.handover':
      return `Handed over ${count(tx.payload.epcs.length, 'thing')} to ${tx.payload.to}`;
    case 'custody.accept':
      return 'Accepted a handover';
    case 'custody.reject':
      return `Refused a handover${tx.payload.reason ? `: ${tx.payload.reason}` : ''}`;
    case 'custody.cancel':
      return 'Cancelled a handover';
    case 'ownership.transfer':
      return `Transferred ownership of ${count(tx.payload.epcs.length, 'thing')} to ${tx.payload.to}`;
    case 'aggregate.pack':
      return `Packed ${count(tx.payload.children.length, 'thing')} into a logistic unit`;
    case 'aggregate.unpack':
      return tx.payload.children
        ? `Unpacked ${count(tx.payload.children.length, 'thing')}`
        : 'Unpacked a logistic unit';
    case 'transform':
      return `Transformed ${count(tx.payload.inputs.length, 'input')} into ${count(tx.payload.outputs.length, 'output')}`;
    case 'recall.issue':
      return `Recalled GTIN ${tx.payload.gtin}${tx.payload.lots ? ` lots ${tx.payload.lots.join(', ')}` : ''}: ${tx.payload.reason}`;
    case 'recall.close':
      return 'Closed a recall';
    case 'product.decommission':
      return `Decommissioned ${count(tx.payload.epcs.length, 'thing')} (${tx.payload.reason})`;
    case 'location.define':
      return `Defined location ${tx.payload.name} (GLN ${tx.payload.gln})`;
    case 'location.update':
      return `Updated location ${tx.payload.gln}`;
    case 'event.correct':
      return `Declared an earlier event ${tx.payload.reason === 'did_not_occur' ? 'as not having happened' : 'as carrying wrong data'}`;
  }
}

/** Like {@link describeTx}, but never throws on JSON the node sent that is not a valid tx. */
export function describeAnyTx(tx: unknown, type?: string | null): string {
  try {
    return describeTx(tx as SignedTx);
  } catch {
    return txLabel(type);
  }
}
