'use client';
/** The staff desk's pages, each a heading, a line on what it does, and its form. */
import { DecommissionForm } from './components/DecommissionForm';
import { HandoverForm } from './components/HandoverForm';
import { Inbox } from './components/Inbox';
import { ObserveForm } from './components/ObserveForm';
import { PackForm } from './components/PackForm';
import { useSession } from './hooks/session';
import styles from './staff.module.css';
import { parseThingCode, type ThingKind } from './utils/codes';

/** A code from the URL (`?epc=`), as an EPC of an allowed kind, or nothing. */
function prefill(code: string | undefined, kinds?: readonly ThingKind[]): string[] {
  if (!code) return [];
  const result = parseThingCode(code, kinds);
  return result.ok ? [result.epc] : [];
}

export function StaffInboxPage() {
  const { org } = useSession();
  return (
    <>
      <h1>Inbox</h1>
      <p className={styles.lead}>
        Handovers to and from {org.name}. Accepting moves custody to you; rejecting leaves it with
        the sender.
      </p>
      <Inbox />
    </>
  );
}

export function StaffHandoverPage({ epc }: { epc?: string | undefined }) {
  return (
    <>
      <h1>Hand over</h1>
      <p className={styles.lead}>
        Propose a transfer of custody to another organization. Nothing moves until they accept.
      </p>
      <HandoverForm initialEpcs={prefill(epc)} />
    </>
  );
}

export function StaffObservePage({ epc }: { epc?: string | undefined }) {
  return (
    <>
      <h1>Record an observation</h1>
      <p className={styles.lead}>
        What was seen, measured or checked: business step, condition, sensor readings and documents.
      </p>
      <ObserveForm initialEpcs={prefill(epc)} />
    </>
  );
}

export function StaffPackPage({
  mode,
  epc,
}: {
  mode: 'pack' | 'unpack';
  epc?: string | undefined;
}) {
  const [parent] = prefill(epc, ['unit']);
  return (
    <>
      <h1>{mode === 'pack' ? 'Pack a pallet' : 'Unpack a pallet'}</h1>
      <p className={styles.lead}>
        {mode === 'pack'
          ? 'Put items, lots or smaller units into a pallet or container; they then travel with it.'
          : 'Take things out of a pallet or container, or empty it.'}
      </p>
      <PackForm mode={mode} {...(parent ? { initialParent: parent } : {})} />
    </>
  );
}

export function StaffDecommissionPage({ epc }: { epc?: string | undefined }) {
  return (
    <>
      <h1>Decommission</h1>
      <p className={styles.lead}>
        Record that items or lots have left the supply chain: sold, used up, expired, destroyed or
        lost.
      </p>
      <DecommissionForm initialEpcs={prefill(epc, ['item', 'lot'])} />
    </>
  );
}
