/**
 * A printable label for an item, lot or logistic unit: its QR code, which holds its GS1 Digital
 * Link on this explorer (or on `WAYBILL_PUBLIC_URL` when configured), the product's name and the
 * identifiers in GS1's human-readable form. Print styles leave only the label.
 */
import { buildDigitalLink, type Gs1Identifier } from '@waybill/shared/gs1';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NodeError } from '@/components/NodeError';
import { attempt } from '@/lib/attempt';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { ThingView } from '../types';
import { elementString, epcLabel, parseIdentifier } from '../utils/identifier';
import { loadThing } from '../utils/load';
import { InvalidIdentifier } from './InvalidIdentifier';
import { PrintButton } from './PrintButton';
import { QrCode } from './QrCode';
import { gtinOf } from '../utils/recalls';

/** The identifier as the label prints it: an item's lot is part of its Digital Link. */
function labelIdentifier(id: Gs1Identifier, thing: ThingView): Gs1Identifier {
  if (id.kind === 'item' && thing.lot !== null) return { ...id, lot: thing.lot };
  return id;
}

export async function LabelPage({
  epc,
  base,
}: {
  epc: string | undefined;
  base: string | undefined;
}) {
  if (epc === undefined || epc.trim() === '') return <LabelForm />;
  const parsed = parseIdentifier(epc.trim());
  if (!parsed.ok) return <InvalidIdentifier input={parsed.input} reason={parsed.reason} />;
  if (parsed.id.kind === 'product') {
    return (
      <InvalidIdentifier
        input={epc.trim()}
        reason="a label is printed for one item, lot or pallet, and this names a whole product"
      />
    );
  }
  const loaded = await attempt(() => loadThing(parsed.epc, gtinOf(parsed.id)));
  if (!loaded.ok) return <NodeError error={loaded.error} what="this label" />;
  const { thing, product } = loaded.value;
  if (!thing) notFound();
  const id = labelIdentifier(parsed.id, thing);
  const url = buildDigitalLink(id, base !== undefined ? { base } : {});
  const name = product?.name ?? epcLabel(thing.epc);
  return (
    <>
      <div className={styles.noPrint}>
        <h1>Label</h1>
        <p>
          The QR code opens this {thing.kind === 'unit' ? 'pallet' : thing.kind}&apos;s page, where
          anyone can check its journey in their own browser.
        </p>
        <p className={styles.actions}>
          <PrintButton />
          <Link className="button secondary" href={routes.thing(thing.epc)}>
            Back to the product page
          </Link>
        </p>
      </div>
      <div className={styles.labelSheet}>
        <figure className={styles.label} aria-label={`Label of ${name}`}>
          <QrCode className={styles.qr} value={url} label={`QR code of ${url}`} />
          <figcaption>
            {product?.brand ? <p>{product.brand}</p> : null}
            <p className={styles.labelName}>{name}</p>
            <p>
              <strong>{elementString(id)}</strong>
            </p>
            {thing.expiry !== null ? <p>Use by {thing.expiry}</p> : null}
            <p className={styles.labelUrl}>{url}</p>
          </figcaption>
        </figure>
      </div>
    </>
  );
}

function LabelForm() {
  return (
    <form action={routes.labels()} method="get" className="card">
      <h1>Print a label</h1>
      <div className="field">
        <label htmlFor="label-epc">EPC or GS1 Digital Link</label>
        <input
          id="label-epc"
          name="epc"
          required
          placeholder="https://id.gs1.org/01/09521001002103/21/1001"
          aria-describedby="label-epc-hint"
        />
        <span id="label-epc-hint" className="field-hint">
          Of an item, lot or pallet, such as /01/09521001002103/21/1001 or /00/395210010000000018.
        </span>
      </div>
      <button type="submit" className="button">
        Show label
      </button>
    </form>
  );
}
